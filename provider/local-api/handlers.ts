import {parseCreateAttributes} from "./attributes";
import {
	errorReply,
	notFound,
	organizationDocument,
	pagination,
	teamDocument,
	tokenData,
	tokenDocument,
	ttlPoliciesDocument,
	unprocessable,
	userDocument,
	type Reply,
} from "./documents";
import type {AgentPool, Credential, IssuedToken, IssueRequest, Organization, OrganizationTokenKind, Store, Team, User} from "./store";
import {organizationOf} from "./store";
import {selectTeamTokens} from "./team-token-query";

/** Everything a handler needs; handlers are synchronous, so each one's change to the store is atomic. */
export interface HandlerContext {
	readonly store: Store;
	/** The route's single path parameter (a team, token or agent pool id, an organization name), or "" for none. */
	readonly param: string;
	readonly query: URLSearchParams;
	readonly credential: Credential;
	readonly now: Date;
	/** The parsed request body, for handlers that read one; undefined when there was none. */
	readonly body: unknown;
}

export type Handler = (context: HandlerContext) => Reply;

export const NO_CONTENT: Reply = {status: 204};
const BLANK_DESCRIPTION = unprocessable("/data/attributes/description", "Validation failed: Description can't be blank");
const MISSING_DESCRIPTION = unprocessable("/data/attributes/description", "Validation failed: Description is required on this route");
// Title and detail word for word as go-tfe's ErrInvalidDescriptionConflict, which its tests compare whole.
const DUPLICATE_DESCRIPTION = errorReply(422, {
	title: "invalid attributes",
	detail: "Validation failed: Description has already been taken",
	source: {pointer: "/data/attributes/description"},
});
const LEGACY_NOT_FOUND = notFound("Team Token not found, or unauthorized to view");

// Any valid credential may manage any team's tokens: permissions are not what this stand-in is for. Two rules are kept
// because clients are built around them: only a user's own user token manages that user's tokens, and an organization
// that switched user tokens off refuses them.

export const accountDetails: Handler = ({credential}) => ({status: 200, document: userDocument(credential.user)});

export const createLegacyToken: Handler = context =>
	withTeam(context, team => {
		const attributes = parseCreateAttributes(context.body, context.now);
		if (!attributes.ok) return attributes.reply;
		const refused = overPolicy(context, team.organization, "legacy", attributes.value.expiredAt);
		if (refused) return refused;
		return created(context.store.issueLegacy(team, {...issuer(context), expiredAt: attributes.value.expiredAt}));
	});

export const showLegacyToken: Handler = context => withLegacyToken(context, shown);

export const deleteLegacyToken: Handler = context => withLegacyToken(context, token => revoked(context.store, token));

// A description is required on this route (422 when missing): it is what tells described tokens apart. It may be
// empty, as go-tfe's tests assert of the real service ("" is created and read back as ""), and like any other
// description it is unique per team.
export const createDescribedToken: Handler = context =>
	withTeam(context, team => {
		const attributes = parseCreateAttributes(context.body, context.now);
		if (!attributes.ok) return attributes.reply;
		const {description, expiredAt} = attributes.value;
		if (description === undefined) return MISSING_DESCRIPTION;
		const refused = overPolicy(context, team.organization, "described", expiredAt);
		if (refused) return refused;
		const token = context.store.issueDescribed(team, description, {...issuer(context), expiredAt});
		return token === "duplicate" ? DUPLICATE_DESCRIPTION : created(token);
	});

/**
 * `?token=audit-trails` addresses the organization's audit-trail token, no query its organization token; any other
 * value is refused rather than silently taken for the organization token.
 */
function organizationTokenKind(query: URLSearchParams): OrganizationTokenKind | Reply {
	const token = query.get("token");
	if (token === null) return "organization";
	if (token === "audit-trails") return "audit-trail";
	return unprocessable("/token", `Unknown token type ${JSON.stringify(token)}; the API knows "audit-trails".`);
}

const ORGANIZATION_TOKEN_NOT_FOUND = notFound("Organization token not found, or unauthorized to view");

export const createOrganizationToken: Handler = context =>
	withOrganization(context, (organization, kind) => {
		const attributes = parseCreateAttributes(context.body, context.now);
		if (!attributes.ok) return attributes.reply;
		const refused = overPolicy(context, organization, kind, attributes.value.expiredAt);
		if (refused) return refused;
		return created(context.store.issueOrganizationToken(organization, kind, {...issuer(context), expiredAt: attributes.value.expiredAt}));
	});

export const showOrganizationToken: Handler = context => withOrganizationToken(context, shown);

export const deleteOrganizationToken: Handler = context =>
	withOrganizationToken(context, token => revoked(context.store, token));

export const createAgentToken: Handler = context =>
	withAgentPool(context, pool => {
		const attributes = parseCreateAttributes(context.body, context.now);
		if (!attributes.ok) return attributes.reply;
		const {description, expiredAt} = attributes.value;
		if (description === undefined || description.trim() === "") return BLANK_DESCRIPTION;
		return created(context.store.issueAgentToken(pool, description, {...issuer(context), expiredAt}));
	});

