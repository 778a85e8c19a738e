import {createHash} from "node:crypto";
import ky, {type KyInstance} from "ky";
import type {TfeSettings} from "./config";
import {type JsonApiError, TfeApiError} from "./errors";
import {noAnswer} from "./no-answer";
import {delay, RateLimiter} from "./rate-limiter";
import {PACKAGE_NAME, PACKAGE_VERSION} from "./version";

/** Knobs of the HTTP client. Every default lives here. */
export interface HttpOptions {
	/** Time allowed for one attempt, headers and body, in ms. Default 30 000. */
	timeoutMs: number;
	/** Attempts per request, the first included. Default 10 (go-tfe retries up to 10 times). */
	maxAttempts: number;
	/**
	 * Time a request may take from its first attempt to its answer, in ms: every attempt, body read, backoff and
	 * rate-limit wait included. Default 180 000, go-tfe's cap on waiting.
	 */
	deadlineMs: number;
	/** First backoff after a 5xx or network error, doubled per attempt, in ms. Default 250. */
	backoffBaseMs: number;
	/** Longest single backoff, in ms. Default 8 000. */
	backoffMaxMs: number;
	/**
	 * Fraction of the server's `X-RateLimit-Limit` the client lets into any one-second window (rounded down: 28 of
	 * 30); requests go at once until the window holds that many, each counted until a second after its answer
	 * (less the fastest round trip seen). 0 turns pacing off. Default 0.95.
	 */
	rateLimitUtilisation: number;
	/** Injected for tests. */
	fetch?: typeof globalThis.fetch;
	sleep: (ms: number) => Promise<void>;
	random: () => number;
	/** Monotonic milliseconds, for the deadline. */
	clock: () => number;
}

export const defaultHttpOptions: HttpOptions = {
	timeoutMs: 30_000,
	maxAttempts: 10,
	deadlineMs: 180_000,
	backoffBaseMs: 250,
	backoffMaxMs: 8_000,
	rateLimitUtilisation: 0.95,
	sleep: delay,
	random: Math.random,
	clock: () => performance.now(),
};

export interface ApiRequest {
	method: "GET" | "POST" | "PATCH" | "DELETE";
	/** Path below `/api/v2/`, built from validated ids only. */
	path: string;
	json?: unknown;
	/**
	 * Whether sending the request twice ends in the same state as sending it once. Only then are 5xx answers and
	 * network errors retried; a 429 is always retried because the server did not act on the request.
	 */
	idempotent: boolean;
	/** Added to the error for a 404, which the API also answers when the token lacks access. */
	notFoundHint?: string;
	/** A 404 to a GET or DELETE fails like any other error, instead of coming back as "gone". */
	notFoundIsError?: boolean;
	/** This request's own deadline, in ms, where it is shorter than the client's: what a caller's budget has left. */
	deadlineMs?: number;
}

export interface ApiResponse {
	status: number;
	body: unknown;
}

/** Sends API requests with authentication, pacing, retries and error mapping. */
export interface Http {
	send(request: ApiRequest): Promise<ApiResponse>;
	/**
	 * Whether the API limits the rate of this credential's requests: assumed until its first answer, false once an
	 * answer names no limit, or where pacing is off. Callers that can trade requests for waiting use it to tell when to.
	 */
	limited?(): boolean;
}

// One limiter per host and credential for the whole process, so that every resource the dynamic-provider host
// serves shares the budget the API grants that credential. Keyed by a hash so the map holds no token.
const limiters = new Map<string, RateLimiter>();

function limiterFor(settings: TfeSettings, utilisation: number): RateLimiter {
	const key = createHash("sha256").update(`${settings.baseUrl}\n${settings.token}`).digest("hex");
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = new RateLimiter(utilisation);
		limiters.set(key, limiter);
	}
	return limiter;
}

/** Milliseconds to wait from `X-RateLimit-Reset` (fractional seconds) or `Retry-After` (seconds or an HTTP date). */
export function rateLimitWaitMs(headers: Headers, now = Date.now()): number | undefined {
	const reset = Number(headers.get("x-ratelimit-reset"));
	if (headers.has("x-ratelimit-reset") && Number.isFinite(reset) && reset >= 0) {
		return reset * 1000;
	}
	const retryAfter = headers.get("retry-after");
	if (retryAfter) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) {
			return seconds * 1000;
		}
		const date = Date.parse(retryAfter);
		if (!Number.isNaN(date)) {
			return Math.max(0, date - now);
		}
	}
	return undefined;
}

function firstError(body: unknown): JsonApiError | undefined {
	const errors = (body as {errors?: unknown})?.errors;
	return Array.isArray(errors) && errors.length > 0 && typeof errors[0] === "object" ? errors[0] as JsonApiError : undefined;
}

function hintFor(status: number, request: ApiRequest, settings: TfeSettings): string | undefined {
	if (status === 401) {
		return `The API token (from ${settings.tokenSource}) was rejected by ${settings.hostname}: `
			+ `set a valid one with \`pulumi config set --secret ${settings.namespace}:token <token>\` or TFE_TOKEN.`;
	}
	if (status === 404) {
		return request.notFoundHint;
	}
	return undefined;
}

/**
 * The whole body as text, read within the attempt. The attempt's signal reaches undici's body stream only through
 * the Request that ky builds and hands to fetch, and undici follows a Request's signal by a weak reference
 * (nodejs/undici#4068): once ky has let go of its Request (it does when the headers arrive) and a garbage collection
 * has run, aborting the signal no longer ends the read. A stalled body then ran into undici's own 300 s idle timeout,
 * and a trickling one never ended. Cancelling the stream held here ends the read and closes the connection,
 * whatever has been collected.
 */
