import {createHash} from "node:crypto";
import type {Caller} from "./jwt";

/**
 * The descriptions of the tokens the adapter issues. They say who the token is for (the ESC environment), which
 * request made it (the JWT's `jti`) and until when it is meant to live; and they are how the adapter finds its own
 * tokens again: the sweep, and a rotation finishing one that failed halfway. The adapter revokes only tokens whose
 * description it wrote and that its own credential made.
 */
export const ISSUED_MARK = "issued for ESC ";

/** A `jti` as it goes into a description: as it is when plain, else a digest of it, so the text stays parseable. */
function jtiText(jti: string): string {
	return /^[A-Za-z0-9_-]{1,64}$/.test(jti) ? jti : createHash("sha256").update(jti).digest("hex").slice(0, 32);
}

export function openDescription(caller: Caller, expiresAt: Date): string {
	return `${ISSUED_MARK}open of ${caller.org}/${caller.environment}, jti ${jtiText(caller.jti)}, until ${expiresAt.toISOString()}`;
}

/**
 * What every token of one rotator's series starts with: the environment and the rotator's own label, so two
 * rotators of one owner in one environment keep apart when they are given different `description`s.
 */
export function rotationSeries(caller: Caller, label: string | undefined): string {
	return `${ISSUED_MARK}rotation of ${caller.org}/${caller.environment}${label === undefined ? "" : ` (${label})`}, jti `;
}

export function rotationDescription(series: string, caller: Caller, expiresAt: Date | undefined): string {
	return `${series}${jtiText(caller.jti)}, until ${expiresAt ? expiresAt.toISOString() : "the API's default expiry"}`;
}

/** The end of life a description written here names; undefined for one that names none. */
export function intendedExpiry(description: string | null): Date | undefined {
	const until = description?.startsWith(ISSUED_MARK) ? /, until (\S+)$/.exec(description)?.[1] : undefined;
	const ms = until === undefined ? Number.NaN : Date.parse(until);
	return Number.isNaN(ms) ? undefined : new Date(ms);
}
