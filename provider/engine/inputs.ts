import type * as pulumi from "@pulumi/pulumi";
import {redact} from "../api/errors";
import {validOrganizationName} from "../api/validation";
import {TOKEN_OUTPUTS, type TokenKind} from "../kinds/kind";
import {closest} from "./suggest";

/** The SDK's own input (the serialized provider) and the kind the resource class records. */
const SDK_INPUTS = new Set(["__provider", "kind"]);

/**
 * The API documents no length limit for a description; this cap is ours, far above any useful description and
 * below what request bodies and error messages should carry.
 */
export const MAX_DESCRIPTION_LENGTH = 255;

/** The engine's placeholder for a value that is not known during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Longest maximum a TTL policy accepts: a hundred years, far past any server limit but still a valid date. */
export const MAX_DAYS = 36_500;

/**
 * Longest lifetime a token may be given (`expiresInDays`, or `expiredAt` from now): ten years, five times the
 * server's two-year default. A longer one, such as 36500 days or a date in 2126 or 9999, is almost certainly a slip
 * for "never" or a wrong year, and a token that outlives everyone who knows of it is what an audit flags.
 */
export const MAX_LIFETIME_DAYS = 3650;

const DAY_MS = 86_400_000;

/** C0 and C1 control characters and DEL: invisible in the UI and in logs, and a NUL ends strings in C. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What each output of a token is, for an input named after it: the API makes it, nothing can set it. */
const OUTPUT_HINTS: Record<(typeof TOKEN_OUTPUTS)[number], string> = {
	token: "the API makes the token; read it from the resource (its `token` output, a secret)",
	tokenId: "the API gives each token its id; to take over an existing token, import it (`pulumi import`)",
	createdAt: "the API reports when the token was made",
	createdBy: "the API reports who made the token",
};

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 date-time to epoch ms, or undefined. Rejects dates such as February 30. */
export function parseRfc3339(value: string): number | undefined {
	const match = RFC3339.exec(value);
	if (!match) {
		return undefined;
	}
	const [, year, month, day, hour, minute, second] = match.map(Number);
	const ms = Date.parse(value);
	const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
	if (Number.isNaN(ms) || month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour! > 23 || minute! > 59 || second! > 59) {
		return undefined;
	}
	return ms;
}

