import * as pulumi from "@pulumi/pulumi";
import {auditTokensOutput} from "pulumi-tfe-team-token";

const config = new pulumi.Config();

// Read-only: the audit lists the organization's tokens with the stack's tfe:hostname and tfe:token and changes nothing.
const audit = auditTokensOutput({
	organization: config.require("organization"),
	expiringWithinDays: config.getNumber("expiringWithinDays") ?? 30,
});

export const counts = audit.counts;
// One line per token that needs a look, worst first: "expired at-... team platform (ci), expired 2026-10-01".
export const attention = audit.tokens.apply(tokens => tokens
	.filter(token => token.status !== "ok")
	.map(token => {
		const owner = token.teamName ?? token.teamId ?? token.agentPoolName ?? token.agentPoolId ?? token.organization;
		const when = token.expiredAt === undefined ? "no expiry" : `expires ${token.expiredAt.slice(0, 10)}`;
		return `${token.status} ${token.tokenId} ${token.kind} ${owner}${token.description ? ` (${token.description})` : ""}, ${when}; ${token.flags.join(", ")}`;
	}));
export const notListed = audit.notListed;