async function readText(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<string> {
	const reader = body.getReader();
	const cancel = () => void reader.cancel(signal.reason).catch(() => undefined);
	if (signal.aborted) {
		cancel();
	} else {
		signal.addEventListener("abort", cancel, {once: true});
	}
	try {
		const decoder = new TextDecoder();
		let text = "";
		for (;;) {
			const {done, value} = await reader.read();
			// A cancelled read ends as if the body were complete.
			signal.throwIfAborted();
			if (done) {
				return text + decoder.decode();
			}
			text += decoder.decode(value, {stream: true});
		}
	} finally {
		signal.removeEventListener("abort", cancel);
	}
}

async function readBody(response: Response, signal: AbortSignal): Promise<unknown> {
	const text = response.body ? await readText(response.body, signal) : "";
	if (!text) {
		return undefined;
	}
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export function createHttp(settings: TfeSettings, overrides: Partial<HttpOptions> = {}): Http {
	const options = {...defaultHttpOptions, ...overrides};
	if (settings.sslSkipVerify) {
		// Node's fetch takes no per-request TLS options; this switch applies to the dynamic-provider host process.
		process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
	}
	const limiter = options.rateLimitUtilisation > 0 ? limiterFor(settings, options.rateLimitUtilisation) : undefined;
	const api: KyInstance = ky.create({
		prefix: `${settings.baseUrl}/api/v2/`,
		headers: {
			authorization: `Bearer ${settings.token}`,
			"content-type": "application/vnd.api+json",
			accept: "application/vnd.api+json",
			"user-agent": `${PACKAGE_NAME}/${PACKAGE_VERSION} (node ${process.versions.node})`,
		},
		// The deadline below covers the body too, which ky's own timeout does not.
		timeout: false,
		retry: 0,
		throwHttpErrors: false,
		...(options.fetch ? {fetch: options.fetch} : {}),
	});

	const backoff = (attempt: number) => {
		const base = Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** (attempt - 1));
		return base / 2 + options.random() * base / 2;
	};
	const waitBeforeRetry = (response: Response, attempt: number) => {
		const serverWait = response.status === 429 ? rateLimitWaitMs(response.headers) : undefined;
		// Jitter spreads the callers that were all told the same reset time.
		return serverWait === undefined ? backoff(attempt) : serverWait + 50 + options.random() * 250;
	};

	return {
		limited: () => limiter?.limited() ?? false,
		async send(request) {
			const started = options.clock();
			const elapsed = () => options.clock() - started;
			const deadlineMs = Math.min(options.deadlineMs, request.deadlineMs ?? Number.POSITIVE_INFINITY);
			const fail = (attempt: number, detail: string) => new TfeApiError({
				status: 0,
				method: request.method,
				path: request.path,
				detail,
				hint: `Gave up after ${attempt} attempt${attempt === 1 ? "" : "s"} and ${(elapsed() / 1000).toFixed(1)} s (the deadline is ${deadlineMs / 1000} s).`,
			});
			for (let attempt = 1; ; attempt++) {
				const canRetry = (ms: number) => attempt < options.maxAttempts && elapsed() + ms < deadlineMs;
				const answered = await limiter?.acquire();
				const left = deadlineMs - elapsed();
				if (left <= 0) {
					answered?.();
					throw fail(attempt - 1, `no answer within the ${deadlineMs / 1000} s deadline`);
				}
				const attemptMs = Math.ceil(Math.min(options.timeoutMs, left));
				// One signal for the headers and the body (readBody cancels the body on it), so a server that stalls
				// mid-body is cut off too.
				const signal = AbortSignal.timeout(attemptMs);
				let response: Response;
				let retryAfterMs: number | undefined;
				let body: unknown;
				try {
					try {
						response = await api(request.path, {
							method: request.method,
							signal,
							...(request.json === undefined ? {} : {body: JSON.stringify(request.json)}),
						});
					} catch (error) {
						answered?.();
						throw error;
					}
					answered?.(response.headers.get("x-ratelimit-limit"));
					const wait = retryable(response, request) ? waitBeforeRetry(response, attempt) : undefined;
					if (wait !== undefined && canRetry(wait)) {
						retryAfterMs = wait;
						await response.body?.cancel();
					} else {
						body = await readBody(response, signal);
					}
				} catch (error) {
					const failure = signal.aborted
						? {detail: `timed out: no complete answer within ${(attemptMs / 1000).toFixed(1)} s`, transient: true}
						: noAnswer(error, settings.hostname);
					const wait = backoff(attempt);
					if (failure.transient && request.idempotent && canRetry(wait)) {
						await options.sleep(wait);
						continue;
					}
					throw fail(attempt, failure.detail);
				}
				if (retryAfterMs !== undefined) {
					if (response.status === 429) {
						limiter?.pause(retryAfterMs);
					}
					await options.sleep(retryAfterMs);
					continue;
				}

				if (response.ok) {
					return {status: response.status, body};
				}
				if (response.status === 404 && request.method !== "POST" && !request.notFoundIsError) {
					// Reads and deletes treat "gone" as an answer, not a failure; the caller decides.
					return {status: 404, body};
				}
				const error = firstError(body);
				throw new TfeApiError({
					status: response.status,
					method: request.method,
					path: request.path,
					title: error?.title,
					detail: error?.detail,
					hint: hintFor(response.status, request, settings),
				});
			}
		},
	};
}

/** Answers worth another attempt: a 429 always (the server did nothing), a 5xx when sending twice is harmless. */
function retryable(response: Response, request: ApiRequest): boolean {
	return response.status === 429 || (response.status >= 500 && request.idempotent);
}