function shown(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isPositiveInteger(value: unknown, max: number): value is number {
	return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= max;
}

/**
 * Validates raw inputs as `check` receives them. Values not known yet (previews) are passed through unchecked;
 * they are checked again once known. Returns the normalised inputs and one failure per offending field.
 */
export function checkInputs(kind: TokenKind, news: Record<string, unknown>, now: Date, secrets: readonly string[] = []): {inputs: Record<string, unknown>; failures: pulumi.dynamic.CheckFailure[]} {
	const failures: pulumi.dynamic.CheckFailure[] = [];
	const inputs: Record<string, unknown> = {...news};
	// The engine prints the value of the property a failure names, unredacted; a failure naming none prints only
	// the reason. So the field goes into the reason, whose quote of the value is scrubbed of anything secret.
	const fail = (property: string, reason: string) => failures.push({property: "", reason: redact(`${property}: ${reason}`, secrets)});
	const known = (key: string) => news[key] !== undefined && news[key] !== null && news[key] !== UNKNOWN;

	for (const name of Object.keys(news)) {
		const output = TOKEN_OUTPUTS.find(output => output === name);
		if (output) {
			// Never quoted: it may be a token.
			fail(name, `is an output of ${kind.resource}, not an input: ${OUTPUT_HINTS[output]}. Remove it from the inputs.`);
		} else if (!kind.inputNames.includes(name) && !SDK_INPUTS.has(name)) {
			const meant = closest(name, kind.inputNames);
			fail(name, `not an input of ${kind.resource}${meant ? `; did you mean ${meant}?` : "."} The inputs are ${kind.inputNames.join(", ")}.`);
		}
	}
	const owner = news[kind.ownerInput];
	const ownerProblem = owner === UNKNOWN ? undefined : kind.checkOwner(owner);
	if (ownerProblem) {
		fail(kind.ownerInput, ownerProblem.replace("{got}", shown(owner ?? "nothing")));
	}
	if (kind.ownerInput !== "organization" && known("organization") && !validOrganizationName(news.organization)) {
		fail("organization", `must be an organization name: letters, digits, "-" and "_", at most 64 characters; got ${shown(news.organization)}`);
	}
	if (kind.requiresDescription && (news.description === undefined || news.description === null)) {
		fail("description", `is required: the API needs one for every ${kind.resource}`);
	}
	if (known("description")) {
		if (typeof news.description !== "string" || news.description.trim() === "") {
			fail("description", `must be a non-empty string; got ${shown(news.description)}`);
		} else if (news.description.length > MAX_DESCRIPTION_LENGTH) {
			fail("description", `must be at most ${MAX_DESCRIPTION_LENGTH} characters; got ${news.description.length}`);
		} else if (CONTROL.test(news.description)) {
			const at = news.description.search(CONTROL);
			const code = news.description.charCodeAt(at).toString(16).toUpperCase().padStart(4, "0");
			fail("description", `must not hold control characters (a NUL, a newline, a tab, ...); got U+${code} at character ${at + 1}`);
		}
	}
	if (known("forceRegenerate")) {
		if (typeof news.forceRegenerate !== "boolean") {
			fail("forceRegenerate", `must be true or false; got ${shown(news.forceRegenerate)}`);
		} else if (news.description !== undefined && news.description !== null) {
			fail("forceRegenerate", `cannot be combined with description: it only applies to the ${kind.ownerNoun}'s single legacy token, and each described token is new; remove one of them`);
		}
	}
	if (known("expiredAt")) {
		const ms = typeof news.expiredAt === "string" ? parseRfc3339(news.expiredAt) : undefined;
		if (ms === undefined) {
			fail("expiredAt", `must be an RFC 3339 date-time such as 2027-06-01T00:00:00Z; got ${shown(news.expiredAt)}`);
		} else if (ms <= now.getTime()) {
			fail("expiredAt", `must be in the future; got ${shown(news.expiredAt)}, and it is now ${now.toISOString()}`);
		} else if (ms > now.getTime() + MAX_LIFETIME_DAYS * DAY_MS) {
			const latest = new Date(now.getTime() + MAX_LIFETIME_DAYS * DAY_MS).toISOString();
			fail("expiredAt", `must be at most ${MAX_LIFETIME_DAYS} days (ten years) from now, by ${latest}; got ${shown(news.expiredAt)}. Leave it unset for the server's default`);
		} else {
			inputs.expiredAt = new Date(ms).toISOString();
		}
		if (known("expiresInDays")) {
			fail("expiresInDays", "cannot be combined with expiredAt: give the lifetime either as a date or as a number of days");
		}
		if (known("rotateBeforeDays")) {
			fail("rotateBeforeDays", "cannot be combined with a fixed expiredAt: each replacement would get the same date and be rotated again at every run; use expiresInDays instead");
		}
	}
	if (known("expiresInDays") && !isPositiveInteger(news.expiresInDays, MAX_LIFETIME_DAYS)) {
		fail("expiresInDays", `must be a whole number of days from 1 to ${MAX_LIFETIME_DAYS} (ten years); got ${shown(news.expiresInDays)}`);
	}
	if (known("rotateBeforeDays")) {
		if (!isPositiveInteger(news.rotateBeforeDays, MAX_LIFETIME_DAYS)) {
			fail("rotateBeforeDays", `must be a whole number of days from 1 to ${MAX_LIFETIME_DAYS} (ten years); got ${shown(news.rotateBeforeDays)}`);
		} else if (isPositiveInteger(news.expiresInDays, MAX_LIFETIME_DAYS) && news.rotateBeforeDays >= news.expiresInDays) {
			fail("rotateBeforeDays", `must be less than expiresInDays (${news.expiresInDays}): otherwise every new token is already due and would be rotated at every run; got ${news.rotateBeforeDays}`);
		}
	}
	if (known("triggers") && !Array.isArray(news.triggers)) {
		fail("triggers", `must be an array of values; got ${shown(news.triggers)}`);
	}
	return {inputs, failures};
}
