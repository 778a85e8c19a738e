import {DAY_MS} from "./rotation";

/**
 * What the token audit says of one token. Each flag is checked on its own, so one token can carry several (a token
 * never used that expires next week is `expiring` and `never-used`); its status is the first of its flags in this
 * order, `ok` with none. The order puts what stops working or never stops first: an expired token breaks whoever
 * relies on it, an expiring one soon will, one that never expires is a standing risk; a token never used is likely
 * unneeded, which matters less while it expires anyway.
 */
export const AUDIT_FLAGS = ["expired", "expiring", "never-expires", "never-used"] as const;
export type AuditFlag = typeof AUDIT_FLAGS[number];
export type AuditStatus = AuditFlag | "ok";

/** The default of "expiring within N days", as the API's widest `expiring_in_30_days` filter. */
export const DEFAULT_EXPIRING_WITHIN_DAYS = 30;
/** The longest window accepted, as for `expiresInDays`. */
export const MAX_EXPIRING_WITHIN_DAYS = 36_500;

export interface Classification {
	status: AuditStatus;
	flags: AuditFlag[];
	/** Whole days until expiry, rounded down (negative once expired); undefined without a readable expiry. */
	daysLeft?: number;
}

/**
 * Flags at their boundaries: `expired` once `expiredAt` is now or past (the API stops accepting the token then);
 * `expiring` while it is later than now and at most `withinDays` whole days away; `never-expires` with no expiry;
 * `never-used` with no `lastUsedAt`. An expiry the API wrote in a form that does not parse counts as neither.
 */
export function classify(token: {expiredAt: string | null; lastUsedAt: string | null}, now: Date, withinDays: number): Classification {
	const flags: AuditFlag[] = [];
	const expiry = token.expiredAt === null ? undefined : Date.parse(token.expiredAt);
	const left = expiry === undefined || Number.isNaN(expiry) ? undefined : expiry - now.getTime();
	if (left !== undefined && left <= 0) {
		flags.push("expired");
	} else if (left !== undefined && left <= withinDays * DAY_MS) {
		flags.push("expiring");
	}
	if (token.expiredAt === null) {
		flags.push("never-expires");
	}
	if (token.lastUsedAt === null) {
		flags.push("never-used");
	}
	return {
		status: flags[0] ?? "ok",
		flags,
		...(left === undefined ? {} : {daysLeft: Math.floor(left / DAY_MS)}),
	};
}
