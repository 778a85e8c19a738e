import test, {type ExecutionContext} from "ava";
import {createHmac} from "node:crypto";
import {request as httpRequest} from "node:http";
import {type Answer, ENVIRONMENT, harness, type Harness, issuedTokens, jwtFor, ORG, PUBLIC_URL, serve, signingKey} from "./esc-harness";
import {createEscAdapter, ESC_DEFAULTS, parsePolicy} from "../provider/esc";
import {DISCARD_UP_TO_BYTES} from "../provider/esc/node-handler";
import {tfeSettings} from "./esc-harness";

const OPEN = {team: "team-abc1", ttl: "15m"};

/** A refused request: the status and the check it names, nothing sent to the API, nothing created, the JWT not echoed. */
async function refused(t: ExecutionContext, h: Harness, result: Answer, status: number, check: RegExp) {
	t.is(result.status, status, result.shown);
	t.regex(String(result.json.error), check);
	t.deepEqual(h.api.requests().map(entry => `${entry.method} ${entry.path}`), [], "no request reached HCP Terraform");
	t.deepEqual(issuedTokens(h.api), []);
	if (result.jwt) t.false(result.text.includes(result.jwt), "the JWT is not echoed");
}

test("a request that passes every check gets a token (the baseline each refusal below differs from by one thing)", async t => {
	const h = await harness(t);
	const result = await h.call("/open", OPEN);
	t.is(result.status, 200, result.shown);
	t.regex(String(result.json.tokenId), /^at-/);
});

test("no bearer token: 401", async t => {
	const h = await harness(t);
	await refused(t, h, await h.call("/open", OPEN, {jwt: null}), 401, /no bearer token/);
});

test("alg none and HS256 are refused before any key is looked up: 401", async t => {
	const h = await harness(t);
	const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
	const body = new TextEncoder().encode(JSON.stringify(OPEN));
	const valid = await jwtFor(h.key, "/open", body);
	const payload = valid.split(".")[1]!;
	const none = `${encode({alg: "none", kid: h.key.kid})}.${payload}.`;
	await refused(t, h, await h.call("/open", OPEN, {jwt: none}), 401, /alg must be RS256/);
	// HMAC keyed with the public key's modulus: the classic confusion attack.
	const signingInput = `${encode({alg: "HS256", kid: h.key.kid})}.${payload}`;
	const hs = `${signingInput}.${createHmac("sha256", String(h.key.jwk.n)).update(signingInput).digest("base64url")}`;
	await refused(t, h, await h.call("/open", OPEN, {jwt: hs}), 401, /alg must be RS256/);
});

test("a kid the JWKS does not have: 401 unknown kid", async t => {
	const h = await harness(t);
	const stranger = await signingKey("stranger");
	await refused(t, h, await h.call("/open", OPEN, {key: stranger, kid: "stranger"}), 401, /unknown kid/);
});

test("a signature by another key under a known kid: 401", async t => {
	const h = await harness(t);
	const stranger = await signingKey();
	await refused(t, h, await h.call("/open", OPEN, {key: stranger, kid: h.key.kid}), 401, /signature/);
});

test("an issuer not in the allowed list: 401", async t => {
	const h = await harness(t);
	await refused(t, h, await h.call("/open", OPEN, {claims: {iss: "https://evil.example.com"}}), 401, /iss not allowed/);
});

test("aud must be the public URL plus this route: a JWT for /rotate, or for another host, does not open", async t => {
	const h = await harness(t);
	await refused(t, h, await h.call("/open", OPEN, {claims: {aud: `${PUBLIC_URL}/rotate`}}), 401, /aud/);
	await refused(t, h, await h.call("/open", OPEN, {claims: {aud: "https://other.example.com/open"}}), 401, /aud/);
});

test("exp in the past beyond the skew: 401 expired; within the skew it passes", async t => {
	const h = await harness(t);
	await refused(t, h, await h.call("/open", OPEN, {shiftSeconds: -(300 + 61)}), 401, /expired/);
	t.is((await h.call("/open", OPEN, {shiftSeconds: -(300 + 30)})).status, 200);
});

test("iat in the future beyond the skew, or older than the maximum age: 401", async t => {
	const h = await harness(t);
	await refused(t, h, await h.call("/open", OPEN, {claims: {iat: Math.floor(Date.now() / 1000) + 120}}), 401, /iat/);
	const now = Math.floor(Date.now() / 1000);
	await refused(t, h, await h.call("/open", OPEN, {claims: {iat: now - 3600, exp: now + 300}}), 401, /iat/);
});

test("body_hash is required and must be the hash of the bytes received: 401", async t => {
	const h = await harness(t);
	await refused(t, h, await h.call("/open", OPEN, {omit: ["body_hash"]}), 401, /body_hash/);
	// Signed for a harmless body, sent with another.
	const signed = await jwtFor(h.key, "/open", new TextEncoder().encode(JSON.stringify({team: "team-abc1", ttl: "1m"})));
	await refused(t, h, await h.call("/open", {team: "team-abc1", ttl: "2h"}, {jwt: signed}), 401, /body_hash mismatch/);
});

