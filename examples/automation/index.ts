import * as pulumi from "@pulumi/pulumi";
import {AgentToken, AuditTrailToken, OrganizationToken, TeamToken} from "pulumi-tfe-team-token";

const config = new pulumi.Config();
const organization = config.require("organization");
const agentPoolId = config.require("agentPoolId");
const teamId = config.require("teamId");

// Run `pulumi up` on a schedule (weekly, say): each token below is renewed before it runs out, and nothing changes
// between renewals.

// The organization token (what org-level automation such as workspace provisioning uses): 90 days, renewed with 30
// left. A POST replaces an organization's only token, so a renewal revokes the old one first; and a token someone
// made by hand is never revoked unless `forceRegenerate` says so.
const org = new OrganizationToken("org", {
	organization,
	expiresInDays: 90,
	rotateBeforeDays: 30,
	forceRegenerate: config.getBoolean("forceRegenerate") ?? false,
});

// The audit-trail token (for a SIEM pulling audit events): 30 days, renewed with 7 left.
const audit = new AuditTrailToken("audit", {organization, expiresInDays: 30, rotateBeforeDays: 7});

// The agent pool's token. Agent tokens have no expiry in the API, so renewal is by `triggers`: a new quarter makes
// a new token, created before the old one is revoked, so the agents are never without one.
const quarter = (date: Date) => `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
const agents = new AgentToken("agents", {
	agentPoolId,
	description: "agents (managed by Pulumi)",
	triggers: [config.get("agentRotation") ?? quarter(new Date())],
});

// The CI team's token, a described one so several pipelines' tokens can coexist: 60 days, renewed with 14 left.
const ci = new TeamToken("ci", {teamId, description: "ci (managed by Pulumi)", expiresInDays: 60, rotateBeforeDays: 14});

export const orgTokenId = org.tokenId;
export const orgExpiresAt = org.expiredAt;
export const orgToken = org.token; // each token is a secret
export const auditTokenId = audit.tokenId;
export const auditToken = audit.token;
export const agentTokenId = agents.tokenId;
export const agentToken = agents.token;
export const ciTokenId = ci.tokenId;
export const ciToken = ci.token;
