import type {Http} from "./http";
import {createBody, findInPages, pageQuery, relatedId, type TokenData, type TokenRecord, toTokenRecord} from "./token-document";
import {everyPage, InvalidListOptionError, MAX_PAGE_SIZE, organizationList, pageParameters, type ListPage, type PageOptions, toListPage} from "./paging";
import {InvalidOrganizationError, InvalidTeamIdError, InvalidTokenIdError, tokenPath, validOrganizationName, validTeamId, validTokenId} from "./validation";

/** A team token as the API describes it. `token` is only present in a create response. */
export interface TeamTokenRecord extends TokenRecord {
	teamId: string;
}

export interface LegacyTokenCreateOptions {
	/** RFC 3339 instant; omitted lets the server apply its default lifetime. */
	expiredAt?: string;
}

export interface DescribedTokenCreateOptions {
	description: string;
	expiredAt?: string;
}

/** The values of `filter[expiry_status]` (go-tfe v2's OpenAPI spec); several are ORed. */
export const EXPIRY_STATUSES = ["active", "expiring_in_7_days", "expiring_in_30_days", "expired", "no_expiration"] as const;
export type ExpiryStatus = typeof EXPIRY_STATUSES[number];

/** The `sort` keys of the organization's team-token list (go-tfe team_token.go), each also descending after `-`. */
export const TEAM_TOKEN_SORT_KEYS = ["team-name", "created-by", "expired-at", "last-used-at"] as const;

/** go-tfe's `TeamTokenListOptions`, with the expiry filter its v2 spec adds. */
export interface TeamTokenListOptions extends PageOptions {
	/** Part of a team's name (`q`). */
	query?: string;
	/** One of TEAM_TOKEN_SORT_KEYS, optionally after `-`. */
	sort?: string;
	/** Tokens in any of these states (`filter[expiry_status]`). */
	expiryStatus?: readonly ExpiryStatus[];
}

/**
 * The most token ids one bulk revocation carries. The API documents no limit; this is its page size, so one page of
 * the list is at most one request to revoke, and a server with a lower limit refuses it (and the caller falls back).
 */
export const MAX_BULK_REVOKE = MAX_PAGE_SIZE;

/** The tokens of one organization to revoke in one request (`DELETE /organizations/:name/team-tokens`). */
export interface TeamTokenBulkRevokeOptions {
	/** 1 to MAX_BULK_REVOKE token ids (`at-...`), each a team token of the organization. */
	tokenIds: readonly string[];
}

function listParameters(options: TeamTokenListOptions): URLSearchParams {
	const query = new URLSearchParams();
	if (options.query !== undefined && options.query !== "") {
		query.set("q", options.query);
	}
	if (options.sort !== undefined) {
		if (!(TEAM_TOKEN_SORT_KEYS as readonly string[]).includes(options.sort.replace(/^-/, ""))) {
			throw new InvalidListOptionError("sort", `one of ${TEAM_TOKEN_SORT_KEYS.join(", ")}, optionally after "-"`, options.sort);
		}
		query.set("sort", options.sort);
	}
	if (options.expiryStatus !== undefined && options.expiryStatus.length > 0) {
		const unknown = options.expiryStatus.find(status => !(EXPIRY_STATUSES as readonly string[]).includes(status));
		if (unknown !== undefined) {
			throw new InvalidListOptionError("expiryStatus", `any of ${EXPIRY_STATUSES.join(", ")}`, unknown);
		}
		query.set("filter[expiry_status]", options.expiryStatus.join(","));
	}
	pageParameters(options, query);
	return query;
}

function toRecord(body: unknown, teamId: string | null): TeamTokenRecord {
	const data = (body as {data?: TokenData})?.data;
	return {...toTokenRecord(data), teamId: teamId ?? relatedId(data, "team") ?? ""};
}

function teamPath(teamId: string, suffix?: string): string {
	if (!validTeamId(teamId)) {
		throw new InvalidTeamIdError();
	}
	return suffix ? `teams/${teamId}/${suffix}` : `teams/${teamId}`;
}

const teamNotFound = (teamId: string) =>
	`Team ${teamId} does not exist, or the API token has no access to it (the API answers 404 for both).`;

/**
 * The team-token endpoints. Legacy tokens are addressed by team (one per team); described tokens by their own id
 * (several per team, each with a unique description).
 */
export class TeamTokens {
	constructor(private readonly http: Http) {}

	/** Generates the team's legacy token, revoking the previous one. Safe to retry: the end state is the same. */
	async generateLegacy(teamId: string, options: LegacyTokenCreateOptions = {}): Promise<TeamTokenRecord> {
		const {body} = await this.http.send({
			method: "POST",
			path: teamPath(teamId, "authentication-token"),
			json: createBody(options),
			idempotent: true,
			notFoundHint: teamNotFound(teamId),
		});
		return toRecord(body, teamId);
	}

	/** The team's legacy token (without its secret), or undefined when it has none. */
	async readLegacy(teamId: string): Promise<TeamTokenRecord | undefined> {
		const {status, body} = await this.http.send({method: "GET", path: teamPath(teamId, "authentication-token"), idempotent: true});
		return status === 404 ? undefined : toRecord(body, teamId);
	}

