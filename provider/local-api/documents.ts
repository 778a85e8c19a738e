import type {OutgoingHttpHeaders} from "node:http";
import {
	DEFAULT_TTL_POLICY_MS,
	TTL_TOKEN_TYPES,
	type AgentPool,
	type IssuedToken,
	type Organization,
	type Team,
	type User,
} from "./store";

/** What a handler answers; the server turns it into an HTTP response. A missing document means no body. */
export interface Reply {
	readonly status: number;
	readonly document?: object;
	readonly headers?: OutgoingHttpHeaders;
}

/** A JSON:API error object's fields other than its status, which comes from the reply. */
export interface ErrorFields {
	readonly title: string;
	readonly detail?: string;
	/** A JSON pointer into the request body, or the query parameter at fault. */
	readonly source?: {readonly pointer: string} | {readonly parameter: string};
}

export function errorReply(status: number, error: ErrorFields, headers?: OutgoingHttpHeaders): Reply {
	return {status, document: {errors: [{status: String(status), ...error}]}, headers};
}

export const notFound = (detail?: string): Reply => errorReply(404, {title: "not found", detail});

export const unprocessable = (pointer: string, detail: string): Reply =>
	errorReply(422, {title: "invalid attribute", detail, source: {pointer}});

/** A resource whose name is taken, worded as the service words a failed uniqueness validation. */
export const nameTaken = (): Reply => unprocessable("/data/attributes/name", "Validation failed: Name has already been taken");

export const UNAUTHORIZED: Reply = errorReply(401, {title: "unauthorized"});

/** X-RateLimit-Limit is added by the server, as on every answer while a limit is on. */
export function tooManyRequests(resetMs: number): Reply {
	return {
		status: 429,
		// Word for word the real service's body, whose status, unlike its other errors', is a number.
		document: {errors: [{detail: "You have exceeded the API's rate limit.", status: 429, title: "Too many requests"}]},
		// At least a millisecond, so a client never reads "wait 0 s" while the window is still full.
		headers: {"X-RateLimit-Reset": (Math.max(resetMs, 1) / 1000).toFixed(3)},
	};
}

/** The token's JSON:API document; the secret appears only in the answer to the request that created it. */
export function tokenDocument(token: IssuedToken, withSecret: boolean): object {
	return {data: tokenData(token, withSecret)};
}

export function tokenData(token: IssuedToken, withSecret: boolean): object {
	return {
		id: token.id,
		type: "authentication-tokens",
		attributes: {
			"created-at": token.createdAt.toISOString(),
			"last-used-at": token.lastUsedAt?.toISOString() ?? null,
			description: token.description,
			token: withSecret ? token.secret : null,
			"expired-at": token.expiredAt?.toISOString() ?? null,
		},
		relationships: {
			...owner(token),
			"created-by": {data: {id: token.createdBy.id, type: "users"}},
		},
	};
}

function owner(token: IssuedToken): object {
	if ("team" in token) return {team: {data: {id: token.team.id, type: "teams"}}};
	if ("pool" in token) return {"agent-pool": {data: {id: token.pool.id, type: "agent-pools"}}};
	// A user token's answer names only its maker, as go-tfe's UserToken reads it.
	if ("owner" in token) return {};
	return {organization: {data: {id: token.organization.name, type: "organizations"}}};
}

/**
 * The organization's TTL policies: those set, and for an organization that lists defaults, every other token type at
 * the default.
 */
export function ttlPoliciesDocument(organization: Organization): object {
	const set = organization.ttlPolicies ?? new Map();
	const types = organization.listsDefaultPolicies ? TTL_TOKEN_TYPES : [...set.keys()];
	return {
		data: types.map(type => ({
			id: `ttl-${type}`,
			type: "organization-token-ttl-policies",
			attributes: {"token-type": type, "max-ttl-ms": set.get(type) ?? DEFAULT_TTL_POLICY_MS},
		})),
	};
}

export function teamDocument(team: Team): {data: object} {
	return {
		data: {
			id: team.id,
			type: "teams",
			attributes: {name: team.name, "organization-access": team.organizationAccess},
			relationships: {organization: {data: {id: team.organization.name, type: "organizations"}}},
		},
	};
}

export function organizationDocument(organization: Organization): {data: object} {
	return {
		data: {
			id: organization.name,
			type: "organizations",
			attributes: {
				name: organization.name,
				email: organization.email,
				"created-at": organization.createdAt.toISOString(),
				"user-tokens-enabled": organization.userTokensEnabled,
				// The stand-in enforces its policies whenever it has the policies API, as an organization with this on does;
				// without the API (an older Terraform Enterprise) there is no such attribute.
				...(organization.ttlPolicies === null ? {} : {"max-ttl-enabled": true}),
			},
		},
	};
}

export function agentPoolDocument(pool: AgentPool): {data: object} {
	return {
		data: {
			id: pool.id,
			type: "agent-pools",
			attributes: {
				name: pool.name,
				"agent-count": 0,
				"organization-scoped": true,
				"created-at": pool.createdAt.toISOString(),
			},
			relationships: {organization: {data: {id: pool.organization.name, type: "organizations"}}},
		},
	};
}

export function pagination(page: number, size: number, total: number): object {
	const pages = Math.max(1, Math.ceil(total / size));
	return {
		"current-page": page,
		"page-size": size,
		"prev-page": page > 1 ? page - 1 : null,
		"next-page": page < pages ? page + 1 : null,
		"total-pages": pages,
		"total-count": total,
	};
}

export function userDocument(user: User): object {
	return {
		data: {
			id: user.id,
			type: "users",
			attributes: {username: user.username, "is-service-account": user.isServiceAccount},
		},
	};
}
