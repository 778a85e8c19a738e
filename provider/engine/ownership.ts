import type {TokenRecord} from "../api/token-document";

/**
 * How long after its creation a token found in the way may still be taken for this stack's own create whose answer
 * was lost (the engine killed, a dropped connection). Long enough for an interrupted `pulumi up` to be run again
 * the same day; short enough that a token made by hand with the same credential and not used yet is rarely taken.
 */
export const OWN_CREATE_WINDOW_MS = 24 * 3_600_000;

/** How far the API's clock may run ahead of ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Who the API token acts as, and the moment the judgement is made. */
export interface Judge {
	me: string | undefined;
	now: Date;
}

/**
 * Whether a token found where this stack wants to create one is this stack's own unrecorded create, and may be
 * revoked: made by the user (or team) this API token acts as, within OWN_CREATE_WINDOW_MS, and never used. A
 * token anyone has used, or that someone else made, may be in use elsewhere and is never taken.
 */
export function isOwnUnrecordedCreate(token: TokenRecord, judge: Judge): boolean {
	const created = Date.parse(token.createdAt ?? "");
	const age = judge.now.getTime() - created;
	return judge.me !== undefined
		&& token.createdBy === judge.me
		&& token.lastUsedAt === null
		&& age >= -CLOCK_SKEW_MS
		&& age <= OWN_CREATE_WINDOW_MS;
}

/** The facts the rule looks at, for messages: id, maker, creation time, use. */
export function describeToken(token: TokenRecord, judge: Judge): string {
	const maker = token.createdBy === null
		? "by an unknown user"
		: `by ${token.createdBy}${token.createdBy === judge.me ? " (the user this API token acts as)" : ""}`;
	const used = token.lastUsedAt === null ? "never used" : `last used at ${token.lastUsedAt}`;
	return `${token.id} (made ${maker} at ${token.createdAt ?? "an unknown time"}, ${used})`;
}

const WITHIN_WINDOW = `within the last ${OWN_CREATE_WINDOW_MS / 3_600_000} hours`;

/** Where descriptions repeat, only tokens made since the create began are looked at (see createMany). */
export const SINCE_CREATE_BEGAN = "since this create began (less a minute for clock skew)";

/** The rule in words, for errors that refuse to take a token. */
export const OWN_CREATE_RULE = `a token is taken for this stack's own lost create only when the user this API token acts as made it ${WITHIN_WINDOW} `
	+ "and it was never used";

/**
 * Why a token that meets the rule is being revoked, as what was observed and what was concluded from it. A token
 * made by hand with the same credential and not used yet meets the rule too, so the conclusion is not stated as
 * fact. `recency` is how recent the token was found to be.
 */
export function ownCreateInference(token: TokenRecord, recency = WITHIN_WINDOW): string {
	return `it was made by ${token.createdBy} (the user this API token acts as) at ${token.createdAt}, ${recency}, and never used, `
		+ "so it is taken to be this stack's own create whose answer was lost";
}