	/** Revokes the team's legacy token. False when there was none. */
	async deleteLegacy(teamId: string): Promise<boolean> {
		const {status} = await this.http.send({method: "DELETE", path: teamPath(teamId, "authentication-token"), idempotent: true});
		return status !== 404;
	}

	/**
	 * Creates one more token for the team. Never retried after a 5xx or network error: if the first attempt took
	 * effect, a second could leave a token that no state knows of.
	 */
	async createDescribed(teamId: string, options: DescribedTokenCreateOptions): Promise<TeamTokenRecord> {
		const {body} = await this.http.send({
			method: "POST",
			path: teamPath(teamId, "authentication-tokens"),
			json: createBody(options),
			idempotent: false,
			notFoundHint: `${teamNotFound(teamId)} Servers older than the multiple-team-token release also answer 404 here.`,
		});
		return toRecord(body, teamId);
	}

	/**
	 * The team's described token with this description, found through its organization's token list (the API has
	 * no per-team list). Used after a lost answer to a create, to learn whether the create took effect.
	 */
	async findDescribed(teamId: string, description: string): Promise<TeamTokenRecord | undefined> {
		const organization = await this.organizationOf(teamId);
		if (organization === undefined) {
			return undefined;
		}
		const found = await findInPages(
			async page => (await this.http.send({method: "GET", path: `organizations/${organization}/team-tokens?${pageQuery(page)}`, idempotent: true})).body,
			data => relatedId(data, "team") === teamId && toTokenRecord(data).description === description,
			`the organization ${organization}`,
		);
		return found && toRecord({data: found}, teamId);
	}

	/** The name of the organization the team belongs to; undefined when the team is gone or its answer names none. */
	async organizationOf(teamId: string): Promise<string | undefined> {
		const team = await this.http.send({method: "GET", path: teamPath(teamId), idempotent: true});
		const organization = (team.body as {data?: {relationships?: {organization?: {data?: {id?: unknown}}}}})?.data?.relationships?.organization?.data?.id;
		return team.status === 404 || !validOrganizationName(organization) ? undefined : organization;
	}

	/** One page of the organization's team tokens (`GET /organizations/:name/team-tokens`). */
	async list(organization: string, options: TeamTokenListOptions = {}): Promise<ListPage<TeamTokenRecord>> {
		if (!validOrganizationName(organization)) {
			throw new InvalidOrganizationError();
		}
		const {body} = await this.http.send(organizationList(organization, `team-tokens?${listParameters(options)}`));
		return toListPage(body, options.pageNumber ?? 1, (data: TokenData) => toRecord({data}, null));
	}

	/**
	 * Every team token of the organization matching the options, all pages, at the largest page size; from `firstPage`
	 * on when the caller has read page 1 (with the same options) already.
	 */
	async listAll(organization: string, options: Omit<TeamTokenListOptions, keyof PageOptions> = {}, firstPage?: ListPage<TeamTokenRecord>): Promise<TeamTokenRecord[]> {
		return everyPage(page => this.list(organization, {...options, pageNumber: page, pageSize: MAX_PAGE_SIZE}), firstPage);
	}

	/**
	 * Revokes several of the organization's team tokens in one request (HashiCorp's "Delete team tokens in bulk", go-tfe
	 * spec `deleteTeamTokensForAnOrganization`). Any answer but a success throws, a 404 included: it is how a server
	 * without the route answers, and also what one may answer for an id it does not know, so the caller cannot tell
	 * which tokens were revoked and must check each on its own.
	 */
	async revokeMany(organization: string, options: TeamTokenBulkRevokeOptions): Promise<void> {
		if (!validOrganizationName(organization)) {
			throw new InvalidOrganizationError();
		}
		const {tokenIds} = options;
		if (tokenIds.length === 0 || tokenIds.length > MAX_BULK_REVOKE) {
			throw new InvalidListOptionError("tokenIds", `1 to ${MAX_BULK_REVOKE} token ids`, tokenIds.length);
		}
		if (!tokenIds.every(validTokenId)) {
			throw new InvalidTokenIdError();
		}
		await this.http.send({
			method: "DELETE",
			path: `organizations/${organization}/team-tokens`,
			json: {data: tokenIds.map(id => ({type: "authentication-tokens", id}))},
			idempotent: true,
			notFoundIsError: true,
		});
	}

	/** A token by id, or undefined when it no longer exists. */
	async read(tokenId: string): Promise<TeamTokenRecord | undefined> {
		const {status, body} = await this.http.send({method: "GET", path: tokenPath(tokenId), idempotent: true});
		return status === 404 ? undefined : toRecord(body, null);
	}

	/** Revokes a token by id. False when it did not exist. */
	async delete(tokenId: string): Promise<boolean> {
		const {status} = await this.http.send({method: "DELETE", path: tokenPath(tokenId), idempotent: true});
		return status !== 404;
	}
}
