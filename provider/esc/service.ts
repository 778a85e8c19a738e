import {redact} from "../api/errors";
import {EscError, toAnswer, unauthenticated} from "./errors";
import {type Caller, createVerifier} from "./jwt";
import type {ActionContext, Issued} from "./action-context";
import {openToken} from "./open";
import type {ResolvedEscOptions} from "./options";
import {isSingleSlot, type Owner, ownerLabel} from "./owner";
import {authorize} from "./policy";
import {parseOpenRequest, parseRotateRequest} from "./request";
import {rotateToken} from "./rotate";
import {Sweeper} from "./sweep";
import {TfeClient} from "./tfe-client";

/** A request as the HTTP front (Node or fetch) hands it over; a body over the limit is not read at all. */
export interface RawRequest {
	method: string;
	path: string;
	authorization: string | undefined;
	body: Uint8Array | "too large";
}

/**
 * The answer to one request. `settle` is called once the front knows whether the answer reached the caller: it
 * writes the request's log line and, when an issued token's answer was not delivered, revokes that token.
 */
export interface Exchange {
	status: number;
	body: object;
	settle(delivered: boolean): Promise<void>;
}

/** The fields of the one log line per request; never a token, never the JWT. */
interface LogEntry {
	route: string;
	org?: string;
	environment?: string;
	triggerUser?: string;
	jti?: string;
	owner?: string;
	tokenId?: string;
	outcome?: string;
	status?: number;
	error?: string;
	ms?: number;
}

export interface EscService {
	handle(request: RawRequest): Promise<Exchange>;
	readonly sweeper: Sweeper;
	/** The body limit, for fronts that refuse a large body before reading it. */
	readonly maxBodyBytes: number;
}

const ROUTES = new Set(["/open", "/rotate"]);
const UTF8 = new TextDecoder();

export function createService(options: ResolvedEscOptions): EscService {
	const secrets = [options.tfe.token];
	const log = (entry: LogEntry | Record<string, unknown>) =>
		options.log(redact(JSON.stringify({time: options.now().toISOString(), ...entry}), secrets));
	const client = new TfeClient(options.tfe, options);
	const sweeper = new Sweeper(client, options, log);
	const verifier = createVerifier(options);
	const context: ActionContext = {client, sweeper, now: options.now, warn: message => log({route: "warning", outcome: message})};

	async function act(request: RawRequest, entry: LogEntry): Promise<{answer: object; issued?: Issued}> {
		if (request.method === "GET" && request.path === "/healthz") {
			return {answer: {ok: true}};
		}
		if (!ROUTES.has(request.path)) {
			throw new EscError(404, `no route ${request.path}: the routes are POST /open, POST /rotate and GET /healthz`);
		}
		if (request.method !== "POST") {
			throw new EscError(405, `${request.path} takes POST only`);
		}
		if (request.body === "too large" || request.body.byteLength > options.maxBodyBytes) {
			throw unauthenticated(`body too large: the limit is ${options.maxBodyBytes} bytes`);
		}
		const caller: Caller = await verifier.verify(request.authorization, request.body, request.path);
		Object.assign(entry, {org: caller.org, environment: caller.environment, triggerUser: caller.triggerUser, jti: caller.jti});
		let json: unknown;
		try {
			json = JSON.parse(UTF8.decode(request.body));
		} catch {
			throw new EscError(400, "the body is not JSON");
		}
		const http = client.forRequest();
		const permit = (owner: Owner) => {
			entry.owner = ownerLabel(owner);
			return authorize(options.policy, caller, owner);
		};
		if (request.path === "/open") {
			const open = parseOpenRequest(json);
			const grant = permit(open.owner);
			const issued = await openToken(context, http, caller, open, grant);
			return {answer: issued.answer, issued};
		}
		const rotate = parseRotateRequest(json);
		permit(rotate.owner);
		const issued = await rotateToken(context, http, caller, rotate);
		if (!isSingleSlot(rotate.owner)) {
			sweeper.touched(rotate.owner);
		}
		return {answer: issued.answer, issued};
	}

	return {
		sweeper,
		maxBodyBytes: options.maxBodyBytes,
		async handle(request) {
			const started = performance.now();
			const entry: LogEntry = {route: request.path};
			let status = 200;
			let body: object;
			let issued: Issued | undefined;
			try {
				({answer: body, issued} = await act(request, entry));
				entry.tokenId = issued?.answer.tokenId;
				entry.outcome = issued ? "issued" : "ok";
			} catch (error) {
				const answer = toAnswer(error, secrets);
				status = answer.status;
				body = {error: answer.message};
				entry.outcome = "refused";
				entry.error = status === 500 ? redact((error as Error).message ?? String(error), secrets) : answer.message;
			}
			let settled = false;
			return {
				status,
				body,
				async settle(delivered) {
					if (settled) return;
					settled = true;
					if (!delivered && issued) {
						try {
							await issued.revoke();
							entry.outcome = "issued, answer undelivered, revoked";
						} catch (error) {
							entry.outcome = "issued, answer undelivered, revoke failed (the sweep retries at its expiry)";
							entry.error = (error as Error).message;
						}
					} else if (!delivered) {
						entry.outcome += ", answer undelivered";
					}
					log({...entry, status, ms: Math.round(performance.now() - started)});
				},
			};
		},
	};
}
