import {parseCreateAttributes} from "./attributes";
import {notFound, teamDocument, tokenData, tokenDocument, unprocessable, userDocument, type Reply} from "./documents";
import type {Credential, IssuedToken, IssueRequest, Store, Team} from "./store";

/** Everything a handler needs; handlers are synchronous, so each one's change to the store is atomic. */
export interface HandlerContext {
	readonly store: Store;
	/** The route's single path parameter (a team or token id), or "" for routes without one. */
	readonly param: string;
	readonly query: URLSearchParams;
	readonly credential: Credential;
	readonly now: Date;
	/** The parsed request body, for handlers that read one; undefined when there was none. */
	readonly body: unknown;
}

export type Handler = (context: HandlerContext) => Reply;

const NO_CONTENT: Reply = {status: 204};
const LEGACY_NOT_FOUND = notFound("Team Token not found, or unauthorized to view");

// Any valid credential may manage any team's tokens: permissions are not what this stand-in is for.

export const accountDetails: Handler = ({credential}) => ({status: 200, document: userDocument(credential.user)});

export const createLegacyToken: Handler = context =>
	withTeam(context, team => {
		const attributes = parseCreateAttributes(context.body, context.now);
		if (!attributes.ok) return attributes.reply;
		const token = context.store.issueLegacy({...issuer(context, team), expiredAt: attributes.value.expiredAt});
		return created(token);
	});

export const showLegacyToken: Handler = context => withLegacyToken(context, shown);

export const deleteLegacyToken: Handler = context => withLegacyToken(context, token => revoked(context.store, token));

// Description is required on this route (422 when missing or blank): it is what tells described tokens apart, and
// the uniqueness rule would be meaningless without it.
export const createDescribedToken: Handler = context =>
	withTeam(context, team => {
		const attributes = parseCreateAttributes(context.body, context.now);
		if (!attributes.ok) return attributes.reply;
		const {description, expiredAt} = attributes.value;
		if (description === undefined || description.trim() === "") {
			return unprocessable("/data/attributes/description", "Validation failed: Description can't be blank");
		}
		const token = context.store.issueDescribed(description, {...issuer(context, team), expiredAt});
		if (token === "duplicate") {
			return unprocessable("/data/attributes/description", "Validation failed: Description has already been taken");
		}
		return created(token);
	});

export const showTeam: Handler = context => withTeam(context, team => ({status: 200, document: teamDocument(team)}));

/** Page size when the client names none, and the most it may ask for, as on the real service. */
const PAGE_SIZE = {default: 20, max: 100} as const;

export const listOrganizationTokens: Handler = ({store, param, query}) => {
	const size = Math.min(PAGE_SIZE.max, positiveInteger(query.get("page[size]")) ?? PAGE_SIZE.default);
	const tokens = store.organizationTokens(param);
	if (tokens.length === 0 && param !== store.organization) return notFound();
	const pages = Math.max(1, Math.ceil(tokens.length / size));
	const page = Math.min(pages, positiveInteger(query.get("page[number]")) ?? 1);
	return {
		status: 200,
		document: {
			data: tokens.slice((page - 1) * size, page * size).map(token => tokenData(token, false)),
			meta: {
				pagination: {
					"current-page": page,
					"page-size": size,
					"prev-page": page > 1 ? page - 1 : null,
					"next-page": page < pages ? page + 1 : null,
					"total-pages": pages,
					"total-count": tokens.length,
				},
			},
		},
	};
};

function positiveInteger(value: string | null): number | undefined {
	const n = Number(value);
	return value !== null && Number.isInteger(n) && n > 0 ? n : undefined;
}

// Token ids are shared between kinds, so these also find legacy tokens.
export const showToken: Handler = context => withToken(context, shown);

export const deleteToken: Handler = context => withToken(context, token => revoked(context.store, token));

function withTeam(context: HandlerContext, then: (team: Team) => Reply): Reply {
	const team = context.store.team(context.param);
	return team === undefined ? notFound() : then(team);
}

function withLegacyToken(context: HandlerContext, then: (token: IssuedToken) => Reply): Reply {
	return withTeam(context, team => (team.legacy === undefined ? LEGACY_NOT_FOUND : then(team.legacy)));
}

function withToken(context: HandlerContext, then: (token: IssuedToken) => Reply): Reply {
	const token = context.store.token(context.param);
	return token === undefined ? notFound() : then(token);
}

function issuer(context: HandlerContext, team: Team): Omit<IssueRequest, "expiredAt"> {
	return {team, createdBy: context.credential.user, now: context.now};
}

const created = (token: IssuedToken): Reply => ({status: 201, document: tokenDocument(token, true)});
const shown = (token: IssuedToken): Reply => ({status: 200, document: tokenDocument(token, false)});

function revoked(store: Store, token: IssuedToken): Reply {
	store.revoke(token);
	return NO_CONTENT;
}
