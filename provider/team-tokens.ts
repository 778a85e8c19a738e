import type {Http} from "./http";
import {InvalidTeamIdError, InvalidTokenIdError, validTeamId, validTokenId} from "./validation";

/** A team token as the API describes it. `token` is only present in a create response. */
export interface TeamTokenRecord {
	id: string;
	teamId: string;
	description: string | null;
	token: string | null;
	createdAt: string | null;
	expiredAt: string | null;
	createdBy: string | null;
	/** When the token last authenticated a request; null when it never has. */
	lastUsedAt: string | null;
}

export interface LegacyTokenCreateOptions {
	/** RFC 3339 instant; omitted lets the server apply its default lifetime. */
	expiredAt?: string;
}

export interface DescribedTokenCreateOptions {
	description: string;
	expiredAt?: string;
}

interface TokenDocument {
	data?: {
		id?: string;
		attributes?: Record<string, unknown>;
		relationships?: Record<string, {data?: {id?: string} | null} | undefined>;
	};
}

function str(value: unknown): string | null {
	return typeof value === "string" ? value : null;
}

function toRecord(body: unknown, teamId: string | null): TeamTokenRecord {
	const data = (body as TokenDocument)?.data;
	if (!data?.id) {
		throw new Error("The API answered without a token document.");
	}
	const attributes = data.attributes ?? {};
	return {
		id: data.id,
		teamId: teamId ?? str(data.relationships?.team?.data?.id) ?? "",
		description: str(attributes.description),
		token: str(attributes.token),
		createdAt: str(attributes["created-at"]),
		expiredAt: str(attributes["expired-at"]),
		createdBy: str(data.relationships?.["created-by"]?.data?.id),
		lastUsedAt: str(attributes["last-used-at"]),
	};
}

function createBody(attributes: {description?: string; expiredAt?: string}) {
	return {
		data: {
			type: "authentication-tokens",
			attributes: {
				...(attributes.description === undefined ? {} : {description: attributes.description}),
				...(attributes.expiredAt === undefined ? {} : {"expired-at": attributes.expiredAt}),
			},
		},
	};
}

function teamPath(teamId: string, suffix?: string): string {
	if (!validTeamId(teamId)) {
		throw new InvalidTeamIdError();
	}
	return suffix ? `teams/${teamId}/${suffix}` : `teams/${teamId}`;
}

const ORGANIZATION_NAME = /^[A-Za-z0-9_-]+$/;

/** The organization list is paged; this bounds the walk through it. */
const MAX_PAGES = 100;

function tokenPath(tokenId: string): string {
	if (!validTokenId(tokenId)) {
		throw new InvalidTokenIdError();
	}
	return `authentication-tokens/${tokenId}`;
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
		const team = await this.http.send({method: "GET", path: teamPath(teamId), idempotent: true});
		const organization = (team.body as {data?: {relationships?: {organization?: {data?: {id?: unknown}}}}})?.data?.relationships?.organization?.data?.id;
		if (team.status === 404 || typeof organization !== "string" || !ORGANIZATION_NAME.test(organization)) {
			return undefined;
		}
		for (let page = 1; page <= MAX_PAGES; page++) {
			const {body} = await this.http.send({
				method: "GET",
				path: `organizations/${organization}/team-tokens?page%5Bnumber%5D=${page}&page%5Bsize%5D=100`,
				idempotent: true,
			});
			const list = body as {data?: unknown[]; meta?: {pagination?: {"next-page"?: number | null}}};
			for (const item of list?.data ?? []) {
				const record = toRecord({data: item}, null);
				if (record.teamId === teamId && record.description === description) {
					return record;
				}
			}
			if (!list?.meta?.pagination?.["next-page"]) {
				return undefined;
			}
		}
		throw new Error(`the organization ${organization} lists more than ${MAX_PAGES * 100} tokens`);
	}

	/** The id of the user (or team) the API token acts as, as tokens' `created-by` names it. */
	async whoAmI(): Promise<string | undefined> {
		const {body} = await this.http.send({method: "GET", path: "account/details", idempotent: true});
		const id = (body as {data?: {id?: unknown}})?.data?.id;
		return typeof id === "string" ? id : undefined;
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