export const listAgentTokens: Handler = context =>
	withAgentPool(context, pool => paged(context.query, [...pool.tokens]));

export const listTtlPolicies: Handler = context => {
	const organization = context.store.organizationNamed(context.param);
	if (organization?.ttlPolicies == null) return notFound();
	return refusesCredential(context, organization) ?? {status: 200, document: ttlPoliciesDocument(organization)};
};

/**
 * A user's tokens, for that user's own user token only (the admin token is a user token here): to a team or
 * organization token, or another user's token, the user does not exist (404), and its list is empty (200), as the
 * docs describe. A description is optional, may repeat, and an empty one is kept as given.
 */
export const createUserToken: Handler = context =>
	withOwnUser(context, user => {
		const attributes = parseCreateAttributes(context.body, context.now);
		if (!attributes.ok) return attributes.reply;
		const {description, expiredAt} = attributes.value;
		return created(context.store.issueUserToken(user, description ?? null, {...issuer(context), expiredAt}));
	}) ?? USER_NOT_FOUND;

export const listUserTokens: Handler = context => {
	if (context.store.user(context.param) === undefined) return USER_NOT_FOUND;
	return paged(context.query, withOwnUser(context, user => context.store.tokensOfUser(user)) ?? []);
};

/** `GET /organizations/:name`, to any credential, so a user token can learn whether the organization refuses it. */
export const showOrganization: Handler = context => {
	const organization = context.store.organizationNamed(context.param);
	return organization === undefined ? notFound() : {status: 200, document: organizationDocument(organization)};
};

export const showTeam: Handler = context => withTeam(context, team => ({status: 200, document: teamDocument(team)}));

/** Page size when the client names none, and the most it may ask for, as on the real service. */
const PAGE_SIZE = {default: 20, max: 100} as const;

/** The organization's team tokens, narrowed by `q` and `filter[expiry_status]` and ordered by `sort`, then paged. */
export const listOrganizationTokens: Handler = context => {
	const {store, param, query, now} = context;
	const organization = store.organizationNamed(param);
	if (organization === undefined) return notFound();
	const refused = refusesCredential(context, organization);
	if (refused) return refused;
	const selected = selectTeamTokens(store.teamTokens(organization), query, now);
	return Array.isArray(selected) ? paged(query, selected) : selected;
};

/** The most ids one bulk revocation takes: the list's page size. The API documents none. */
export const MAX_BULK_REVOKE = 100;

/**
 * `DELETE /organizations/:name/team-tokens` with `{"data": [{"type": "authentication-tokens", "id": "at-..."}, ...]}`:
 * revokes every listed token at once, or none. The API documents 204, 403 and 404 and leaves the rest open; here an
 * id that is not a current team token of this organization (unknown, revoked already, another organization's, or
 * a token of another kind) makes the whole request a 404 naming it, so a client never learns of a partial success.
 * A body of another shape is a 400, an empty list or one of more than MAX_BULK_REVOKE ids a 422. `type` is not
 * checked, as on the create routes. The same id twice counts once.
 */
export const revokeTeamTokens: Handler = context => {
	const {store, param, body} = context;
	const organization = store.organizationNamed(param);
	if (organization === undefined) return notFound();
	const refused = refusesCredential(context, organization);
	if (refused) return refused;
	const data = (body as {data?: unknown} | undefined)?.data;
	if (!Array.isArray(data)) {
		return errorReply(400, {title: "bad request", detail: "The body must be {\"data\": [{\"type\": \"authentication-tokens\", \"id\": ...}, ...]}.", source: {pointer: "/data"}});
	}
	if (data.length === 0 || data.length > MAX_BULK_REVOKE) {
		return unprocessable("/data", `Between 1 and ${MAX_BULK_REVOKE} tokens may be revoked at once; got ${data.length}.`);
	}
	const ids: string[] = [];
	for (const [index, entry] of data.entries()) {
		const id = (entry as {id?: unknown} | null)?.id;
		if (typeof id !== "string") return unprocessable(`/data/${index}/id`, "Each entry needs the token's id as a string.");
		ids.push(id);
	}
	const tokens = new Set<IssuedToken>();
	const unknown: string[] = [];
	for (const id of new Set(ids)) {
		const token = store.token(id);
		if (token !== undefined && "team" in token && token.team.organization === organization) tokens.add(token);
		else unknown.push(id);
	}
	if (unknown.length > 0) {
		return notFound(`Team tokens not found in organization ${organization.name}, or unauthorized to view: ${unknown.join(", ")}. None was revoked.`);
	}
	for (const token of tokens) store.revoke(token);
	return NO_CONTENT;
};

function paged(query: URLSearchParams, tokens: readonly IssuedToken[]): Reply {
	return {status: 200, document: page(query, tokens, token => tokenData(token, false))};
}

