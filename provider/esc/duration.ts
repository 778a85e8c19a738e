const UNIT_MS = {s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000} as const;

/** The units a duration may be written in, for messages. */
export const DURATION_FORMAT = "a whole number followed by s, m, h or d (for example 15m, 1h, 2d)";

/** Milliseconds of a duration such as `15m`; undefined when it is not one (zero included). */
export function parseDuration(value: unknown): number | undefined {
	if (typeof value !== "string") {
		return undefined;
	}
	const match = /^([1-9]\d{0,8})([smhd])$/.exec(value.trim());
	return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}

/** A duration in the largest unit that writes it whole: 7200000 is `2h`, 5400000 is `90m`. */
export function formatDuration(ms: number): string {
	for (const unit of ["d", "h", "m"] as const) {
		if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) {
			return `${ms / UNIT_MS[unit]}${unit}`;
		}
	}
	return `${Math.round(ms / 1000)}s`;
}
