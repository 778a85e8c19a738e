import {createServer, type IncomingMessage, type Server, type ServerResponse} from "node:http";
import type {AddressInfo} from "node:net";
import {performance} from "node:perf_hooks";
import {errorReply, type Reply} from "./documents";
import {FaultInjector} from "./faults";
import {
	DEFAULTS,
	resolveFaults,
	resolveOptions,
	resolveRateLimit,
	type FaultOptions,
	type LocalApiOptions,
} from "./options";
import {answer, type Outcome, type PipelineDeps} from "./pipeline";
import {RateLimiter} from "./rate-limit";
import {maskQuery, RequestLog, type RequestLogEntry} from "./request-log";
import {plantTokens, type PlantedToken} from "./plant";
import {Store, type TokenRecord} from "./store";

export interface LocalApi {
	/** Base URL without /api/v2, e.g. "http://127.0.0.1:43123"; point TFE_ADDRESS here. */
	readonly url: string;
	readonly adminToken: string;
	/** Ids of the start-up organization's teams, including those added since start (by `addTeam` or the API). */
	readonly teams: readonly string[];
	/** The organization made at start-up, which `addTeam` and `addAgentPool` add to. */
	readonly organization: string;
	/** Ids of the start-up organization's agent pools, including those added since start. */
	readonly agentPools: readonly string[];
	/** Names of every organization: the start-up one (until deleted) and those created through the API. */
	organizations(): readonly string[];
	requests(): readonly RequestLogEntry[];
	clearRequests(): void;
	/**
	 * Calls `listener` after each answer with the entry `requests()` gets and the query string (without "?"), each
	 * key and value that could be a token masked, so the pair may be logged; the CLI's --log-requests prints them.
	 */
	onRequest(listener: RequestListener): void;
	/** Every stored token, secret included; expired tokens are listed until deleted, revoked ones are not. */
	tokens(): readonly TokenRecord[];
	addTeam(id?: string): string;
	addAgentPool(id?: string): string;
	/**
	 * Stores tokens as if issued earlier, with set creation, expiry and last use, without a request each; answers their
	 * ids. Throws a RangeError naming the entry and field for an unknown owner or a bad instant.
	 */
	plantTokens(tokens: readonly PlantedToken[]): string[];
	/** Replaces all fault settings (omitted ones switch off) and restarts the fault generator from the seed. */
	setFaults(faults: FaultOptions): void;
	/** Requests per second per credential; 0 turns the limit off. Forgets earlier requests. */
	setRateLimit(perSecond: number): void;
	/** Stops listening and drops open connections, keep-alive ones included. */
	close(): Promise<void>;
}

export type RequestListener = (entry: RequestLogEntry, query: string) => void;

const INTERNAL_ERROR: Reply = errorReply(500, {title: "internal server error"});
const JSON_API = "application/vnd.api+json";

export async function start(options?: LocalApiOptions): Promise<LocalApi> {
	const resolved = resolveOptions(options);
	const store = new Store(
		resolved.adminToken,
		resolved.teams,
		resolved.organization,
		resolved.defaultLifetimeDays,
		resolved.agentPools,
		resolved.ttlPolicies,
		resolved.now,
	);
	const limiter = new RateLimiter(resolved.rateLimit);
	const faults = new FaultInjector(resolved.faults);
	const log = new RequestLog(DEFAULTS.requestLogLimit);
	const closing = new AbortController();
	const deps: PipelineDeps = {
		store,
		limiter,
		faults,
		maxBodyBytes: resolved.maxBodyBytes,
		now: resolved.now,
		closing: closing.signal,
	};

	const listeners: RequestListener[] = [];
	const record = (entry: RequestLogEntry, search: string): void => {
		const stored = log.add(entry);
		// Masking costs a little per request, so only when someone listens.
		if (listeners.length === 0) return;
		const query = maskQuery(search, resolved.adminToken);
		for (const listener of listeners) listener(stored, query);
	};

	const server = createServer((request, response) => void serve(deps, record, request, response));
	await listen(server, resolved.port, resolved.host);
	const {port} = server.address() as AddressInfo;
	const host = resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host;
	let closed: Promise<void> | undefined;

	return {
		url: `http://${host}:${port}`,
		adminToken: resolved.adminToken,
		get teams() {
			return store.teamIds();
		},
		organization: resolved.organization,
		get agentPools() {
			return store.agentPoolIds();
		},
		organizations: () => store.organizationNames(),
		requests: () => log.list(),
		clearRequests: () => log.clear(),
		onRequest: listener => void listeners.push(listener),
		tokens: () => store.records(),
		addTeam: id => store.addTeam(id),
		addAgentPool: id => store.addAgentPool(id),
		plantTokens: tokens => plantTokens(store, tokens, resolved.now(), store.adminUser),
		setFaults: settings => faults.set(resolveFaults(settings)),
		setRateLimit: perSecond => limiter.setLimit(resolveRateLimit(perSecond)),
		close: () =>
			(closed ??= new Promise(resolve => {
				closing.abort();
				server.close(() => resolve());
				server.closeAllConnections();
			})),
	};
}

function listen(server: Server, port: number, host: string): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen(port, host, () => {
			server.off("error", reject);
			resolve();
		});
	});
}

async function serve(
	deps: PipelineDeps,
	record: (entry: RequestLogEntry, search: string) => void,
	request: IncomingMessage,
	response: ServerResponse,
): Promise<void> {
	const started = performance.now();
	const at = new Date().toISOString();
	const [path = "", search = ""] = (request.url ?? "").split("?", 2);
	let outcome: Outcome;
	try {
		outcome = await answer(deps, request, path, new URLSearchParams(search));
	} catch {
		// Whatever went wrong belongs to this request alone; the server keeps serving the others.
		outcome = {reply: INTERNAL_ERROR};
	}
	send(response, outcome.reply, deps.limiter.limit);
	record(
		{
			method: request.method ?? "",
			path,
			status: outcome.reply.status,
			ms: Math.round((performance.now() - started) * 100) / 100,
			at,
			...(outcome.fault === undefined ? {} : {fault: outcome.fault}),
		},
		search,
	);
}

function send(response: ServerResponse, reply: Reply, rateLimit: number): void {
	// The client may have gone, or the server closed while the request waited.
	if (response.headersSent || response.destroyed) return;
	// Sent on every answer while a limit is on, as the real service does, so clients can pace themselves.
	const headers = rateLimit > 0 ? {...reply.headers, "X-RateLimit-Limit": String(rateLimit)} : {...reply.headers};
	if (reply.document === undefined) {
		response.writeHead(reply.status, headers).end();
		return;
	}
	const body = JSON.stringify(reply.document);
	response
		.writeHead(reply.status, {...headers, "Content-Type": JSON_API, "Content-Length": Buffer.byteLength(body)})
		.end(body);
}
