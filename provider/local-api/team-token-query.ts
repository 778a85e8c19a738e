import {errorReply, type Reply} from "./documents";
import type {IssuedToken} from "./store";

type TeamToken = Extract<IssuedToken, {readonly team: unknown}>;

const DAY_MS = 86_400_000;

/**
 * The values of `filter[expiry_status]` (go-tfe v2's OpenAPI spec lists these five; several are ORed). What each
 * means is decided here: `active` is any token that has not expired (tokens without an expiry included), the two
 * `expiring_in_*` are tokens that have not expired and will within that many days.
 */
const EXPIRY_STATUS: Readonly<Record<string, (token: IssuedToken, now: number) => boolean>> = {
	active: (token, now) => token.expiredAt === null || token.expiredAt.getTime() > now,
	expiring_in_7_days: (token, now) => expiresWithin(token, now, 7 * DAY_MS),
	expiring_in_30_days: (token, now) => expiresWithin(token, now, 30 * DAY_MS),
	expired: (token, now) => token.expiredAt !== null && token.expiredAt.getTime() <= now,
	no_expiration: token => token.expiredAt === null,
};

function expiresWithin(token: IssuedToken, now: number, ms: number): boolean {
	const at = token.expiredAt?.getTime();
	return at !== undefined && at > now && at <= now + ms;
}

/**
 * The `sort` keys go-tfe documents for this list ("team-name", "created-by", "expired-at", "last-used-at"), and
 * "created-at". A value a token lacks (no expiry, never used) sorts after every other value ascending and before them
 * descending, as a database puts NULLs; ties keep creation order.
 */
const SORT_KEYS: Readonly<Record<string, (token: TeamToken) => string | number | null>> = {
	"team-name": token => token.team.name.toLowerCase(),
	"created-by": token => token.createdBy.username.toLowerCase(),
	"created-at": token => token.createdAt.getTime(),
	"expired-at": token => token.expiredAt?.getTime() ?? null,
	"last-used-at": token => token.lastUsedAt?.getTime() ?? null,
};

const badRequest = (parameter: string, detail: string): Reply =>
	errorReply(400, {title: "bad request", detail, source: {parameter}});

/**
 * The organization's team tokens (oldest first) narrowed by `q` (a case-insensitive part of the team's name) and
 * `filter[expiry_status]`, ordered by `sort`; or a 400 naming an unknown filter value or sort key.
 */
export function selectTeamTokens(tokens: readonly IssuedToken[], query: URLSearchParams, now: Date): IssuedToken[] | Reply {
	let selected = tokens.filter((token): token is TeamToken => "team" in token);

	const search = query.get("q");
	if (search !== null && search !== "") {
		const part = search.toLowerCase();
		selected = selected.filter(token => token.team.name.toLowerCase().includes(part));
	}

	const statuses = query.get("filter[expiry_status]");
	if (statuses !== null && statuses.trim() !== "") {
		const tests: Array<(token: IssuedToken, now: number) => boolean> = [];
		for (const status of statuses.split(",").map(value => value.trim())) {
			const test = Object.hasOwn(EXPIRY_STATUS, status) ? EXPIRY_STATUS[status] : undefined;
			if (test === undefined) {
				return badRequest(
					"filter[expiry_status]",
					`Unknown expiry status ${JSON.stringify(status)}; expected any of ${Object.keys(EXPIRY_STATUS).join(", ")}.`,
				);
			}
			tests.push(test);
		}
		const at = now.getTime();
		selected = selected.filter(token => tests.some(test => test(token, at)));
	}

	const sort = query.get("sort");
	if (sort !== null && sort !== "") {
		const descending = sort.startsWith("-");
		const name = descending ? sort.slice(1) : sort;
		const key = Object.hasOwn(SORT_KEYS, name) ? SORT_KEYS[name] : undefined;
		if (key === undefined) {
			return badRequest("sort", `Unknown sort key ${JSON.stringify(name)}; expected one of ${Object.keys(SORT_KEYS).join(", ")}, optionally after "-".`);
		}
		const direction = descending ? -1 : 1;
		// Array.prototype.sort is stable, so equal keys keep creation order.
		selected = [...selected].sort((a, b) => direction * compare(key(a), key(b)));
	}
	return selected;
}

/** Ascending order with null after every value. */
function compare(a: string | number | null, b: string | number | null): number {
	if (a === b) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	return a < b ? -1 : 1;
}
