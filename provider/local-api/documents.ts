import type {OutgoingHttpHeaders} from "node:http";
import type {IssuedToken, Team, User} from "./store";

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
	readonly source?: {readonly pointer: string};
}

export function errorReply(status: number, error: ErrorFields, headers?: OutgoingHttpHeaders): Reply {
	return {status, document: {errors: [{status: String(status), ...error}]}, headers};
}

export const notFound = (detail?: string): Reply => errorReply(404, {title: "not found", detail});

export const unprocessable = (pointer: string, detail: string): Reply =>
	errorReply(422, {title: "invalid attribute", detail, source: {pointer}});

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
			team: {data: {id: token.team.id, type: "teams"}},
			"created-by": {data: {id: token.createdBy.id, type: "users"}},
		},
	};
}

export function teamDocument(team: Team): object {
	return {
		data: {
			id: team.id,
			type: "teams",
			attributes: {name: team.id.slice("team-".length)},
			relationships: {organization: {data: {id: team.organization, type: "organizations"}}},
		},
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
