// Manage HCP Terraform and Terraform Enterprise API tokens: team tokens, the organization token, the audit-trail token, agent-pool tokens and user tokens, with the token kept secret, renewal before expiry, and guards against revoking a token in use.
package tfetokens
