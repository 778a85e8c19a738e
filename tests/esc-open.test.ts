import test from "ava";
import {request as httpRequest} from "node:http";
import {redact} from "../provider/api/errors";
import {authenticates} from "./probe";
import {fakeClock} from "./helpers";
import {ENVIRONMENT, failingNextDelete, harness, issuedTokens, jwtFor, ORG, serve} from "./esc-harness";
import {fakeTimers} from "./fake-timers";
import {ESC_DEFAULTS} from "../provider/esc";

const MINUTE = 60_000;

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Waits until `condition` holds, for at most `withinMs` of real time. */
async function eventually(condition: () => boolean | Promise<boolean>, withinMs = 10_000): Promise<void> {
	for (const deadline = Date.now() + withinMs; !await condition() && Date.now() < deadline;) await pause(50);
}

test("open a team token: a fresh described token that works, expiring ttl from now, described for ESC", async t => {
	const h = await harness(t);
	const before = Date.now();
	const result = await h.call("/open", {team: "team-abc1", ttl: "15m"});
	t.is(result.status, 200, result.shown);
	const {token, tokenId, expiresAt, description} = result.json as Record<string, string>;
	t.true(await authenticates(h.api, token!));
	// What a failing assertion prints of the answer: everything but the token.
	t.true(result.text.includes(token!) && !result.shown.includes(token!), "the failure message's copy of the answer holds no token");
	t.true(result.shown.includes(tokenId!));
	const expiry = Date.parse(expiresAt!);
	t.true(expiry >= before + 15 * MINUTE - 1000 && expiry <= Date.now() + 15 * MINUTE, expiresAt);
	t.regex(description!, new RegExp(`^issued for ESC open of ${ORG}/${ENVIRONMENT}, jti [\\w-]+, until ${expiresAt}$`));
	const stored = h.api.tokens().find(entry => entry.id === tokenId)!;
	t.is(stored.teamId, "team-abc1");
	t.is(stored.description, description);
	t.is(stored.expiredAt, expiresAt);
	// Each open is a token of its own.
	const second = await h.call("/open", {team: "team-abc1", ttl: "15m"});
	t.not(second.json.tokenId, tokenId);
	t.true(await authenticates(h.api, token!));
});

test("open an agent token and a user token", async t => {
	const h = await harness(t);
	const agent = await h.call("/open", {agentPool: "apool-pool1", ttl: "5m"});
	t.is(agent.status, 200, agent.shown);
	t.true(await authenticates(h.api, String(agent.json.token)));
	t.is(h.api.tokens().find(entry => entry.id === agent.json.tokenId)?.ownerId, "apool-pool1");
	const user = await h.call("/open", {user: true});
	t.is(user.status, 200, user.shown);
	t.true(await authenticates(h.api, String(user.json.token)));
	t.is(h.api.tokens().find(entry => entry.id === user.json.tokenId)?.kind, "user");
});

test("without ttl the grant's default applies: the smaller of 1h and maxTtl, or defaultTtl", async t => {
	const h = await harness(t, {policy: `grants: [{pulumiOrganization: ${ORG}, environments: ["**"], teams: [team-abc1], maxTtl: 30m}]`});
	const result = await h.call("/open", {team: "team-abc1"});
	t.true(Math.abs(Date.parse(String(result.json.expiresAt)) - Date.now() - 30 * MINUTE) < 5000);
	const withDefault = await harness(t, {policy: `grants: [{pulumiOrganization: ${ORG}, environments: ["**"], teams: [team-abc1], maxTtl: 2h, defaultTtl: 10m}]`});
	const short = await withDefault.call("/open", {team: "team-abc1"});
	t.true(Math.abs(Date.parse(String(short.json.expiresAt)) - Date.now() - 10 * MINUTE) < 5000);
});

test("a ttl above the grant's cap is a 400 naming the cap, and nothing is created", async t => {
	const h = await harness(t);
	const result = await h.call("/open", {team: "team-abc1", ttl: "3h"});
	t.is(result.status, 400);
	t.regex(String(result.json.error), /request\.ttl 3h is above the cap of 2h/);
	t.deepEqual(issuedTokens(h.api), []);
	t.false(h.api.requests().some(entry => entry.method === "POST"));
});