test("a jti seen before is refused until its exp: 401 replayed", async t => {
	const h = await harness(t);
	const first = await h.call("/open", OPEN);
	t.is(first.status, 200);
	const again = await h.call("/open", OPEN, {jwt: first.jwt});
	t.is(again.status, 401);
	t.regex(String(again.json.error), /jti replayed/);
	t.is(issuedTokens(h.api).length, 1);
});

test("a body over the limit is refused before it is read or parsed: 401 body too large", async t => {
	const h = await harness(t, {adapter: {maxBodyBytes: 1024}});
	const big = JSON.stringify({...OPEN, pad: "x".repeat(2000)});
	await refused(t, h, await h.call("/open", undefined, {rawBody: big}), 401, /body too large/);
});

test("jti and org are required claims: 401", async t => {
	const h = await harness(t);
	await refused(t, h, await h.call("/open", OPEN, {omit: ["jti"]}), 401, /jti/);
	await refused(t, h, await h.call("/open", OPEN, {omit: ["org"]}), 401, /org/);
});

test("authorization is default deny: another organization, an environment outside the globs, or an owner not granted is 403 naming them", async t => {
	const h = await harness(t);
	const otherOrg = await h.call("/open", OPEN, {claims: {org: "mallory", sub: `pulumi:environments:org:mallory:env:${ENVIRONMENT}`}});
	await refused(t, h, otherOrg, 403, /mallory/);
	const outside = await h.call("/open", OPEN, {claims: {sub: `pulumi:environments:org:${ORG}:env:prod/deploy`}});
	await refused(t, h, outside, 403, /prod\/deploy/);
	const team = await h.call("/open", {team: "team-abc2"});
	await refused(t, h, team, 403, /team-abc2/);
	t.regex(String(team.json.error), new RegExp(`${ORG}.*|.*${ORG}`));
});

test("an empty policy denies everything", async t => {
	const h = await harness(t, {policy: "grants: []"});
	await refused(t, h, await h.call("/open", OPEN), 403, /no grant/);
});

test("a legacy default-project environment (sub without a project) is matched as default/<env>", async t => {
	const h = await harness(t, {policy: `grants: [{pulumiOrganization: ${ORG}, environments: ["default/*"], teams: [team-abc1]}]`});
	const result = await h.call("/open", OPEN, {claims: {sub: `pulumi:environments:org:${ORG}:env:legacy-env`}});
	t.is(result.status, 200, result.shown);
});

test("a sub naming another organization than org: 401", async t => {
	const h = await harness(t);
	await refused(t, h, await h.call("/open", OPEN, {claims: {sub: `pulumi:environments:org:mallory:env:${ENVIRONMENT}`}}), 401, /sub names organization mallory/);
});

test("the remote JWKS is fetched again for an unknown kid, at most once per cooldown", async t => {
	const first = await signingKey();
	const second = await signingKey();
	let keys = [first.jwk];
	let fetches = 0;
	const jwks = await serve(t, (_req, res) => {
		fetches++;
		res.writeHead(200, {"content-type": "application/json"}).end(JSON.stringify({keys}));
	});
	const h = await harness(t, {adapter: {jwks: undefined, jwksUrl: jwks.url, jwksRefetchCooldownMs: 60_000}});
	const call = (key: typeof first) => h.call("/open", OPEN, {key, kid: key.kid});
	t.is((await call(first)).status, 200);
	t.is(fetches, 1);
	keys = [first.jwk, second.jwk];
	// Within the cooldown of the first fetch: no refetch, so the new key is unknown.
	t.regex(String((await call(second)).json.error), /unknown kid/);
	t.is(fetches, 1);

	const quick = await harness(t, {adapter: {jwks: undefined, jwksUrl: jwks.url, jwksRefetchCooldownMs: 0}});
	keys = [first.jwk];
	t.is((await quick.call("/open", OPEN, {key: first, kid: first.kid})).status, 200);
	const before = fetches;
	keys = [first.jwk, second.jwk];
	t.is((await quick.call("/open", OPEN, {key: second, kid: second.kid})).status, 200, "the rotated-in key is fetched");
	t.is(fetches, before + 1);
});

test("the fetch-style handler runs the same checks", async t => {
	const h = await harness(t);
	const adapter = createEscAdapter({policy: parsePolicy("grants: []"), publicUrl: PUBLIC_URL, tfe: tfeSettings(h.api), jwks: {keys: [h.key.jwk]}, log: () => {}, sweepIntervalMs: 0});
	t.teardown(() => adapter.close());
	const body = JSON.stringify(OPEN);
	const jwt = await jwtFor(h.key, "/open", new TextEncoder().encode(body), {claims: {aud: `${PUBLIC_URL}/rotate`}});
	const response = await adapter.fetch(new Request(`${PUBLIC_URL}/open`, {method: "POST", headers: {authorization: `Bearer ${jwt}`}, body}));
	t.is(response.status, 401);
	t.regex(((await response.json()) as {error: string}).error, /aud/);
	const health = await adapter.fetch(new Request(`${PUBLIC_URL}/healthz`));
	t.deepEqual(await health.json(), {ok: true});
});