/** One page of `items` as a list document, by `page[number]` and `page[size]` as the real service reads them. */
export function page<T>(query: URLSearchParams, items: readonly T[], toData: (item: T) => object): object {
	const size = Math.min(PAGE_SIZE.max, positiveInteger(query.get("page[size]")) ?? PAGE_SIZE.default);
	const pages = Math.max(1, Math.ceil(items.length / size));
	const number = Math.min(pages, positiveInteger(query.get("page[number]")) ?? 1);
	return {
		data: items.slice((number - 1) * size, number * size).map(toData),
		meta: {pagination: pagination(number, size, items.length)},
	};
}

function positiveInteger(value: string | null): number | undefined {
	const n = Number(value);
	return value !== null && Number.isInteger(n) && n > 0 ? n : undefined;
}

// Token ids are shared between kinds, so these also find legacy tokens.
export const showToken: Handler = context => withToken(context, shown);

export const deleteToken: Handler = context => withToken(context, token => revoked(context.store, token));

const USER_NOT_FOUND = notFound("User not found, or unauthorized to perform action");
const USER_TOKEN_NOT_FOUND = notFound("User Token not found, or unauthorized to view the User Token");

/** The route's user when the credential is that user's own user token; undefined otherwise. */
function withOwnUser<T>(context: HandlerContext, then: (user: User) => T): T | undefined {
	const user = context.store.user(context.param);
	const isUserToken = !context.credential.user.isServiceAccount;
	return user !== undefined && isUserToken && context.credential.user === user ? then(user) : undefined;
}

/** Whether the credential is a user token the local API issued (the admin token, a site admin, is never refused). */
function isIssuedUserToken(credential: Credential): boolean {
	return "kind" in credential && (credential as IssuedToken).kind === "user";
}

/** An organization that switched user tokens off answers a user token 403 on its routes. */
function refusesCredential(context: HandlerContext, organization: Organization): Reply | undefined {
	return organization.userTokensEnabled || !isIssuedUserToken(context.credential)
		? undefined
		: errorReply(403, {title: "forbidden", detail: `User tokens are disabled for organization ${organization.name}.`});
}

function withTeam(context: HandlerContext, then: (team: Team) => Reply): Reply {
	const team = context.store.team(context.param);
	if (team === undefined) return notFound();
	return refusesCredential(context, team.organization) ?? then(team);
}

function withOrganization(context: HandlerContext, then: (organization: Organization, kind: OrganizationTokenKind) => Reply): Reply {
	const organization = context.store.organizationNamed(context.param);
	if (organization === undefined) return notFound();
	const refused = refusesCredential(context, organization);
	if (refused) return refused;
	const kind = organizationTokenKind(context.query);
	return typeof kind === "string" ? then(organization, kind) : kind;
}

function withOrganizationToken(context: HandlerContext, then: (token: IssuedToken) => Reply): Reply {
	return withOrganization(context, (organization, kind) => {
		const token = organization.tokens[kind];
		return token === undefined ? ORGANIZATION_TOKEN_NOT_FOUND : then(token);
	});
}

function withAgentPool(context: HandlerContext, then: (pool: AgentPool) => Reply): Reply {
	const pool = context.store.agentPool(context.param);
	if (pool === undefined) return notFound("Agent Pool not found, or user unauthorized to perform action");
	return refusesCredential(context, pool.organization) ?? then(pool);
}

/** An expiry past the organization's maximum lifetime for the kind is refused, as the policy is enforced at once. */
function overPolicy(
	context: HandlerContext,
	organization: Organization,
	kind: IssuedToken["kind"],
	expiredAt: Date | undefined,
): Reply | undefined {
	const limit = context.store.maxLifetimeMs(organization, kind);
	if (limit === undefined || expiredAt === undefined || expiredAt.getTime() - context.now.getTime() <= limit) return undefined;
	return unprocessable("/data/attributes/expired-at", `Expired at exceeds the organization's maximum token lifetime of ${lifetime(limit)}.`);
}

function lifetime(ms: number): string {
	return ms % 86_400_000 === 0 ? `${ms / 86_400_000} days` : `${ms} ms`;
}

function withLegacyToken(context: HandlerContext, then: (token: IssuedToken) => Reply): Reply {
	return withTeam(context, team => (team.legacy === undefined ? LEGACY_NOT_FOUND : then(team.legacy)));
}

/** A user token is shown and revoked only for its own user; the other kinds for any credential. */
function withToken(context: HandlerContext, then: (token: IssuedToken) => Reply): Reply {
	const token = context.store.token(context.param);
	if (token === undefined) return notFound();
	if (token.kind === "user" && context.credential.user !== token.owner) return USER_TOKEN_NOT_FOUND;
	if (token.kind !== "user") {
		const organization = organizationOf(token);
		const refused = organization && refusesCredential(context, organization);
		if (refused) return refused;
	}
	return then(token);
}

function issuer(context: HandlerContext): Omit<IssueRequest, "expiredAt"> {
	return {createdBy: context.credential.user, now: context.now};
}

const created = (token: IssuedToken): Reply => ({status: 201, document: tokenDocument(token, true)});
const shown = (token: IssuedToken): Reply => ({status: 200, document: tokenDocument(token, false)});

function revoked(store: Store, token: IssuedToken): Reply {
	store.revoke(token);
	return NO_CONTENT;
}
