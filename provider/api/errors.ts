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
