// Manage HCP Terraform and Terraform Enterprise API tokens: team tokens, the organization token, the audit-trail token and agent-pool tokens, with the token kept secret, renewal before expiry, and guards against revoking a token in use.
package tfetokens
