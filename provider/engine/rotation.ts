export const DAY_MS = 86_400_000;

/** The `expired-at` to request for a lifetime given in days, counted from `now`. */
export function expiryFromDays(days: number, now: Date): string {
	return new Date(now.getTime() + days * DAY_MS).toISOString();
}

/**
 * Why the current token must be replaced now, or undefined when it may stay. An expired token is always replaced;
 * with `rotateBeforeDays`, so is one with fewer days left than that. A token without an expiry never rotates.
 */
export function rotationReason(expiredAt: unknown, rotateBeforeDays: number | undefined, now: Date): string | undefined {
	const expiry = typeof expiredAt === "string" ? Date.parse(expiredAt) : Number.NaN;
	if (Number.isNaN(expiry)) {
		return undefined;
	}
	const left = expiry - now.getTime();
	if (left <= 0) {
		return `the token expired at ${new Date(expiry).toISOString()}`;
	}
	if (rotateBeforeDays !== undefined && left < rotateBeforeDays * DAY_MS) {
		const days = (left / DAY_MS).toFixed(1);
		return `the token expires in ${days} days (${new Date(expiry).toISOString()}), fewer than rotateBeforeDays (${rotateBeforeDays})`;
	}
	return undefined;
}
