import {AUDIT_FLAGS, DEFAULT_EXPIRING_WITHIN_DAYS, MAX_EXPIRING_WITHIN_DAYS} from "../engine/audit-status";
import {boolean, integer, string} from "./schema-properties";
import {PACKAGE} from "./package";

/*
 * The token audit as a schema function, so every language's SDK has `auditTokens`. tests/plugin-schema.test.ts keeps
 * its fields equal to the TypeScript function's arguments and results.
 */

export const AUDIT_FUNCTION = `${PACKAGE}:index:auditTokens`;
const TOKEN_TYPE = `${PACKAGE}:index:AuditedToken`;
const COUNTS_TYPE = `${PACKAGE}:index:AuditCounts`;

const statuses = `${AUDIT_FLAGS.map(flag => `\`${flag}\``).join(", ")}`;

export const auditTypes = {
	[TOKEN_TYPE]: {
		type: "object",
		description: "One token of the organization: metadata only, never its value.",
		properties: {
			tokenId: string("The API's id of the token, `at-...`."),
			kind: string("`team`, `organization`, `audit-trail` or `agent`."),
			organization: string("The organization's name."),
			teamId: string("A team token's team."),
			teamName: string("A team token's team name, where the organization's team list names it."),
			agentPoolId: string("An agent token's pool."),
			agentPoolName: string("An agent token's pool name."),
			description: string("The token's description, where it has one."),
			createdBy: string("The id of the user, team or organization that created it."),
			createdAt: string("When it was created."),
			lastUsedAt: string("When it last authenticated a request; absent when never."),
			expiredAt: string("When it expires; absent when never."),
			status: string(`The first of its flags (${statuses}), or \`ok\` with none.`),
			flags: {type: "array", items: {type: "string"}, description: `Every one of ${statuses} that applies.`},
			daysLeft: integer("Whole days until expiry, rounded down; negative once expired; absent without an expiry."),
		},
		required: ["tokenId", "kind", "organization", "status", "flags"],
	},
	[COUNTS_TYPE]: {
		type: "object",
		description: "Tokens per flag (a token counts under each of its flags), with no flag, and in all.",
		properties: {
			expired: integer("Tokens expired."),
			expiring: integer("Tokens expiring within the window."),
			neverExpires: integer("Tokens without an expiry."),
			neverUsed: integer("Tokens never used."),
			ok: integer("Tokens with no flag."),
			total: integer("Tokens listed."),
		},
		required: ["expired", "expiring", "neverExpires", "neverUsed", "ok", "total"],
	},
};

export const auditFunction = {
	description: "Every token of an organization the API lists (team, organization, audit-trail and agent tokens; user tokens "
		+ "can only be listed by their user) with owner, description, creator, dates and a status: " + `${statuses} or \`ok\`. `
		+ "Reads every page within the rate limit, with the provider's configuration. No token value is returned.",
	inputs: {
		properties: {
			organization: string("The organization's name: letters, digits, `-`, `_`, at most 64 characters."),
			expiringWithinDays: integer(`A token expiring within this many days is \`expiring\`: 1-${MAX_EXPIRING_WITHIN_DAYS}, default ${DEFAULT_EXPIRING_WITHIN_DAYS}.`),
			includeAgentTokens: boolean("Whether to list agent tokens (one request per agent pool; they never expire). Default `true`."),
		},
		required: ["organization"],
	},
	outputs: {
		properties: {
			organization: string("The organization audited."),
			expiringWithinDays: integer("The window `expiring` was decided with."),
			checkedAt: string("The instant the statuses were decided at."),
			tokens: {type: "array", items: {$ref: `#/types/${TOKEN_TYPE}`}, description: "The tokens, worst status first, then soonest expiry."},
			counts: {$ref: `#/types/${COUNTS_TYPE}`, description: "Tokens per flag."},
			notListed: {type: "array", items: {type: "string"}, description: "What the audit could not see, in words."},
		},
		required: ["organization", "expiringWithinDays", "checkedAt", "tokens", "counts", "notListed"],
	},
};