test("a ttl above the organization's token TTL policy is a 400 naming the policy's limit", async t => {
	const h = await harness(t, {
		api: {tokenTtlDays: {team: 1}},
		policy: `grants: [{pulumiOrganization: ${ORG}, environments: ["**"], teams: [team-abc1], maxTtl: 3d}]`,
	});
	const result = await h.call("/open", {team: "team-abc1", ttl: "2d"});
	t.is(result.status, 400, result.shown);
	t.regex(String(result.json.error), /token TTL policy of the HCP Terraform organization local-org: team tokens live at most 1d/);
	t.deepEqual(issuedTokens(h.api), []);
	t.is((await h.call("/open", {team: "team-abc1", ttl: "23h"})).status, 200);
});

test("single-slot owners are a 400 pointing at /rotate", async t => {
	const h = await harness(t);
	for (const request of [{team: "team-abc1", legacy: true}, {organizationToken: "local-org"}, {auditTrailToken: "local-org"}]) {
		const result = await h.call("/open", request);
		t.is(result.status, 400);
		t.regex(String(result.json.error), /\/rotate/);
	}
	t.is(h.api.requests().length, 0);
});

test("malformed requests are a 400 naming the field, before any request is sent", async t => {
	const h = await harness(t);
	const cases: [unknown, RegExp][] = [
		[{team: "team-abc1", ttl: "15 minutes"}, /request\.ttl must be a whole number followed by s, m, h or d/],
		[{team: "team-abc1", agentPool: "apool-pool1"}, /exactly one owner.*team and agentPool/],
		[{}, /exactly one owner.*names none/],
		[{team: "../admin"}, /request\.team must be a team id/],
		[{team: "team-abc1", colour: "red"}, /request\.colour is not a field/],
		[[1, 2], /request must be a JSON object/],
	];
	for (const [body, message] of cases) {
		const result = await h.call("/open", body);
		t.is(result.status, 400);
		t.regex(String(result.json.error), message);
	}
	t.is((await h.call("/open", undefined, {rawBody: "{not json"})).status, 400);
	t.is(h.api.requests().length, 0);
});

test("an HCP Terraform error answers 502 with its status, and no secret", async t => {
	const h = await harness(t, {policy: `grants: [{pulumiOrganization: ${ORG}, environments: ["**"], teams: [team-gone1]}]`});
	const result = await h.call("/open", {team: "team-gone1"});
	t.is(result.status, 502);
	t.regex(String(result.json.error), /HCP Terraform answered status 404/);
	t.false(result.text.includes(h.api.adminToken));
});

test("one JSON log line per request with its fields, and no token or JWT in any line", async t => {
	const h = await harness(t);
	const results = [
		await h.call("/open", {team: "team-abc1"}),
		await h.call("/open", {user: true}),
		await h.call("/open", {team: "team-abc2"}),
		await h.call("/open", {team: "team-abc1"}, {claims: {iss: "https://evil.example.com"}}),
	];
	t.is(h.logs.length, 4);
	const lines = h.logs.map(line => JSON.parse(line) as Record<string, unknown>);
	t.like(lines[0], {route: "/open", org: ORG, environment: ENVIRONMENT, triggerUser: "alice", owner: "team:team-abc1", tokenId: results[0]!.json.tokenId, outcome: "issued", status: 200});
	t.is(typeof lines[0]!.jti, "string");
	t.is(typeof lines[0]!.ms, "number");
	t.like(lines[2], {status: 403, outcome: "refused", owner: "team:team-abc2"});
	t.like(lines[3], {status: 401, outcome: "refused"});
	const secrets = [h.api.adminToken, ...h.api.tokens().map(token => token.token), ...results.map(result => result.jwt!)];
	for (const line of h.logs) {
		for (const secret of secrets) t.false(line.includes(secret), `a secret in ${redact(line, secrets)}`);
		t.notRegex(line, /atlasv1/);
	}
});

