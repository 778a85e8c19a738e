import * as pulumi from "@pulumi/pulumi";
import {AuditTrailToken, OrganizationToken, TokenLifetimePolicy} from "pulumi-tfe-team-token";

const config = new pulumi.Config();
const organization = config.require("organization");

// The organization's maximum lifetime per token type, in days. A type left out is set to the API's two-year default,
// and `pulumi destroy` sets every type back to it. A shorter limit cuts off existing tokens that outlive it; the
// preview says how many, and which of them this stack manages.
const policy = new TokenLifetimePolicy("limits", {
	organization,
	organizationTokenMaxDays: config.getNumber("organizationTokenMaxDays") ?? 90,
	teamTokenMaxDays: 180,
	auditTrailTokenMaxDays: 30,
});

// Tokens that depend on the policy are checked against the limits planned above, at preview: asking for more than
// the policy allows fails before anything is sent, even while the organization's current policy still allows it.
const org = new OrganizationToken("org", {
	organization,
	expiresInDays: config.getNumber("orgTokenDays") ?? 60,
	rotateBeforeDays: 14,
}, {dependsOn: policy});

// Without `expiresInDays` the token gets the policy's limit as its expiry, and is renewed with 7 days left.
const audit = new AuditTrailToken("audit", {organization, rotateBeforeDays: 7}, {dependsOn: policy});

export const policyOrganization = policy.id;
export const orgExpiresAt = org.expiredAt;
export const auditExpiresAt = audit.expiredAt;
export const orgToken = org.token; // secret
export const auditToken = audit.token; // secret
