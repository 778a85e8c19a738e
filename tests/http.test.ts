import {createServer as createHttpServer} from "node:http";
import {createServer} from "node:net";
import test from "ava";
import {resolveSettings} from "../provider/api/config";
import {createHttp, rateLimitWaitMs} from "../provider/api/http";
import {TeamTokens} from "../provider/api/team-tokens";
import {OrganizationTokens} from "../provider/api/organization-tokens";
import {AgentTokens} from "../provider/api/agent-tokens";
import {TokenTtlPolicies} from "../provider/api/token-ttl-policies";
import {start} from "../provider/local-api";
import {PACKAGE_NAME, PACKAGE_VERSION} from "../provider/api/version";
import {checked, requestsOf, setup} from "./helpers";
import {stallingServer} from "./stalling-server";

/** A fetch that records what was sent, then sends it. */
function recordingFetch() {
	const sent: {method: string; url: string; headers: Headers; body?: string}[] = [];
	const fetchImpl: typeof fetch = async (input, init) => {
		const request = input instanceof Request ? input : new Request(input, init);
		sent.push({method: request.method, url: request.url, headers: request.headers, body: await request.clone().text()});
		return fetch(request);
	};
	return {sent, fetch: fetchImpl};
}

test("requests carry bearer auth, the JSON:API content type, a User-Agent naming the package, and the documented body", async t => {
	const {api, env} = await setup(t);
	const recorder = recordingFetch();
	const tokens = new TeamTokens(createHttp(resolveSettings(undefined, env), {fetch: recorder.fetch}));
	await tokens.generateLegacy("team-abc1", {expiredAt: "2099-06-01T00:00:00.000Z"});
	const [post] = recorder.sent;
	t.is(post!.url, `${api.url}/api/v2/teams/team-abc1/authentication-token`);
	t.is(post!.headers.get("authorization"), `Bearer ${api.adminToken}`);
	t.is(post!.headers.get("content-type"), "application/vnd.api+json");
	t.is(post!.headers.get("user-agent")?.split(" ")[0], `${PACKAGE_NAME}/${PACKAGE_VERSION}`);
	t.deepEqual(JSON.parse(post!.body!), {data: {type: "authentication-tokens", attributes: {"expired-at": "2099-06-01T00:00:00.000Z"}}});
});

test("the version in the User-Agent is package.json's", t => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const manifest = require("../package.json") as {name: string; version: string};
	t.is(PACKAGE_NAME, manifest.name);
	t.is(PACKAGE_VERSION, manifest.version);
});

test("429: every method is retried after X-RateLimit-Reset, and the client learns to pace itself", async t => {
	const waits: number[] = [];
	const {api, provider} = await setup(t, {rateLimit: 5}, {http: {sleep: async ms => { waits.push(ms); await new Promise(r => setTimeout(r, ms)); }}});
	// Another client of the same user has just spent this second's whole budget.
	await Promise.all(Array.from({length: 5}, () => fetch(`${api.url}/api/v2/account/details`, {headers: {authorization: `Bearer ${api.adminToken}`}})));
	const inputs = await Promise.all(Array.from({length: 12}, (_, i) => checked(provider, {teamId: "team-abc1", description: `d${i}`})));
	const created = await Promise.all(inputs.map(i => provider.create(i)));
	t.is(created.length, 12);
	t.is(api.tokens().length, 12);
	const limited = api.requests().filter(r => r.status === 429);
	t.true(limited.length > 0, "the client met the window the other one had filled");
	t.true(waits.some(ms => ms >= 50), `waited for the reset: ${waits.join(",")}`);
});

test("a burst at the rate limit meets no 429: the first request goes alone and its answer's limit paces the rest", async t => {
	const {api, provider} = await setup(t, {rateLimit: 5}, {http: {sleep: ms => new Promise(r => setTimeout(r, ms))}});
	const inputs = await Promise.all(Array.from({length: 12}, (_, i) => checked(provider, {teamId: "team-abc1", description: `d${i}`})));
	const created = await Promise.all(inputs.map(i => provider.create(i)));
	t.is(created.length, 12);
	t.deepEqual(api.requests().filter(r => r.status === 429), []);
	t.true(api.requests().length >= 12);
});

