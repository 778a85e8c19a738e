import {ROOT} from "./platforms";
import {run} from "./run";

/** Seconds since 1970 that a release dates its files by: the commit's, so the same commit packs the same bytes. */
export function sourceDate(): string {
	if (process.env.SOURCE_DATE_EPOCH) return process.env.SOURCE_DATE_EPOCH;
	try {
		return run("git", ["log", "-1", "--format=%ct"], {cwd: ROOT});
	} catch {
		return "0";
	}
}

/** sourceDate() as an RFC 3339 time in UTC, to the second. */
export function sourceTime(): string {
	return new Date(Number(sourceDate()) * 1000).toISOString().replace(/\.000Z$/, "Z");
}