test("the sweep revokes expired tokens the adapter issued, and no other token", async t => {
	const clock = fakeClock(new Date().toISOString());
	const h = await harness(t, {api: {now: clock.now}, adapter: {now: clock.now}});
	const opened = await h.call("/open", {team: "team-abc1", ttl: "1m"});
	const agent = await h.call("/open", {agentPool: "apool-pool1", ttl: "1m"});
	const longer = await h.call("/open", {team: "team-abc1", ttl: "2h"});
	// Expired, but made by hand: not the adapter's.
	const byHand = await fetch(`${h.api.url}/api/v2/teams/team-abc1/authentication-tokens`, {
		method: "POST",
		headers: {authorization: `Bearer ${h.api.adminToken}`, "content-type": "application/vnd.api+json"},
		body: JSON.stringify({data: {type: "authentication-tokens", attributes: {description: "by hand", "expired-at": new Date(clock.now().getTime() + MINUTE).toISOString()}}}),
	});
	const handId = ((await byHand.json()) as {data: {id: string}}).data.id;
	clock.advanceDays(2 / 24 / 60);
	t.is(await h.adapter.sweep(), 2);
	const live = new Set(h.api.tokens().map(token => token.id));
	t.false(live.has(String(opened.json.tokenId)));
	t.false(live.has(String(agent.json.tokenId)), "agent tokens, which have no API expiry, die at the adapter's");
	t.true(live.has(String(longer.json.tokenId)));
	t.true(live.has(handId));
	t.is(await h.adapter.sweep(), 0);
});

test(`a token whose revoke failed at its expiry is swept at the sweep's real default interval (${ESC_DEFAULTS.sweepIntervalMs / MINUTE} min), not before`, async t => {
	t.is(ESC_DEFAULTS.sweepIntervalMs, 5 * MINUTE, "docs/esc.md: every 5 minutes");
	const clock = fakeTimers();
	const deletes = failingNextDelete();
	// The harness turns the scheduled sweep off; this test runs it at its default.
	const h = await harness(t, {api: {now: clock.now}, adapter: {now: clock.now, timers: clock.timers, sweepIntervalMs: undefined, http: {fetch: deletes.fetch}}});
	t.deepEqual(clock.intervals(), [ESC_DEFAULTS.sweepIntervalMs], "one scheduled sweep, at the default interval");
	const opened = await h.call("/open", {team: "team-abc1", ttl: "1m"});
	t.is(opened.status, 200, opened.shown);
	const tokenId = String(opened.json.tokenId);
	const live = () => h.api.tokens().some(token => token.id === tokenId);
	const swept = (outcome: string) => h.logs.filter(line => line.includes('"route":"sweep"') && line.includes(outcome));
	// The scan at start and the one the open caused are over (they find nothing expired) before the clock moves.
	await eventually(() => h.api.requests().some(entry => entry.path.includes("/authentication-tokens") && entry.method === "GET"));
	await pause(300);

	deletes.arm();
	clock.advance(MINUTE);
	await eventually(() => swept("revoke failed").length === 1);
	t.true(live(), "the revoke at its expiry failed");

	h.api.clearRequests();
	clock.advance(ESC_DEFAULTS.sweepIntervalMs - MINUTE - 1000);
	await pause(500);
	t.true(live(), "a second before the tick: not swept");
	t.deepEqual(h.api.requests().map(entry => `${entry.method} ${entry.path}`), [], "no scan ran before the tick");

	clock.advance(1000);
	// The sweep logs once the DELETE's answer is back, after the API has dropped the token: wait for both.
	await eventually(() => !live() && swept("revoked 1 expired").length > 0);
	t.false(live(), "swept at the tick");
	t.is(swept("revoked 1 expired").length, 1, h.logs.join("\n"));
});

test("an opened token is revoked at its expiry by the adapter's own timer", async t => {
	const h = await harness(t);
	const result = await h.call("/open", {agentPool: "apool-pool1", ttl: "1s"});
	t.true(await authenticates(h.api, String(result.json.token)));
	// Logged once the DELETE's answer is back, after the API has dropped the token: wait for both.
	await eventually(async () => !await authenticates(h.api, String(result.json.token)) && h.logs.some(line => line.includes("revoked at expiry")), 5000);
	t.false(await authenticates(h.api, String(result.json.token)));
	t.true(h.logs.some(line => line.includes("revoked at expiry")));
});

test("tokens opened in any order of expiry are each revoked at their own, in expiry order", async t => {
	const clock = fakeTimers();
	const h = await harness(t, {api: {now: clock.now}, adapter: {now: clock.now, timers: clock.timers}});
	const ids: Record<string, string> = {};
	for (const ttl of ["3m", "1m", "4m", "2m"]) {
		const opened = await h.call("/open", {team: "team-abc1", ttl});
		t.is(opened.status, 200, opened.shown);
		ids[ttl] = String(opened.json.tokenId);
	}
	const live = () => Object.keys(ids).filter(ttl => h.api.tokens().some(token => token.id === ids[ttl]));
	t.deepEqual(live(), ["3m", "1m", "4m", "2m"]);
	for (const [minute, left] of [[1, ["3m", "4m", "2m"]], [2, ["3m", "4m"]], [3, ["4m"]], [4, []]] as const) {
		clock.advance(MINUTE);
		await eventually(() => live().length === left.length);
		t.deepEqual(live(), left, `after ${minute} min`);
	}
});

