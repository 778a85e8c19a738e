import type {IncomingMessage} from "node:http";
import {errorReply, notFound, tooManyRequests, UNAUTHORIZED, type Reply} from "./documents";
import {NO_FAULT, type FaultInjector} from "./faults";
import type {RateLimiter} from "./rate-limit";
import {readJsonBody} from "./request-body";
import type {RequestLogEntry} from "./request-log";
import {ping} from "./management";
import {allowedMethods, endpointFor, matchRoute, PING_PATH} from "./routes";
import type {Store} from "./store";

export interface PipelineDeps {
	readonly store: Store;
	readonly limiter: RateLimiter;
	readonly faults: FaultInjector;
	readonly maxBodyBytes: number;
	readonly now: () => Date;
	/** Aborted when the server closes, so requests sleeping on injected latency stop instead of acting late. */
	readonly closing: AbortSignal;
}

export interface Outcome {
	readonly reply: Reply;
	readonly fault?: RequestLogEntry["fault"];
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Decides the answer to one request. The order of checks is the contract: `/api/v2/ping` (answered to anyone),
 * credential (401), rate limit (429), route (404), method (405), injected faults and latency (token routes only),
 * body (413/415/400), then the handler. The credential comes first, as on the real service: without a valid one,
 * every path is 401, an unknown one included. Everything refused before the handler has changed nothing.
 */
export async function answer(
	deps: PipelineDeps,
	request: IncomingMessage,
	path: string,
	query: URLSearchParams,
): Promise<Outcome> {
	if (path === PING_PATH) return {reply: ping(request.method)};

	const now = deps.now();
	const credential = deps.store.authenticate(BEARER.exec(request.headers.authorization ?? "")?.[1], now);
	if (credential === undefined) return {reply: UNAUTHORIZED};
	const limited = deps.limiter.take(credential);
	if (limited !== undefined) return {reply: tooManyRequests(limited.resetMs)};

	const match = matchRoute(path);
	if (match === undefined) return {reply: notFound()};
	const endpoint = endpointFor(match.route, request.method);
	if (endpoint === undefined) {
		const allow = allowedMethods(match.route);
		return {reply: errorReply(405, {title: "method not allowed", detail: `Allowed: ${allow}.`}, {Allow: allow})};
	}

	if (deps.faults.absent(endpoint.faultable)) return {reply: notFound()};
	const fault = match.route.faulty ? await deps.faults.inject(deps.closing) : NO_FAULT;
	if (fault.kind === "before") {
		return {
			reply: errorReply(503, {title: "service unavailable", detail: "Injected fault: nothing was changed."}),
			fault: "before",
		};
	}

	let body: unknown;
	if (endpoint.readsBody) {
		const read = await readJsonBody(request, deps.maxBodyBytes);
		if (!read.ok) return {reply: read.reply};
		body = read.value;
	}
	const reply = endpoint.handle({store: deps.store, param: match.param, query, credential, now, body});
	if (match.route.faulty && request.method !== "GET") await deps.faults.holdAnswer(deps.closing);
	if (fault.kind === "after") {
		const title = fault.status === 500 ? "internal server error" : "bad gateway";
		return {
			reply: errorReply(fault.status, {title, detail: "Injected fault: the change was made but its answer was lost."}),
			fault: "after",
		};
	}
	return {reply};
}
