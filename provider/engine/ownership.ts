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

/** The rule in words, for errors that refuse to take a token. */
export const OWN_CREATE_RULE = "a token is taken for this stack's own lost create only when the user this API token acts as made it "
	+ `within the last ${OWN_CREATE_WINDOW_MS / 3_600_000} hours and it was never used`;