test("100 concurrent opens against an API limited to 30 requests/s all succeed", async t => {
	const h = await harness(t, {api: {rateLimit: 30}});
	const results = await Promise.all(Array.from({length: 100}, () => h.call("/open", {team: "team-abc1", ttl: "10m"})));
	t.deepEqual(results.map(result => result.status).filter(status => status !== 200), []);
	t.is(new Set(results.map(result => result.json.tokenId)).size, 100);
	t.is(issuedTokens(h.api).length, 100);
});

test("an answer that cannot be delivered revokes the token it carried", async t => {
	const h = await harness(t, {api: {faults: {latencyMs: 1000}}});
	const body = new TextEncoder().encode(JSON.stringify({team: "team-abc1", ttl: "10m"}));
	const jwt = await jwtFor(h.key, "/open", body);
	const url = new URL(`${h.url}/open`);
	// The caller gives up (as ESC's timeout would) once the adapter is at work on HCP Terraform, before its answer.
	await new Promise<void>(resolve => {
		const req = httpRequest({host: url.hostname, port: url.port, path: "/open", method: "POST", headers: {authorization: `Bearer ${jwt}`, "content-length": body.length}});
		req.on("error", () => resolve());
		h.api.onRequest(() => {
			req.destroy();
			resolve();
		});
		req.end(body);
	});
	await eventually(() => h.logs.some(line => line.includes("undelivered")), 20_000);
	const line = JSON.parse(h.logs.find(entry => entry.includes("undelivered")) ?? h.logs.join("\n")) as {outcome: string; tokenId: string};
	t.is(line.outcome, "issued, answer undelivered, revoked");
	t.regex(line.tokenId, /^at-/);
	t.deepEqual(issuedTokens(h.api), []);
});

test(`HCP Terraform failing for good: a 502 within the ${ESC_DEFAULTS.requestDeadlineMs / 1000} s request deadline (the real default)`, async t => {
	t.timeout(60_000);
	let requests = 0;
	const {url} = await serve(t, (_req, res) => {
		requests++;
		res.writeHead(503, {"content-type": "application/vnd.api+json"}).end(JSON.stringify({errors: [{status: "503", title: "unavailable"}]}));
	});
	const h = await harness(t, {adapter: {tfe: {baseUrl: url, hostname: new URL(url).host, token: "x".repeat(20), tokenSource: "test", sslSkipVerify: false, namespace: "tfe"}}});
	const started = Date.now();
	const result = await h.call("/open", {team: "team-abc1"});
	const elapsed = Date.now() - started;
	t.is(result.status, 502, result.shown);
	t.regex(String(result.json.error), /503|no answer/);
	// Retried with backoff for as long as the deadline leaves room for the next wait, and never past it.
	t.true(requests >= 4, `${requests} requests`);
	t.true(elapsed >= 5000 && elapsed <= ESC_DEFAULTS.requestDeadlineMs + 1000, `${elapsed} ms`);
});

test("429 and 5xx answers from HCP Terraform are retried within the deadline: the open still succeeds", async t => {
	let posts = 0;
	let reads = 0;
	const flaky = async (input: string | URL | Request, init?: RequestInit) => {
		const request = input instanceof Request ? input : new Request(input, init);
		// The first create is throttled (the API did nothing), the first read fails with a 503.
		if (request.method === "POST" && posts++ === 0) {
			return new Response(JSON.stringify({errors: [{status: "429"}]}), {status: 429, headers: {"x-ratelimit-reset": "0.2"}});
		}
		if (request.method === "GET" && reads++ === 0) {
			return new Response(JSON.stringify({errors: [{status: "503"}]}), {status: 503});
		}
		return fetch(request);
	};
	const h = await harness(t, {adapter: {http: {fetch: flaky}}});
	const result = await h.call("/open", {team: "team-abc1", ttl: "10m"});
	t.is(result.status, 200, result.shown);
	t.is(posts, 2);
	t.true(await authenticates(h.api, String(result.json.token)));
	t.is(issuedTokens(h.api).length, 1);
});