test("5xx before the effect: reads, deletes and the legacy POST are retried until they succeed", async t => {
	const {api, provider} = await setup(t);
	const created = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	api.setFaults({failBefore: 0.5, seed: 7});
	for (let i = 0; i < 5; i++) {
		const read = await provider.read(created.id, created.outs);
		t.is(read.id, "team-abc1");
	}
	const regenerated = await provider.create(await checked(provider, {teamId: "team-abc1", forceRegenerate: true}));
	await provider.delete(regenerated.id, regenerated.outs);
	t.true(api.requests().some(r => r.fault === "before"), "faults were injected");
	api.setFaults({});
	t.deepEqual(api.tokens(), []);
});

test("5xx after the effect on the legacy POST: the retry ends with one token, the one returned", async t => {
	let heal = () => {};
	const {api, provider} = await setup(t, {}, {http: {sleep: async () => heal()}});
	heal = () => api.setFaults({});
	api.setFaults({failAfter: 1});
	const created = await provider.create(await checked(provider, {teamId: "team-abc1", forceRegenerate: true}));
	const [lost, retried] = api.requests();
	t.is(lost!.fault, "after");
	t.true(lost!.status >= 500);
	t.is(retried!.status, 201);
	t.is(api.tokens().length, 1);
	t.is(api.tokens()[0]!.token, created.outs.token);
});

// In the two tests below the first retried request (the lookup after the failed POST) heals the server.
test("5xx before the effect on the plural POST: the lookup finds nothing, and the POST is sent again", async t => {
	let heal = () => {};
	const {api, provider} = await setup(t, {}, {http: {sleep: async () => heal()}});
	heal = () => api.setFaults({});
	api.setFaults({failBefore: 1});
	const created = await provider.create(await checked(provider, {teamId: "team-abc1", description: "ci"}));
	t.deepEqual(requestsOf(api).filter(c => c.startsWith("POST")), ["POST /teams/team-abc1/authentication-tokens 503", "POST /teams/team-abc1/authentication-tokens 201"]);
	t.deepEqual(api.tokens().map(x => x.id), [created.outs.tokenId]);
});

