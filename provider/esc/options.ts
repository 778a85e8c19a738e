import type {TfeSettings} from "../api/config";
import type {HttpOptions} from "../api/http";
import {NODE_TIMERS, type Timers} from "../engine/timers";
import type {Policy} from "./policy";

/** Pulumi Cloud's issuer of the JWTs it signs for `fn::open::external` and `fn::rotate::external`. */
export const PULUMI_CLOUD_ISSUER = "https://api.pulumi.com";
/** Where Pulumi Cloud publishes those JWTs' keys (the working examples' URL; the `/oidc/v2` keys are another set). */
export const PULUMI_CLOUD_JWKS_URL = "https://api.pulumi.com/oidc/.well-known/jwks";

/**
 * Every default of the adapter, in one place. The deadline is what one ESC request may spend on HCP Terraform, every
 * request, retry and rate-limit wait included: Pulumi does not document ESC's timeout, so the answer must come in
 * seconds.
 */
export const ESC_DEFAULTS = {
	issuers: [PULUMI_CLOUD_ISSUER],
	jwksUrl: PULUMI_CLOUD_JWKS_URL,
	/** All HCP Terraform requests for one ESC request, in ms. */
	requestDeadlineMs: 20_000,
	/** One attempt of one HCP Terraform request, in ms. */
	attemptTimeoutMs: 10_000,
	/** Largest request body accepted, in bytes; checked before anything is parsed. ESC's requests are a few hundred. */
	maxBodyBytes: 16 * 1024,
	/** How far `exp` and `iat` may be off our clock, in seconds. */
	clockSkewSeconds: 60,
	/** Oldest `iat` accepted, in seconds (Pulumi Cloud's tokens live 5 minutes). */
	maxTokenAgeSeconds: 600,
	/** Shortest time between two JWKS fetches caused by an unknown `kid`, in ms. */
	jwksRefetchCooldownMs: 5_000,
	/** Time allowed for one fetch of the JWKS, in ms. */
	jwksTimeoutMs: 5_000,
	/** How long fetched keys are used before they are fetched again, in ms. */
	jwksCacheMs: 10 * 60_000,
	/** How often every owner the policy names is swept for expired tokens the adapter issued, in ms. */
	sweepIntervalMs: 5 * 60_000,
	/** All HCP Terraform requests of one sweep of one organization or owner (a long token list is many pages), in ms. */
	sweepDeadlineMs: 120_000,
	/** How long an organization's token TTL policy read from the API is reused, in ms. */
	ttlPolicyCacheMs: 60_000,
} as const;

/** What `createEscAdapter` takes. Only the policy, the public URL and the HCP Terraform settings have no default. */
export interface EscAdapterOptions {
	policy: Policy;
	/** The base URL ESC calls (`https://adapter.example.com`); a JWT's `aud` must be it plus the route's path. */
	publicUrl: string;
	/** HCP Terraform's address and the adapter's own credential (`resolveSettings` reads them from TFE_TOKEN etc.). */
	tfe: TfeSettings;
	issuers?: readonly string[];
	jwksUrl?: string;
	/** Keys to verify with instead of fetching `jwksUrl` (a JWKS document), for a deployment that pins them. */
	jwks?: {keys: readonly object[]};
	requestDeadlineMs?: number;
	attemptTimeoutMs?: number;
	maxBodyBytes?: number;
	clockSkewSeconds?: number;
	maxTokenAgeSeconds?: number;
	jwksRefetchCooldownMs?: number;
	jwksCacheMs?: number;
	/** 0 turns the scheduled sweep off (a serverless function, which does not live between requests). */
	sweepIntervalMs?: number;
	sweepDeadlineMs?: number;
	ttlPolicyCacheMs?: number;
	/** Where the one JSON line per request goes. Default: stdout. */
	log?: (line: string) => void;
	/** Injected for tests: the clock, the sweep's timers, and the HTTP client's knobs besides the deadline and attempt timeout. */
	now?: () => Date;
	timers?: Timers;
	http?: Partial<HttpOptions>;
}

export type ResolvedEscOptions = Required<Omit<EscAdapterOptions, "jwks" | "http">> & Pick<EscAdapterOptions, "jwks" | "http">;

function positive(name: string, value: number, allowZero = false): number {
	if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
		throw new RangeError(`${name} must be a ${allowZero ? "non-negative" : "positive"} number; got ${value}`);
	}
	return value;
}

/** The public URL without a trailing slash, so `aud` is it plus `/open`; refused when it is not an http(s) URL. */
function normalizePublicUrl(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new RangeError(`publicUrl must be an absolute URL such as https://adapter.example.com; got ${JSON.stringify(url)}`);
	}
	if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
		throw new RangeError(`publicUrl must be an https URL (ESC calls https only); got ${parsed.protocol}`);
	}
	if (parsed.search || parsed.hash) {
		throw new RangeError("publicUrl must have no query or fragment: ESC's aud is the URL exactly as written");
	}
	return parsed.href.replace(/\/+$/, "");
}

export function resolveEscOptions(options: EscAdapterOptions): ResolvedEscOptions {
	const issuers = options.issuers ?? ESC_DEFAULTS.issuers;
	if (issuers.length === 0 || issuers.some(issuer => issuer.trim() === "")) {
		throw new RangeError("issuers must name at least one issuer, none of them empty");
	}
	return {
		policy: options.policy,
		publicUrl: normalizePublicUrl(options.publicUrl),
		tfe: options.tfe,
		issuers,
		jwksUrl: options.jwksUrl ?? ESC_DEFAULTS.jwksUrl,
		jwks: options.jwks,
		requestDeadlineMs: positive("requestDeadlineMs", options.requestDeadlineMs ?? ESC_DEFAULTS.requestDeadlineMs),
		attemptTimeoutMs: positive("attemptTimeoutMs", options.attemptTimeoutMs ?? ESC_DEFAULTS.attemptTimeoutMs),
		maxBodyBytes: positive("maxBodyBytes", options.maxBodyBytes ?? ESC_DEFAULTS.maxBodyBytes),
		clockSkewSeconds: positive("clockSkewSeconds", options.clockSkewSeconds ?? ESC_DEFAULTS.clockSkewSeconds, true),
		maxTokenAgeSeconds: positive("maxTokenAgeSeconds", options.maxTokenAgeSeconds ?? ESC_DEFAULTS.maxTokenAgeSeconds),
		jwksRefetchCooldownMs: positive("jwksRefetchCooldownMs", options.jwksRefetchCooldownMs ?? ESC_DEFAULTS.jwksRefetchCooldownMs, true),
		jwksCacheMs: positive("jwksCacheMs", options.jwksCacheMs ?? ESC_DEFAULTS.jwksCacheMs, true),
		sweepIntervalMs: positive("sweepIntervalMs", options.sweepIntervalMs ?? ESC_DEFAULTS.sweepIntervalMs, true),
		sweepDeadlineMs: positive("sweepDeadlineMs", options.sweepDeadlineMs ?? ESC_DEFAULTS.sweepDeadlineMs),
		ttlPolicyCacheMs: positive("ttlPolicyCacheMs", options.ttlPolicyCacheMs ?? ESC_DEFAULTS.ttlPolicyCacheMs, true),
		log: options.log ?? (line => void process.stdout.write(`${line}\n`)),
		now: options.now ?? (() => new Date()),
		timers: options.timers ?? NODE_TIMERS,
		http: options.http,
	};
}
