import type {Http} from "./http";

/** An API token as the API describes it, whatever its kind. `token` is only present in a create response. */
export interface TokenRecord {
	id: string;
	description: string | null;
	token: string | null;
	createdAt: string | null;
	expiredAt: string | null;
	createdBy: string | null;
	/** When the token last authenticated a request; null when it never has. */
	lastUsedAt: string | null;
}

export interface TokenData {
	id?: string;
	attributes?: Record<string, unknown>;
	relationships?: Record<string, {data?: {id?: string} | null} | undefined>;
}

function str(value: unknown): string | null {
	return typeof value === "string" ? value : null;
}

/** Reads one `authentication-tokens` resource object; throws when there is none. */
export function toTokenRecord(data: TokenData | undefined): TokenRecord {
	if (!data?.id) {
		throw new Error("The API answered without a token document.");
	}
	const attributes = data.attributes ?? {};
	return {
		id: data.id,
		description: str(attributes.description),
		token: str(attributes.token),
		createdAt: str(attributes["created-at"]),
		expiredAt: str(attributes["expired-at"]),
		createdBy: str(data.relationships?.["created-by"]?.data?.id),
		lastUsedAt: str(attributes["last-used-at"]),
	};
}

/** The id a token's relationship of this name points at (its team, agent pool, ...). */
export function relatedId(data: TokenData | undefined, relationship: string): string | null {
	return str(data?.relationships?.[relationship]?.data?.id);
}

/** The JSON:API body of a token-creating POST; unset attributes are left out, so the server's defaults apply. */
export function createBody(attributes: {description?: string; expiredAt?: string}) {
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

/** The organization list endpoints are paged; this bounds a walk through one. */
export const MAX_PAGES = 100;

/**
 * Walks a paged token list (100 per page) until `match` finds one. The list can shift while it is read, which
 * callers that need certainty handle by looking twice.
 */
export async function findInPages(
	fetchPage: (page: number) => Promise<unknown>,
	match: (data: TokenData) => boolean,
	what: string,
): Promise<TokenData | undefined> {
	for (let page = 1; page <= MAX_PAGES; page++) {
		const list = await fetchPage(page) as {data?: TokenData[]; meta?: {pagination?: {"next-page"?: number | null}}};
		const found = (list?.data ?? []).find(match);
		if (found) {
			return found;
		}
		if (!list?.meta?.pagination?.["next-page"]) {
			return undefined;
		}
	}
	throw new Error(`${what} lists more than ${MAX_PAGES * 100} tokens`);
}

/** Query string of one page of a token list. */
export const pageQuery = (page: number) => `page%5Bnumber%5D=${page}&page%5Bsize%5D=100`;

/**
 * The token of a paged list (an agent pool's, a user's) with this description created at or after `since`, after a
 * lost answer to a create. Where descriptions may repeat, `since` is what tells a lost create from the token it
 * replaces. A 404 on the list counts as no token.
 */
export async function findDescribedSince(http: Http, listPath: string, description: string, since: Date, what: string): Promise<TokenRecord | undefined> {
	const found = await findInPages(
		async page => {
			const {status, body} = await http.send({method: "GET", path: `${listPath}?${pageQuery(page)}`, idempotent: true});
			return status === 404 ? undefined : body;
		},
		data => {
			const record = toTokenRecord(data);
			return record.description === description && Date.parse(record.createdAt ?? "") >= since.getTime();
		},
		what,
	);
	return found && toTokenRecord(found);
}
