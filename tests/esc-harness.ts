import type {ExecutionContext} from "ava";
import {randomUUID} from "node:crypto";
import {createServer, type Server} from "node:http";
import type {AddressInfo} from "node:net";
import {exportJWK, generateKeyPair, type JWK, SignJWT} from "jose";
import type {TfeSettings} from "../provider/api/config";
import {redact} from "../provider/api/errors";
import {createEscAdapter, type EscAdapter, type EscAdapterOptions, parsePolicy} from "../provider/esc";
import {bodyHash} from "../provider/esc/jwt";
import {start, type LocalApi, type LocalApiOptions} from "../provider/local-api";

/*
 * The stand-in for Pulumi Cloud's `external` caller in unit tests: an RSA key of the test's own, its JWKS handed to
 * the adapter (or served on loopback), and JWTs with the claims Pulumi documents, each one tweakable so a test can
 * break exactly one check.
 */

export const PUBLIC_URL = "https://esc-adapter.example.com";
export const ORG = "acme";
export const ENVIRONMENT = "ci/deploy";

export interface SigningKey {
	privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
	jwk: JWK;
	kid: string;
}

export async function signingKey(kid = `key-${randomUUID()}`): Promise<SigningKey> {
	const {privateKey, publicKey} = await generateKeyPair("RS256", {extractable: true});
	return {privateKey, kid, jwk: {...await exportJWK(publicKey), kid, alg: "RS256", use: "sig"}};
}

export interface JwtOptions {
	key?: SigningKey;
	claims?: Record<string, unknown>;
	/** Claims left out. */
	omit?: string[];
	/** The header's kid; the key's own unless given. */
	kid?: string;
	/** Seconds added to iat and exp. */
	shiftSeconds?: number;
}

/** A JWT for `body` sent to `route`, as Pulumi Cloud would sign it. */
export async function jwtFor(key: SigningKey, route: string, body: Uint8Array, options: JwtOptions = {}): Promise<string> {
	const iat = Math.floor(Date.now() / 1000) + (options.shiftSeconds ?? 0);
	const claims: Record<string, unknown> = {
		iss: "https://api.pulumi.com",
		aud: `${PUBLIC_URL}${route}`,
		iat,
		exp: iat + 300,
		jti: randomUUID(),
		org: ORG,
		sub: `pulumi:environments:org:${ORG}:env:${ENVIRONMENT}`,
		current_env: ENVIRONMENT,
		root_env: ENVIRONMENT,
		trigger_user: "alice",
		body_hash: bodyHash(body),
		...options.claims,
	};
	for (const name of options.omit ?? []) delete claims[name];
	return new SignJWT(claims).setProtectedHeader({alg: "RS256", kid: options.kid ?? key.kid}).sign((options.key ?? key).privateKey);
}

export const POLICY = `
grants:
  - pulumiOrganization: ${ORG}
    environments: ["ci/*"]
    teams: [team-abc1]
    legacyTeams: [team-abc1]
    agentPools: [apool-pool1]
    organizationToken: local-org
    auditTrailToken: local-org
    userTokens: true
    maxTtl: 2h
`;

export interface Harness {
	api: LocalApi;
	adapter: EscAdapter;
	url: string;
	key: SigningKey;
	logs: string[];
	/** POSTs `body` (an object, or raw text) to `route` with a JWT; `jwt` replaces the one made from `options`. */
	call(route: string, body: unknown, options?: JwtOptions & {jwt?: string | null; rawBody?: string}): Promise<Answer>;
}

export interface Answer {
	status: number;
	json: Record<string, unknown>;
	/** The body as received, to look for what must not be in it. */
	text: string;
	/** The body for a failure message: an answer of 200 carries a token, which a failing test must not print. */
	shown: string;
	jwt: string | null;
}

export function tfeSettings(api: LocalApi): TfeSettings {
	return {baseUrl: api.url, hostname: new URL(api.url).host, token: api.adminToken, tokenSource: "test", sslSkipVerify: false, namespace: "tfe"};
}

/** Serves a Node handler on 127.0.0.1:0 until the test ends. */
export async function serve(t: ExecutionContext, handler: Parameters<typeof createServer>[1]): Promise<{server: Server; url: string}> {
	const server = createServer(handler);
	await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
	t.teardown(() => new Promise<void>(resolve => {
		server.closeAllConnections();
		server.close(() => resolve());
	}));
	return {server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`};
}

export async function harness(
	t: ExecutionContext,
	{api: apiOptions = {}, adapter: adapterOptions = {}, policy = POLICY}: {api?: LocalApiOptions; adapter?: Partial<EscAdapterOptions>; policy?: string} = {},
): Promise<Harness> {
	const api = await start({teams: ["team-abc1", "team-abc2"], agentPools: ["apool-pool1"], ...apiOptions});
	t.teardown(() => api.close());
	const key = await signingKey();
	const logs: string[] = [];
	const adapter = createEscAdapter({
		policy: parsePolicy(policy),
		publicUrl: PUBLIC_URL,
		tfe: tfeSettings(api),
		jwks: {keys: [key.jwk]},
		log: line => logs.push(line),
		sweepIntervalMs: 0,
		...adapterOptions,
	});
	t.teardown(() => adapter.close());
	const {url} = await serve(t, adapter.node);
	return {
		api,
		adapter,
		url,
		key,
		logs,
		async call(route, body, options = {}) {
			const text = options.rawBody ?? JSON.stringify(body);
			const bytes = new TextEncoder().encode(text);
			const jwt = options.jwt === undefined ? await jwtFor(key, route, bytes, options) : options.jwt;
			const response = await fetch(`${url}${route}`, {
				method: "POST",
				headers: {"content-type": "application/json", ...(jwt === null ? {} : {authorization: `Bearer ${jwt}`})},
				body: bytes,
			});
			const answer = await response.text();
			let json: Record<string, unknown> = {};
			try {
				json = JSON.parse(answer);
			} catch {
				// A test that expects JSON says so by reading json.
			}
			return {status: response.status, json, text: answer, shown: redact(answer, [api.adminToken, jwt ?? undefined]), jwt};
		},
	};
}

/** A fetch for the adapter that, once armed, answers the next DELETE with a 400 without passing it on. */
export function failingNextDelete() {
	let armed = false;
	return {
		arm: () => void (armed = true),
		fetch: async (input: string | URL | Request, init?: RequestInit) => {
			const request = input instanceof Request ? input : new Request(input, init);
			if (armed && request.method === "DELETE") {
				armed = false;
				return new Response(JSON.stringify({errors: [{status: "400", title: "injected"}]}), {status: 400, headers: {"content-type": "application/vnd.api+json"}});
			}
			return fetch(request);
		},
	};
}

/** The live tokens of the local API that the adapter issued (described for ESC). */
export function issuedTokens(api: LocalApi) {
	return api.tokens().filter(token => token.description?.startsWith("issued for ESC "));
}