test("a JWT without a kid is refused, though the JWKS has one key it could guess: 401", async t => {
	const h = await harness(t);
	const body = new TextEncoder().encode(JSON.stringify(OPEN));
	const valid = await jwtFor(h.key, "/open", body);
	const [, payload] = valid.split(".");
	const {SignJWT} = await import("jose");
	const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
	const noKid = await new SignJWT(claims).setProtectedHeader({alg: "RS256"}).sign(h.key.privateKey);
	await refused(t, h, await h.call("/open", OPEN, {jwt: noKid}), 401, /no kid/);
});

test(`the body limit at its real default (${ESC_DEFAULTS.maxBodyBytes} bytes): above is 401, below gets past authentication`, async t => {
	const h = await harness(t);
	const pad = (bytes: number) => JSON.stringify({...OPEN, pad: "x".repeat(bytes - JSON.stringify({...OPEN, pad: ""}).length)});
	await refused(t, h, await h.call("/open", undefined, {rawBody: pad(ESC_DEFAULTS.maxBodyBytes + 1)}), 401, /body too large/);
	const within = await h.call("/open", undefined, {rawBody: pad(ESC_DEFAULTS.maxBodyBytes)});
	t.is(within.status, 400, within.shown);
	t.regex(String(within.json.error), /request\.pad is not a field/);
});

/** POSTs `bytes` bytes in one write; answers the status, or the error that ended the exchange before any answer. */
function postBytes(url: string, bytes: number): Promise<{status: number} | {error: string}> {
	return new Promise(resolve => {
		const request = httpRequest(`${url}/open`, {method: "POST", headers: {"content-type": "application/json", "content-length": bytes}}, response => {
			response.resume();
			response.once("end", () => resolve({status: response.statusCode ?? 0}));
		});
		request.once("error", error => resolve({error: (error as NodeJS.ErrnoException).code ?? error.message}));
		request.end(Buffer.alloc(bytes, "x"));
	});
}

test(`an oversized body is read and thrown away up to ${DISCARD_UP_TO_BYTES / 1024 / 1024} MiB (the real bound) and answered 401; past it the connection is dropped unanswered`, async t => {
	t.is(DISCARD_UP_TO_BYTES, 8 * 1024 * 1024, "docs/esc.md: up to 8 MiB");
	const h = await harness(t);
	// Read to its end, so the caller, still sending, gets the answer instead of a reset.
	t.deepEqual(await postBytes(h.url, DISCARD_UP_TO_BYTES), {status: 401});
	t.true(h.logs.some(line => /"status":401.*body too large|body too large.*"status":401/.test(line)), h.logs.join("\n"));
	const dropped = await postBytes(h.url, DISCARD_UP_TO_BYTES + 1);
	t.true("error" in dropped, `no answer past the bound: ${JSON.stringify(dropped)}`);
	t.deepEqual(h.api.requests(), [], "nothing reached HCP Terraform");
});

test(`the maximum JWT age at its real default (${ESC_DEFAULTS.maxTokenAgeSeconds} s, with ${ESC_DEFAULTS.clockSkewSeconds} s of skew)`, async t => {
	const h = await harness(t);
	const now = Math.floor(Date.now() / 1000);
	const aged = (seconds: number) => ({claims: {iat: now - seconds, exp: now + 60}});
	await refused(t, h, await h.call("/open", OPEN, aged(ESC_DEFAULTS.maxTokenAgeSeconds + ESC_DEFAULTS.clockSkewSeconds + 5)), 401, /iat too old/);
	t.is((await h.call("/open", OPEN, aged(ESC_DEFAULTS.maxTokenAgeSeconds - 5))).status, 200);
});

test(`the JWKS refetch cooldown at its real default (${ESC_DEFAULTS.jwksRefetchCooldownMs} ms)`, async t => {
	const first = await signingKey();
	const second = await signingKey();
	let keys = [first.jwk];
	let fetches = 0;
	const jwks = await serve(t, (_req, res) => {
		fetches++;
		res.writeHead(200, {"content-type": "application/json"}).end(JSON.stringify({keys}));
	});
	const h = await harness(t, {adapter: {jwks: undefined, jwksUrl: jwks.url}});
	t.is((await h.call("/open", OPEN, {key: first, kid: first.kid})).status, 200);
	const fetched = Date.now();
	keys = [first.jwk, second.jwk];
	t.regex(String((await h.call("/open", OPEN, {key: second, kid: second.kid})).json.error), /unknown kid/);
	t.is(fetches, 1);
	await new Promise(resolve => setTimeout(resolve, Math.max(0, ESC_DEFAULTS.jwksRefetchCooldownMs + 200 - (Date.now() - fetched))));
	t.is((await h.call("/open", OPEN, {key: second, kid: second.kid})).status, 200);
	t.is(fetches, 2);
});

test("a JWKS that cannot be fetched is a 401 that says so", async t => {
	const {url} = await serve(t, (req, res) => void req.socket.destroy());
	const h = await harness(t, {adapter: {jwks: undefined, jwksUrl: url}});
	await refused(t, h, await h.call("/open", OPEN), 401, /the JWKS could not be fetched/);
});
