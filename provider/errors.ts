/**
 * Errors the package throws. Every message passes through `redact` so that no API token or issued team token can
 * reach the Pulumi CLI output, logs or state through an error.
 */

/** Matches the shape of HCP Terraform / TFE tokens: `<id>.atlasv1.<secret>`. */
const TOKEN_SHAPE = /[A-Za-z0-9_-]{6,}\.atlasv1\.[A-Za-z0-9_-]{10,}/g;

/** Replaces token-shaped strings and the given secrets in `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
	let out = text.replace(TOKEN_SHAPE, "[redacted token]");
	for (const secret of secrets) {
		// Short strings would redact ordinary words; real tokens are long.
		if (secret && secret.length >= 8) {
			out = out.split(secret).join("[redacted token]");
		}
	}
	return out;
}

/** The provider cannot build a client: no API token, or an address it refuses. */
export class TfeConfigError extends Error {
	override name = "TfeConfigError";
}

/** One JSON:API error object as the API returns it. */
export interface JsonApiError {
	status?: string | number;
	title?: string;
	detail?: string;
}

/** An API answer that is not a success, or a request that never got one. */
export class TfeApiError extends Error {
	override name = "TfeApiError";
	/** HTTP status, or 0 when no response arrived (network error, timeout). */
	readonly status: number;
	readonly title: string | undefined;
	readonly detail: string | undefined;
	readonly method: string;
	readonly path: string;

	constructor(init: {status: number; method: string; path: string; title?: string; detail?: string; hint?: string}) {
		const what = init.status === 0 ? "no response" : `${init.status}${init.title ? ` ${init.title}` : ""}`;
		const detail = init.detail ? `: ${init.detail}` : "";
		const hint = init.hint ? ` ${init.hint}` : "";
		const stop = /[.!?]$/.test(detail) ? "" : ".";
		super(redact(`${init.method} ${init.path} failed (${what})${detail}${stop}${hint}`));
		this.status = init.status;
		this.title = init.title && redact(init.title);
		this.detail = init.detail && redact(init.detail);
		this.method = init.method;
		this.path = init.path;
	}
}

/**
 * Create found a token in its way that it may not take: the owner's single token (without `forceRegenerate`), or a
 * token with the same description. `token` describes it: id, maker, creation time, use.
 */
export class TokenExistsError extends Error {
	override name = "TokenExistsError";
	constructor(readonly owner: string, readonly tokenId: string, token: string, init: {rule: string; waysOut: string; revokeRoute: string; description?: string}) {
		const what = init.description === undefined ? "A token already exists" : `A token described ${JSON.stringify(init.description)} already exists`;
		super(
			`${what} for ${owner}: ${token}. It may be in use elsewhere, so it is left alone (${init.rule}). `
				+ `Ways out: ${init.waysOut}or, if nobody needs it, revoke it by hand (${init.revokeRoute}) and run \`pulumi up\` again.`,
		);
	}
}

/** A legacy create whose token was replaced by someone else's POST before it could be recorded. */
export class LegacyTokenRaceError extends Error {
	override name = "LegacyTokenRaceError";
	constructor(readonly owner: string, ours: string, theirs: string) {
		super(
			`The single token of ${owner} changed right after this create: it now has ${theirs}, which revoked `
				+ `the ${ours} just made (nothing was recorded). Another stack or person regenerated it at the same moment; `
				+ "make one of them the token's only manager, then run `pulumi up` again (with `forceRegenerate: true` to take it over).",
		);
	}
}

/** The token the server issued expires sooner than `rotateBeforeDays`, so every run would rotate it again. */
export class RotationWindowError extends Error {
	override name = "RotationWindowError";
	constructor(tokenId: string, expiredAt: string, lifetimeDays: number, rotateBeforeDays: number) {
		super(
			`The server gave the new token ${tokenId} a lifetime of ${lifetimeDays.toFixed(1)} days (it expires at ${expiredAt}), `
				+ `less than rotateBeforeDays (${rotateBeforeDays}): it would be rotated again at every run. It has been revoked. `
				+ `Set rotateBeforeDays below ${Math.floor(lifetimeDays)}, or give a longer expiresInDays if the server allows it.`,
		);
	}
}