test("5xx after the effect on the plural POST: the token made anyway is found and revoked, then the POST is sent again", async t => {
	let heal = () => {};
	const {api, provider, logs} = await setup(t, {}, {http: {sleep: async () => heal()}});
	heal = () => api.setFaults({});
	const other = await provider.create(await checked(provider, {teamId: "team-abc2", description: "ci"}));
	api.setFaults({failAfter: 1});
	const created = await provider.create(await checked(provider, {teamId: "team-abc1", description: "ci"}));
	t.is(requestsOf(api).filter(c => c.startsWith("POST")).length, 3, "one POST for the other token, two for this one");
	t.deepEqual(api.tokens().map(x => x.id).sort(), [other.outs.tokenId, created.outs.tokenId].sort(), "only tokens in state remain");
	t.regex(logs.join("\n"), /revoked at-\w+ on team team-abc1: it was made by .* and never used, so it is taken to be this stack's own create whose answer was lost \(POST .* failed \(50[02]/);
});

test("under 30% injected faults, described creates all succeed and leave no token behind", async t => {
	const {api, provider} = await setup(t, {faults: {failBefore: 0.15, failAfter: 0.15, seed: 3}});
	const created = await Promise.all(Array.from({length: 20}, async (_, i) =>
		provider.create(await checked(provider, {teamId: "team-abc1", description: `d${i}`}))));
	t.true(api.requests().filter(r => r.fault !== undefined).length >= 10, "faults were injected");
	api.setFaults({});
	t.deepEqual(api.tokens().map(x => x.id).sort(), created.map(c => c.outs.tokenId).sort());
});

test("attempts and total wait are capped", async t => {
	const {api, provider} = await setup(t, {}, {http: {maxAttempts: 3}});
	api.setFaults({failBefore: 1});
	const error = await t.throwsAsync(provider.read("team-abc1", {teamId: "team-abc1", tokenId: "at-x1", token: "t"}));
	t.regex(error!.message, /503/);
	t.is(requestsOf(api).length, 3);

	// A clock that only the backoff moves: the deadline, not the attempt count, ends this one. No jitter: with it, the
	// waits could end a few fake ms before the deadline and leave the next attempt a real timeout of that little.
	let clock = 0;
	const waits: number[] = [];
	const capped = await setup(t, {}, {http: {deadlineMs: 1000, backoffBaseMs: 400, random: () => 0, clock: () => clock, sleep: async ms => { waits.push(ms); clock += ms; }}});
	capped.api.setFaults({failBefore: 1});
	const late = await t.throwsAsync(capped.provider.read("team-abc1", {teamId: "team-abc1", tokenId: "at-x1", token: "t"}));
	t.regex(late!.message, /503/);
	t.true(waits.length >= 1 && waits.length < 9, `${waits.length} retries`);
	t.true(clock < 1000, `waited ${clock} ms`);
});

test("a request's own deadline, below the client's, ends its retries and is the one its error names", async t => {
	const {api, env} = await setup(t);
	api.setFaults({failBefore: 1});
	let clock = 0;
	const waits: number[] = [];
	// No jitter: backoffs of 200, 400 and 800 ms, the third past the request's 1 s though far inside the client's 180 s.
	const http = createHttp(resolveSettings(undefined, env), {backoffBaseMs: 400, random: () => 0, clock: () => clock, sleep: async ms => { waits.push(ms); clock += ms; }});
	const error = await t.throwsAsync(http.send({method: "GET", path: "teams/team-abc1/authentication-token", idempotent: true, deadlineMs: 1000}));
	t.regex(error!.message, /503/);
	t.deepEqual(waits, [200, 400]);
	const late = await t.throwsAsync(http.send({method: "GET", path: "teams/team-abc1/authentication-token", idempotent: true, deadlineMs: 0}));
	t.regex(late!.message, /no answer within the 0 s deadline/);
});

test("at the defaults, a request that keeps failing gives up after 10 attempts, its backoff well inside the 180 s deadline", async t => {
	// Every default but the sleep, which moves the clock the deadline reads instead of waiting the real 40 s.
	let clock = 0;
	const waits: number[] = [];
	const {api, provider} = await setup(t, {}, {http: {clock: () => clock, sleep: async ms => { waits.push(ms); clock += ms; }}});
	api.setFaults({failBefore: 1});
	const error = await t.throwsAsync(provider.read("team-abc1", {teamId: "team-abc1", tokenId: "at-x1", token: "t"}));
	t.regex(error!.message, /failed \(503 service unavailable\)/);
	t.is(requestsOf(api).length, 10);
	t.is(waits.length, 9);
	t.true(clock < 180_000, `waited ${clock} ms`);
});

test("at the defaults, a described create whose POST keeps failing sends 5 POSTs, each followed by its lookup, and gives up", async t => {
	let posts = 0;
	const {provider} = await setup(t, {}, {http: {fetch: async (input, init) => {
		const request = input instanceof Request ? input : new Request(input, init);
		if (request.method === "POST" && request.url.endsWith("/authentication-tokens")) {
			posts++;
			await request.body?.cancel();
			return new Response(JSON.stringify({errors: [{status: "502", title: "bad gateway"}]}), {status: 502, headers: {"content-type": "application/vnd.api+json"}});
		}
		return fetch(request);
	}}});
	const inputs = await checked(provider, {teamId: "team-abc1", description: "ci"});
	const error = await t.throwsAsync(provider.create(inputs));
	t.regex(error!.message, /502.*Gave up after 5 creates; no token was left behind/s);
	t.is(posts, 5);
});

for (const mode of ["silent", "stalled body", "trickle"] as const) {
	test(`one deadline bounds a request to a ${mode} server, retries included, and the error names method, path, attempts and time`, async t => {
		// An attempt whose abort does not reach the body read outlives the garbage collection by 300 s, or for ever.
		t.timeout(15_000);
		const server = await stallingServer(mode, close => t.teardown(close), {trickleEveryMs: 50, collectAfterMs: 100});
		const settings = resolveSettings(undefined, {TFE_ADDRESS: server.url, TFE_TOKEN: "some-api-token-123"});
		const tokens = new TeamTokens(createHttp(settings, {timeoutMs: 300, deadlineMs: 2000, backoffBaseMs: 50, rateLimitUtilisation: 0}));
		const started = performance.now();
		const error = await t.throwsAsync(tokens.readLegacy("team-abc1"));
		const elapsed = performance.now() - started;
		// The upper bound allows two seconds past the 2 s deadline for timers that fire late when every core is busy.
		t.true(elapsed >= 1000 && elapsed < 4000, `took ${elapsed} ms: past the second attempt, within the deadline and its last timer`);
		t.regex(error!.message, /^GET teams\/team-abc1\/authentication-token failed \(no response\): timed out: no complete answer within 0\.\d s\. Gave up after \d+ attempts and [123]\.\d s \(the deadline is 2 s\)\./);
		t.true(server.attempts.length >= 2, `${server.attempts.length} attempts`);
		// The client ended each attempt's connection, not only stopped waiting for it.
		await server.allClosed(2000);
		const lengths = server.attempts.map(attempt => attempt.closed! - attempt.arrived);
		t.true(lengths.every(ms => ms < 300 + 2000), `attempts of ${lengths.map(Math.round).join(", ")} ms, each within 0.3 s and its late timer`);
	});
}

test("network errors: idempotent requests are retried, then fail with a clear error", async t => {
	const closed = createServer();
	await new Promise<void>(r => closed.listen(0, "127.0.0.1", r));
	const port = (closed.address() as {port: number}).port;
	await new Promise(r => closed.close(r));
	const recorder = recordingFetch();
	const settings = resolveSettings(undefined, {TFE_ADDRESS: `http://127.0.0.1:${port}`, TFE_TOKEN: "some-api-token-123"});
	const tokens = new TeamTokens(createHttp(settings, {fetch: recorder.fetch, maxAttempts: 3, sleep: async () => {}}));
	const error = await t.throwsAsync(tokens.readLegacy("team-abc1"));
	t.regex(error!.message, /GET teams\/team-abc1\/authentication-token failed \(no response\): network error: connect ECONNREFUSED 127\.0\.0\.1:\d+\. Gave up after 3 attempts/);
	t.is(recorder.sent.length, 3);
	recorder.sent.length = 0;
	await t.throwsAsync(tokens.createDescribed("team-abc1", {description: "ci"}));
	t.is(recorder.sent.length, 1, "the plural POST is sent once");
});

test("https to a plain-http server fails at once, saying it does not speak TLS and what address to use", async t => {
	const server = createHttpServer((_request, response) => response.end());
	let connections = 0;
	server.on("connection", () => connections++);
	await new Promise<void>(r => server.listen(0, "127.0.0.1", r));
	t.teardown(() => new Promise<void>(r => { server.closeAllConnections(); server.close(() => r()); }));
	const host = `127.0.0.1:${(server.address() as {port: number}).port}`;
	// No scheme: https, as for any hostname; the local API speaks plain http.
	const tokens = new TeamTokens(createHttp(resolveSettings(undefined, {TFE_ADDRESS: host, TFE_TOKEN: "some-api-token-123"}), {sleep: async () => {}}));
	const error = await t.throwsAsync(tokens.readLegacy("team-abc1"));
	t.is(error!.message, `GET teams/team-abc1/authentication-token failed (no response): the server at ${host} does not speak TLS `
		+ `(the TLS handshake failed: wrong version number); for the local API, or another plain-http server on a loopback host, `
		+ `use http://${host}. Gave up after 1 attempt and ${error!.message.match(/(\d+\.\d) s \(/)?.[1]} s (the deadline is 180 s).`);
	t.is(connections, 1, "one attempt: the same server answers the same way");
});

test("ids that do not have the API's shape never reach a request path", async t => {
	const api = await start({teams: ["team-abc1"]});
	t.teardown(() => api.close());
	const tokens = new TeamTokens(createHttp(resolveSettings(undefined, {TFE_ADDRESS: api.url, TFE_TOKEN: api.adminToken})));
	await t.throwsAsync(tokens.readLegacy("team-a/../../x"), {name: "InvalidTeamIdError"});
	await t.throwsAsync(tokens.delete("at-1/../teams"), {name: "InvalidTokenIdError"});
	const http = createHttp(resolveSettings(undefined, {TFE_ADDRESS: api.url, TFE_TOKEN: api.adminToken}));
	await t.throwsAsync(new OrganizationTokens(http, "audit-trails").generate("../teams/x"), {name: "InvalidOrganizationError"});
	await t.throwsAsync(new TokenTtlPolicies(http).list("a/b"), {name: "InvalidOrganizationError"});
	await t.throwsAsync(new AgentTokens(http).generate("apool-1/../x", {description: "x"}), {name: "InvalidAgentPoolIdError"});
	await t.throwsAsync(new AgentTokens(http).generate("apool-abc1", {description: " "}), {name: "InvalidAgentTokenDescriptionError"});
	t.deepEqual(api.requests(), []);
});

test("after a lost answer on the plural POST, a token with the description made by someone else is left alone", async t => {
	let heal = () => {};
	const {api, provider} = await setup(t, {}, {http: {sleep: async () => heal()}});
	heal = () => api.setFaults({});
	// Another credential (a team token, acting as that team's service user) made "ci" on team-abc1 earlier.
	const other = await provider.create(await checked(provider, {teamId: "team-abc2", forceRegenerate: true}));
	const response = await fetch(`${api.url}/api/v2/teams/team-abc1/authentication-tokens`, {
		method: "POST",
		headers: {authorization: `Bearer ${other.outs.token}`, "content-type": "application/vnd.api+json"},
		body: JSON.stringify({data: {type: "authentication-tokens", attributes: {description: "ci"}}}),
	});
	t.is(response.status, 201);
	const theirs = ((await response.json()) as {data: {id: string}}).data.id;
	api.setFaults({failBefore: 1});
	const error = await t.throwsAsync(provider.create(await checked(provider, {teamId: "team-abc1", description: "ci"})));
	t.regex(error!.message, new RegExp(`A token described "ci" already exists for team team-abc1: ${theirs} \\(made by user-\\w+ at \\S+, never used\\)\\. It may be in use elsewhere`));
	t.true(api.tokens().some(x => x.id === theirs));
});

test("the wait after a 429 comes from X-RateLimit-Reset, else from Retry-After in seconds or as a date", t => {
	const now = Date.parse("2026-11-28T12:00:00Z");
	t.is(rateLimitWaitMs(new Headers({"x-ratelimit-reset": "0.412", "retry-after": "9"}), now), 412);
	t.is(rateLimitWaitMs(new Headers({"retry-after": "2"}), now), 2000);
	t.is(rateLimitWaitMs(new Headers({"retry-after": "Sat, 28 Nov 2026 12:00:03 GMT"}), now), 3000);
	t.is(rateLimitWaitMs(new Headers({"x-ratelimit-reset": "soon"}), now), undefined);
	t.is(rateLimitWaitMs(new Headers(), now), undefined);
});
