// Date.parse accepts far more than RFC 3339 ("2027-06-01", "June 1 2027"), and the real API rejects those, so the
// grammar is checked here: full date, "T", full time, optional fraction, and "Z" or a numeric offset.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** The instant an RFC 3339 date-time names, or undefined when the text is not one (or names no real date). */
export function parseRfc3339(text: string): Date | undefined {
	const match = DATE_TIME.exec(text);
	if (match === null) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
		number,
		number,
		number,
		number,
		number,
		number,
	];
	const fraction = match[7] ?? "";
	const [sign, offsetHours, offsetMinutes] = [match[9], Number(match[10] ?? 0), Number(match[11] ?? 0)];
	// Leap seconds (60) are valid RFC 3339 but JavaScript dates cannot hold them; rejecting is the honest answer.
	if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;

	const date = new Date(0);
	// setUTCFullYear, unlike Date.UTC, does not map years 0-99 to the 1900s.
	date.setUTCFullYear(year, month - 1, day);
	// A day the month does not have (2027-02-30) rolls over into the next month; that is not a date the client meant.
	if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
	const offsetMs = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
	const milliseconds = Number(fraction.slice(0, 3).padEnd(3, "0"));
	date.setUTCHours(hour, minute, second, milliseconds);
	return new Date(date.getTime() - offsetMs);
}
