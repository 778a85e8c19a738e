import test, {type ExecutionContext} from "ava";
import {spawn} from "node:child_process";
import {Agent, request as httpRequest} from "node:http";
import {once} from "node:events";
import {connect} from "node:net";
import {createInterface} from "node:readline";
import {start, type LocalApi, type LocalApiOptions} from "../provider/local-api";
import {RateLimiter} from "../provider/local-api/rate-limit";
import {maskQuery} from "../provider/local-api/request-log";

const JSON_API = "application/vnd.api+json";
const TOKEN_SHAPE = /^[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9]{67}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UNAUTHORIZED = {errors: [{status: "401", title: "unauthorized"}]};
const NOT_FOUND = {errors: [{status: "404", title: "not found"}]};
const LEGACY_NOT_FOUND = {
	errors: [{status: "404", title: "not found", detail: "Team Token not found, or unauthorized to view"}],
};
const TEAM = "team-abc1";

interface Answer {
	status: number;
	headers: Headers;
	json: any;
}

interface CallOptions {
	method?: string;
	/** Bearer token; defaults to the admin token, null sends no Authorization header. */
	token?: string | null;
	/** JSON:API body, serialised with the JSON:API content type. */
	body?: unknown;
}

async function open(t: ExecutionContext, options: LocalApiOptions = {}): Promise<LocalApi> {
	const api = await start({teams: [TEAM], ...options});
	t.teardown(() => api.close());
	return api;
}

async function call(api: LocalApi, path: string, options: CallOptions = {}): Promise<Answer> {
	const token = options.token === undefined ? api.adminToken : options.token;
	const headers: Record<string, string> = {};
	if (token !== null) headers["Authorization"] = `Bearer ${token}`;
	if (options.body !== undefined) headers["Content-Type"] = JSON_API;
	const response = await fetch(`${api.url}/api/v2${path}`, {
		method: options.method ?? "GET",
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.text();
	if (text !== "" && response.headers.get("content-type") !== JSON_API)
		throw new Error(`body without JSON:API type: ${text}`);
	return {status: response.status, headers: response.headers, json: text === "" ? undefined : JSON.parse(text)};
}

/** For what fetch would rewrite (dot segments) or not send (odd bodies): the request exactly as given. */
function rawCall(
	api: LocalApi,
	path: string,
	init: {method?: string; headers?: Record<string, string>; chunks?: Array<string | Buffer>} = {},
) {
	return new Promise<{status: number; text: string}>((resolve, reject) => {
		const request = httpRequest(
			`${api.url}/`,
			{path, method: init.method ?? "GET", headers: init.headers, agent: false},
			response => {
				let text = "";
				response
					.setEncoding("utf8")
					.on("data", (chunk: string) => (text += chunk))
					.on("end", () => resolve({status: response.statusCode ?? 0, text}));
			},
		);
		request.on("error", reject);
		for (const chunk of init.chunks ?? []) request.write(chunk);
		request.end();
	});
}

const described = (description?: string, expiredAt?: string) => ({
	data: {type: "authentication-tokens", attributes: {description, "expired-at": expiredAt}},
});

const createLegacy = (api: LocalApi, body?: unknown) =>
	call(api, `/teams/${TEAM}/authentication-token`, {method: "POST", body});
const createDescribed = (api: LocalApi, description?: string, expiredAt?: string, team = TEAM) =>
	call(api, `/teams/${team}/authentication-tokens`, {method: "POST", body: described(description, expiredAt)});
const whoAmI = (api: LocalApi, token: string | null) => call(api, "/account/details", {token});

/** A clock tests move by hand. */
function manualClock(start: string) {
	let now = new Date(start);
	return {now: () => now, advance: (ms: number) => (now = new Date(now.getTime() + ms))};
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

test("legacy token: create answers 201 with the secret, show hides it, delete removes it", async t => {
	const api = await open(t);
	const created = await createLegacy(api);
	t.is(created.status, 201);
	t.is(created.headers.get("content-type"), JSON_API);
	const {data} = created.json;
	t.regex(data.id, /^at-[A-Za-z0-9]{16}$/);
	t.is(data.type, "authentication-tokens");
	t.regex(data.attributes.token, TOKEN_SHAPE);
	t.regex(data.attributes["created-at"], ISO_MS);
	t.is(data.attributes["last-used-at"], null);
	t.is(data.attributes.description, null);
	const lifetime = Date.parse(data.attributes["expired-at"]) - Date.parse(data.attributes["created-at"]);
	t.true(lifetime >= 2 * YEAR_MS && lifetime <= 2 * YEAR_MS + 24 * 3600 * 1000, "unset expiry means two years");
	t.deepEqual(data.relationships.team, {data: {id: TEAM, type: "teams"}});
	t.is(data.relationships["created-by"].data.type, "users");
	t.regex(data.relationships["created-by"].data.id, /^user-/);

	const shown = await call(api, `/teams/${TEAM}/authentication-token`);
	t.is(shown.status, 200);
	t.is(shown.json.data.id, data.id);
	t.is(shown.json.data.attributes.token, null);

	const deleted = await call(api, `/teams/${TEAM}/authentication-token`, {method: "DELETE"});
	t.is(deleted.status, 204);
	t.is(deleted.json, undefined);
	t.deepEqual((await call(api, `/teams/${TEAM}/authentication-token`)).json, LEGACY_NOT_FOUND);
	const again = await call(api, `/teams/${TEAM}/authentication-token`, {method: "DELETE"});
	t.is(again.status, 404);
	t.deepEqual(again.json, LEGACY_NOT_FOUND);
	t.deepEqual(api.tokens(), []);
});

test("legacy token: a body may set expired-at, and tokens() reports the token", async t => {
	const api = await open(t);
	const created = await createLegacy(api, {
		data: {type: "authentication-tokens", attributes: {"expired-at": "2099-01-01T00:00:00Z"}},
	});
	t.is(created.status, 201);
	t.is(created.json.data.attributes["expired-at"], "2099-01-01T00:00:00.000Z");
	const [record] = api.tokens();
	t.like(record, {
		id: created.json.data.id,
		teamId: TEAM,
		kind: "legacy",
		description: null,
		token: created.json.data.attributes.token,
	});
	t.is(record?.expiredAt, "2099-01-01T00:00:00.000Z");
	t.is(record?.createdAt, created.json.data.attributes["created-at"]);
});

test("regenerating a legacy token revokes the previous one", async t => {
	const api = await open(t);
	const first = (await createLegacy(api)).json.data;
	const second = (await createLegacy(api)).json.data;
	t.not(first.id, second.id);
	t.deepEqual((await whoAmI(api, first.attributes.token)).json, UNAUTHORIZED);
	t.is((await whoAmI(api, first.attributes.token)).status, 401);
	t.is((await whoAmI(api, second.attributes.token)).status, 200);
	t.is((await call(api, `/authentication-tokens/${first.id}`)).status, 404);
	t.is((await call(api, `/teams/${TEAM}/authentication-token`)).json.data.id, second.id);
	t.deepEqual(
		api.tokens().map(token => token.id),
		[second.id],
	);
});

test("described tokens: create, show, delete; descriptions are unique per team while the token exists", async t => {
	const api = await open(t, {teams: [TEAM, "team-other2"]});
	const created = await createDescribed(api, "ci", "2099-06-01T00:00:00.000Z");
	t.is(created.status, 201);
	const {data} = created.json;
	t.is(data.attributes.description, "ci");
	t.regex(data.attributes.token, TOKEN_SHAPE);
	t.is(data.attributes["expired-at"], "2099-06-01T00:00:00.000Z");

	const duplicate = await createDescribed(api, "ci");
	t.is(duplicate.status, 422);
	t.is(duplicate.json.errors[0].detail, "Validation failed: Description has already been taken");
	t.is(duplicate.json.errors[0].source.pointer, "/data/attributes/description");
	t.is((await createDescribed(api, "ci", undefined, "team-other2")).status, 201, "another team may reuse it");
	t.is((await createDescribed(api, "deploy")).status, 201, "a team may have several");

	const shown = await call(api, `/authentication-tokens/${data.id}`);
	t.is(shown.status, 200);
	t.is(shown.json.data.attributes.token, null);
	t.is(shown.json.data.attributes.description, "ci");
	t.is((await call(api, `/authentication-tokens/${data.id}`, {method: "DELETE"})).status, 204);
	t.deepEqual((await call(api, `/authentication-tokens/${data.id}`)).json, NOT_FOUND);
	t.is((await call(api, `/authentication-tokens/${data.id}`, {method: "DELETE"})).status, 404);
	t.is((await createDescribed(api, "ci")).status, 201, "free again once deleted");
});

test("described tokens need a string description, which may be empty or blank", async t => {
	const api = await open(t);
	for (const body of [described(), {data: {attributes: {description: null}}}, {data: {attributes: {description: 7}}}, undefined]) {
		const answer = await call(api, `/teams/${TEAM}/authentication-tokens`, {method: "POST", body});
		t.is(answer.status, 422, JSON.stringify(body));
		t.is(answer.json.errors[0].source.pointer, "/data/attributes/description");
	}
	t.deepEqual(api.tokens(), []);

	// As go-tfe's TestTeamTokens_CreateWithOptions_MultipleTokens asserts of the real service.
	for (const description of ["", "   "]) {
		const answer = await createDescribed(api, description);
		t.is(answer.status, 201, JSON.stringify(description));
		t.is(answer.json.data.attributes.description, description);
		t.is((await call(api, `/authentication-tokens/${answer.json.data.id}`)).json.data.attributes.description, description);
	}
	const again = await createDescribed(api, "");
	t.is(again.status, 422, "an empty description is unique per team too");
	t.deepEqual(again.json.errors, [
		{
			status: "422",
			title: "invalid attributes",
			detail: "Validation failed: Description has already been taken",
			source: {pointer: "/data/attributes/description"},
		},
	]);
});

test("token ids are shared: /authentication-tokens/:id shows and deletes legacy tokens too", async t => {
	const api = await open(t);
	const legacy = (await createLegacy(api)).json.data;
	const shown = await call(api, `/authentication-tokens/${legacy.id}`);
	t.is(shown.status, 200);
	t.is(shown.json.data.attributes.token, null);
	t.is((await call(api, `/authentication-tokens/${legacy.id}`, {method: "DELETE"})).status, 204);
	t.is((await call(api, `/teams/${TEAM}/authentication-token`)).status, 404);
	t.is((await whoAmI(api, legacy.attributes.token)).status, 401);
});

test("issued tokens are credentials until revoked; they act as the team's service account", async t => {
	const api = await open(t);
	const legacy = (await createLegacy(api)).json.data;
	const desc = (await createDescribed(api, "ci")).json.data;
	for (const token of [legacy, desc]) {
		const me = await whoAmI(api, token.attributes.token);
		t.is(me.status, 200);
		t.is(me.json.data.type, "users");
		t.true(me.json.data.attributes["is-service-account"]);
	}
	const shown = await call(api, `/authentication-tokens/${desc.id}`);
	t.regex(shown.json.data.attributes["last-used-at"], ISO_MS, "authenticating records last use");

	// A team token may manage tokens itself; what it creates names its service account as creator.
	const made = await call(api, `/teams/${TEAM}/authentication-tokens`, {
		method: "POST",
		token: desc.attributes.token,
		body: described("made"),
	});
	t.is(made.status, 201);
	t.is(made.json.data.relationships["created-by"].data.id, (await whoAmI(api, desc.attributes.token)).json.data.id);

	t.is((await call(api, `/authentication-tokens/${desc.id}`, {method: "DELETE"})).status, 204);
	t.deepEqual((await whoAmI(api, desc.attributes.token)).json, UNAUTHORIZED);
	t.is((await call(api, `/teams/${TEAM}/authentication-token`, {method: "DELETE"})).status, 204);
	t.is((await whoAmI(api, legacy.attributes.token)).status, 401);
});

test("missing, unknown or malformed credentials answer 401", async t => {
	const api = await open(t);
	for (const token of [null, "", "nope", `${api.adminToken}x`]) {
		const answer = await whoAmI(api, token);
		t.is(answer.status, 401);
		t.deepEqual(answer.json, UNAUTHORIZED);
	}
	const basic = await rawCall(api, "/api/v2/account/details", {headers: {Authorization: `Basic ${api.adminToken}`}});
	t.is(basic.status, 401);
	t.is((await call(api, `/teams/${TEAM}/authentication-token`, {method: "POST", token: null})).status, 401);
	t.deepEqual(api.tokens(), [], "nothing created without a credential");
});

test("the admin token's account details", async t => {
	const api = await open(t);
	const me = await whoAmI(api, api.adminToken);
	t.is(me.status, 200);
	t.is(me.json.data.type, "users");
	t.regex(me.json.data.id, /^user-/);
	t.false(me.json.data.attributes["is-service-account"]);
});

test("expired tokens stop authenticating but can still be read and deleted", async t => {
	const clock = manualClock("2026-01-01T00:00:00.000Z");
	const api = await open(t, {now: clock.now});
	const short = (await createDescribed(api, "short", "2026-01-01T01:00:00Z")).json.data;
	const defaulted = (await createLegacy(api)).json.data;
	t.is(defaulted.attributes["expired-at"], "2028-01-01T00:00:00.000Z");
	t.is((await whoAmI(api, short.attributes.token)).status, 200);

	clock.advance(60 * 60 * 1000);
	t.deepEqual((await whoAmI(api, short.attributes.token)).json, UNAUTHORIZED, "expired exactly at expired-at");
	t.is((await whoAmI(api, defaulted.attributes.token)).status, 200);
	t.is((await call(api, `/authentication-tokens/${short.id}`)).status, 200);
	t.is(api.tokens().length, 2);

	clock.advance(2 * YEAR_MS);
	t.is((await whoAmI(api, defaulted.attributes.token)).status, 401, "the two-year default expires too");
	t.is((await call(api, `/authentication-tokens/${short.id}`, {method: "DELETE"})).status, 204);
});

test("expired-at: RFC 3339 with offsets and fractions is normalised; anything else or the past is 422", async t => {
	const clock = manualClock("2026-01-01T00:00:00.000Z");
	const api = await open(t, {now: clock.now});
	const accepted: Array<[string, string]> = [
		["2027-06-01T00:00:00Z", "2027-06-01T00:00:00.000Z"],
		["2027-06-01T02:00:00+02:00", "2027-06-01T00:00:00.000Z"],
		["2027-05-31T19:30:00-04:30", "2027-06-01T00:00:00.000Z"],
		["2027-06-01T00:00:00.123456Z", "2027-06-01T00:00:00.123Z"],
		["2028-02-29T12:00:00.5z", "2028-02-29T12:00:00.500Z"],
	];
	for (const [index, [input, stored]] of accepted.entries()) {
		const answer = await createDescribed(api, `ok-${index}`, input);
		t.is(answer.status, 201, input);
		t.is(answer.json.data.attributes["expired-at"], stored, input);
	}
	const rejected: unknown[] = [
		"2027-06-01",
		"tomorrow",
		"2027-06-01 00:00:00Z",
		"2027-06-01T00:00:00",
		"2027-02-29T00:00:00Z",
		"2027-06-01T24:00:00Z",
		"2027-06-01T00:00:60Z",
		"2027-06-01T00:00:00+24:00",
		"June 1, 2027",
		"",
		1_800_000_000,
		"2025-12-31T23:59:59Z",
		"2026-01-01T00:00:00Z",
	];
	for (const [index, input] of rejected.entries()) {
		const answer = await call(api, `/teams/${TEAM}/authentication-tokens`, {
			method: "POST",
			body: {data: {attributes: {description: `bad-${index}`, "expired-at": input}}},
		});
		t.is(answer.status, 422, String(input));
		t.is(answer.json.errors[0].status, "422");
		t.is(answer.json.errors[0].source.pointer, "/data/attributes/expired-at", String(input));
	}
	t.is((await createLegacy(api, {data: {attributes: {"expired-at": "tomorrow"}}})).status, 422, "legacy route too");
	t.is(api.tokens().length, accepted.length);
});

test("an unknown team answers 404 on every team route", async t => {
	const api = await open(t);
	for (const [method, path] of [
		["POST", "/teams/team-nobody9/authentication-token"],
		["GET", "/teams/team-nobody9/authentication-token"],
		["DELETE", "/teams/team-nobody9/authentication-token"],
		["POST", "/teams/team-nobody9/authentication-tokens"],
	] as const) {
		const answer = await call(api, path, {method, body: method === "POST" ? described("x") : undefined});
		t.is(answer.status, 404, `${method} ${path}`);
		t.deepEqual(answer.json, NOT_FOUND);
	}
});

/**
 * Sends `count` requests in one write on one connection. The server reads them in one go, so they all fall inside
 * one rate-limit second however slow the machine is, which separate requests cannot promise.
 */
async function pipelined(api: LocalApi, path: string, token: string, count: number) {
	const {hostname, port} = new URL(api.url);
	const socket = connect(Number(port), hostname);
	const request = (last: boolean) =>
		`GET /api/v2${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n${last ? "Connection: close\r\n" : ""}\r\n`;
	socket.end(Array.from({length: count}, (_, i) => request(i === count - 1)).join(""));
	let raw = "";
	for await (const chunk of socket.setEncoding("utf8")) raw += chunk;
	return raw.split(/(?=HTTP\/1\.1 \d{3} )/).map(response => {
		const [head = "", body = ""] = response.split("\r\n\r\n");
		const headers = new Map<string, string>();
		for (const line of head.split("\r\n").slice(1)) {
			const colon = line.indexOf(":");
			headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
		}
		return {status: Number(head.slice(9, 12)), headers, body};
	});
}

test("rate limit: over it, 429 with body and headers; each credential has its own budget", async t => {
	const api = await open(t);
	const other = (await createLegacy(api)).json.data.attributes.token as string;
	api.setRateLimit(3);
	const burst = await pipelined(api, "/account/details", api.adminToken, 10);
	t.deepEqual(
		burst.map(answer => answer.status),
		[200, 200, 200, 429, 429, 429, 429, 429, 429, 429],
	);
	t.true(
		burst.every(answer => answer.headers.get("x-ratelimit-limit") === "3"),
		"every answer carries the limit",
	);
	for (const answer of burst.slice(3)) {
		t.deepEqual(JSON.parse(answer.body), {
			errors: [{detail: "You have exceeded the API's rate limit.", status: 429, title: "Too many requests"}],
		});
		t.is(answer.headers.get("content-type"), JSON_API);
		const reset = answer.headers.get("x-ratelimit-reset") ?? "";
		t.regex(reset, /^\d+\.\d{3}$/);
		t.true(Number(reset) > 0 && Number(reset) <= 1, reset);
	}
	t.is((await whoAmI(api, other)).status, 200, "another credential has its own budget");

	api.setRateLimit(0);
	const unlimited = await pipelined(api, "/account/details", api.adminToken, 20);
	t.true(unlimited.every(answer => answer.status === 200 && !answer.headers.has("x-ratelimit-limit")));
	t.throws(() => api.setRateLimit(-1), {instanceOf: RangeError});
	t.throws(() => api.setRateLimit(2.5), {instanceOf: RangeError});
});

test("rate limit: a sliding one-second window in which refused requests use no budget", t => {
	let now = 0;
	const limiter = new RateLimiter(2, () => now);
	const key = {};
	const take = (at: number) => ((now = at), limiter.take(key));
	t.is(take(0), undefined);
	t.is(take(100), undefined);
	t.deepEqual(take(200), {resetMs: 800});
	for (let at = 300; at < 1000; at += 100) t.truthy(take(at));
	t.is(take(1000), undefined, "the request at 0 has left the window; refusals since did not count");
	t.deepEqual(take(1050), {resetMs: 50}, "no burst across a window edge: 100 is still inside");
	t.is(take(1100), undefined);
	t.is(limiter.take({}), undefined, "keys are independent");
	limiter.setLimit(0);
	t.is(take(1101), undefined, "0 switches it off");
});

test("faults before the effect: 503 and nothing changes; /account/details is exempt", async t => {
	const api = await open(t, {faults: {failBefore: 1}});
	const answer = await createLegacy(api);
	t.is(answer.status, 503);
	t.is(answer.json.errors[0].status, "503");
	t.deepEqual(api.tokens(), []);
	t.is((await whoAmI(api, api.adminToken)).status, 200);
	t.like(api.requests()[0], {method: "POST", status: 503, fault: "before"});
	t.is(api.requests()[1]?.fault, undefined);

	api.setFaults({});
	t.is((await createLegacy(api)).status, 201, "switched off at run time");
});

test("faults after the effect: 500/502 but the change is kept", async t => {
	const api = await open(t, {faults: {failAfter: 1}});
	const answer = await createDescribed(api, "lost");
	t.true(answer.status === 500 || answer.status === 502, String(answer.status));
	const [record] = api.tokens();
	t.like(record, {kind: "described", description: "lost"});
	t.is((await whoAmI(api, record!.token)).status, 200, "the token exists and works");
	t.like(api.requests()[0], {status: answer.status, fault: "after"});
	api.setFaults({failAfter: 0});
	t.is((await createDescribed(api, "lost")).status, 422, "the retried create meets the kept token");
});

test("faults are reproducible for a seed and close to their fractions", async t => {
	const faults = {failBefore: 0.2, failAfter: 0.3, seed: 42};
	const statuses = async (api: LocalApi) => {
		const seen: number[] = [];
		for (let i = 0; i < 200; i++) seen.push((await call(api, `/teams/${TEAM}/authentication-token`)).status);
		return seen;
	};
	const first = await statuses(await open(t, {faults}));
	const second = await statuses(await open(t, {faults}));
	t.deepEqual(first, second);
	const count = (status: number) => first.filter(s => s === status).length;
	t.true(count(503) > 20 && count(503) < 60, `503: ${count(503)}`);
	t.true(count(500) + count(502) > 35 && count(500) + count(502) < 85, `500/502: ${count(500) + count(502)}`);
	t.true(count(500) > 0 && count(502) > 0);
	t.is(count(503) + count(500) + count(502) + count(404), 200);

	const reseeded = await open(t, {faults});
	reseeded.setFaults({...faults, seed: 7});
	t.notDeepEqual(await statuses(reseeded), first, "another seed, another sequence");
	t.throws(() => reseeded.setFaults({failBefore: 0.6, failAfter: 0.6}), {instanceOf: RangeError});
});

test("injected latency delays team-token requests only", async t => {
	// Long enough that a loaded machine's jitter cannot blur which request was delayed.
	const api = await open(t, {faults: {latencyMs: 1000}});
	const started = performance.now();
	t.is((await call(api, `/teams/${TEAM}/authentication-token`)).status, 404);
	t.true(performance.now() - started >= 990);
	t.is((await whoAmI(api, api.adminToken)).status, 200);
	const [slow, fast] = api.requests();
	t.true(slow!.ms >= 990, String(slow!.ms));
	t.true(fast!.ms < 500, String(fast!.ms));
});

test("an injected answer delay holds the answer after the change was made", async t => {
	const api = await open(t, {faults: {answerDelayMs: 3000}});
	const started = performance.now();
	let settled = false;
	const answered = call(api, `/teams/${TEAM}/authentication-token`, {method: "POST"}).finally(() => { settled = true; });
	while (api.tokens().length === 0 && performance.now() - started < 2500) await new Promise(r => setTimeout(r, 10));
	t.is(api.tokens().length, 1, "the token exists while the answer is still held");
	t.false(settled, "and the request has not been answered");
	t.is((await answered).status, 201);
	t.true(api.requests()[0]!.ms >= 2990);
});

test("request log: method, path without query, status, timing; never a token", async t => {
	const api = await open(t);
	const secret = (await createLegacy(api)).json.data.attributes.token as string;
	await call(api, `/teams/${TEAM}/authentication-token?token=${secret}&x=1`, {token: secret});
	await whoAmI(api, "not-a-token");
	const log = api.requests();
	t.is(log.length, 3);
	t.deepEqual(
		log.map(({method, path, status}) => ({method, path, status})),
		[
			{method: "POST", path: `/api/v2/teams/${TEAM}/authentication-token`, status: 201},
			{method: "GET", path: `/api/v2/teams/${TEAM}/authentication-token`, status: 200},
			{method: "GET", path: "/api/v2/account/details", status: 401},
		],
	);
	for (const entry of log) {
		t.deepEqual(Object.keys(entry).sort(), ["at", "method", "ms", "path", "status"]);
		t.regex(entry.at, ISO_MS);
		t.true(entry.ms >= 0);
	}
	const text = JSON.stringify(log);
	for (const hidden of [secret, api.adminToken, "not-a-token", "atlasv1"]) t.false(text.includes(hidden), hidden);
	api.clearRequests();
	t.deepEqual(api.requests(), []);
});

test("bad input gets a 4xx and the server keeps serving", async t => {
	const api = await open(t, {maxBodyBytes: 1024});
	const auth = {Authorization: `Bearer ${api.adminToken}`};
	const path = `/api/v2/teams/${TEAM}/authentication-tokens`;
	const post = (headers: Record<string, string>, chunks: Array<string | Buffer>) =>
		rawCall(api, path, {method: "POST", headers: {...auth, ...headers}, chunks});
	const jsonApi = {"Content-Type": JSON_API};

	t.is((await post(jsonApi, ["{not json"])).status, 400);
	t.is((await post(jsonApi, ["[1,2]"])).status, 400);
	t.is((await post(jsonApi, ['{"data":"x"}'])).status, 400);
	t.is((await post(jsonApi, ['{"data":{"attributes":[]}}'])).status, 400);
	t.is((await post(jsonApi, ['"just a string"'])).status, 400, "JSON that is not an object");
	t.is((await post(jsonApi, [Buffer.from([0x7b, 0xff, 0x7d])])).status, 400, "not UTF-8");
	t.is((await post({"Content-Type": "text/plain"}, ['{"data":{}}'])).status, 415);
	t.is((await post({"Content-Type": "application/json"}, ['{"data":{}}'])).status, 415);
	t.is((await post({}, ['{"data":{}}'])).status, 415, "a body without a content type");
	const declared = await post({...jsonApi, "Content-Length": "5000"}, ["x".repeat(5000)]);
	t.is(declared.status, 413);
	t.is(JSON.parse(declared.text).errors[0].status, "413");
	t.is(
		(
			await post(
				jsonApi,
				Array.from({length: 100}, () => "y".repeat(1000)),
			)
		).status,
		413,
		"chunked, no length given",
	);
	t.is((await post(jsonApi, [JSON.stringify(described("x".repeat(900)))])).status, 201, "just under the limit is fine");

	for (const odd of [
		"/api/v2/nothing",
		"/api/v2/teams/../account/details",
		"/api/v2/teams/%2e%2e/authentication-token",
		`/api/v2/teams/${TEAM}/authentication-token/`,
		`/api/v2//teams/${TEAM}/authentication-token`,
		`/api/v2/teams/%74eam-abc1/authentication-token`,
		"/api/v2/teams/team-a%2fb/authentication-token",
		"/api/v2/authentication-tokens/at-../x",
		"/",
		"*",
	]) {
		const answer = await rawCall(api, odd, {headers: auth});
		t.is(answer.status, 404, odd);
		t.deepEqual(JSON.parse(answer.text), NOT_FOUND);
	}

	const wrongMethod = await call(api, `/teams/${TEAM}/authentication-tokens`);
	t.is(wrongMethod.status, 405);
	t.is(wrongMethod.headers.get("allow"), "POST");
	t.is((await call(api, "/account/details", {method: "DELETE"})).status, 405);
	t.is((await call(api, "/authentication-tokens/at-abc", {method: "PATCH"})).headers.get("allow"), "GET, DELETE");

	t.is((await whoAmI(api, api.adminToken)).status, 200);
	t.is(api.tokens().length, 1);
});

test("an exception inside a handler answers 500 and the server keeps going", async t => {
	let broken = false;
	const api = await open(t, {
		now: () => {
			if (broken) throw new Error("clock broke");
			return new Date();
		},
	});
	broken = true;
	const answer = await whoAmI(api, api.adminToken);
	t.is(answer.status, 500);
	t.deepEqual(answer.json, {errors: [{status: "500", title: "internal server error"}]});
	broken = false;
	t.is((await whoAmI(api, api.adminToken)).status, 200);
	t.is(api.requests()[0]?.status, 500);
});

test("200 concurrent creates all succeed; concurrent legacy regenerations leave exactly one token", async t => {
	const api = await open(t, {teams: 4});
	t.is(api.teams.length, 4);
	const answers = await Promise.all(
		Array.from({length: 200}, (_, i) => createDescribed(api, `token-${i}`, undefined, api.teams[i % 4])),
	);
	t.true(answers.every(answer => answer.status === 201));
	t.is(new Set(answers.map(answer => answer.json.data.attributes.token)).size, 200);
	t.is(api.tokens().length, 200);

	const team = api.teams[0]!;
	const legacy = await Promise.all(
		Array.from({length: 50}, () => call(api, `/teams/${team}/authentication-token`, {method: "POST"})),
	);
	t.true(legacy.every(answer => answer.status === 201));
	const current = api.tokens().filter(token => token.kind === "legacy");
	t.is(current.length, 1);
	const working = await Promise.all(legacy.map(answer => whoAmI(api, answer.json.data.attributes.token)));
	t.is(working.filter(answer => answer.status === 200).length, 1);
});

test("close() returns promptly with keep-alive connections open", async t => {
	const api = await start();
	const agent = new Agent({keepAlive: true});
	t.teardown(() => agent.destroy());
	const status = await new Promise<number>((resolve, reject) => {
		httpRequest(
			`${api.url}/api/v2/account/details`,
			{agent, headers: {Authorization: `Bearer ${api.adminToken}`}},
			response => {
				response.resume().on("end", () => resolve(response.statusCode ?? 0));
			},
		)
			.on("error", reject)
			.end();
	});
	t.is(status, 200);
	const started = performance.now();
	await api.close();
	t.true(performance.now() - started < 1000);
	await api.close();
	await t.throwsAsync(fetch(`${api.url}/api/v2/account/details`));
});

test("options: defaults, validation and run-time teams", async t => {
	const api = await start({adminToken: "admin-secret"});
	t.teardown(() => api.close());
	t.regex(api.url, /^http:\/\/127\.0\.0\.1:\d+$/);
	t.is(api.adminToken, "admin-secret");
	t.is(api.teams.length, 1);
	t.regex(api.teams[0]!, /^team-[A-Za-z0-9]+$/);
	const bare = await start({teams: 0});
	await bare.close();
	t.deepEqual(bare.teams, []);
	t.regex(bare.adminToken, TOKEN_SHAPE, "a random admin token by default");

	t.is(api.addTeam("team-added1"), "team-added1");
	t.regex(api.addTeam(), /^team-[A-Za-z0-9]{16}$/);
	t.is(api.teams.length, 3);
	t.is((await call(api, "/teams/team-added1/authentication-token", {method: "POST"})).status, 201);
	t.throws(() => api.addTeam("team-added1"), {instanceOf: RangeError});
	t.throws(() => api.addTeam("added"), {instanceOf: RangeError});

	for (const bad of [
		{teams: ["not-a-team"]},
		{teams: [TEAM, TEAM]},
		{teams: -1},
		{port: 70_000},
		{rateLimit: 1.5},
		{maxBodyBytes: 0},
		{adminToken: ""},
		{faults: {failBefore: -0.1}},
		{faults: {failAfter: 1.5}},
		{faults: {latencyMs: -5}},
	]) {
		await t.throwsAsync(start(bad), {instanceOf: RangeError}, JSON.stringify(bad));
	}
});

// The CLI runs from source through ts-node, exactly as the tests import it.
function runCli(args: string[], env: Record<string, string> = {}) {
	const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "provider/cli.ts", ...args], {
		cwd: `${__dirname}/..`,
		env: {...process.env, TFE_LOCAL_ADMIN_TOKEN: "", ...env},
		stdio: ["ignore", "pipe", "pipe"],
	});
	const lines = createInterface({input: child.stdout})[Symbol.asyncIterator]();
	let stderr = "";
	child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
	// "close", not "exit": it waits for stdout and stderr to drain too.
	const exited = once(child, "close") as Promise<[number | null, NodeJS.Signals | null]>;
	return {child, nextLine: async () => (await lines.next()).value as string | undefined, exited, stderr: () => stderr};
}

test("CLI: local-api prints its URL first, then teams, serves, and exits 0 on SIGTERM", async t => {
	const cli = runCli([
		"local-api",
		"--port",
		"0",
		"--admin-token",
		"cli-admin",
		"--teams",
		"team-abc1,2",
		"--teams",
		"team-x9",
		"--rate-limit",
		"50",
	]);
	t.teardown(() => cli.child.kill("SIGKILL"));
	const first = await cli.nextLine();
	const url = /^local team-token API listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first ?? "")?.[1];
	t.truthy(url, first);
	const teamsLine = (await cli.nextLine()) ?? "";
	const teams = teamsLine.replace(/^teams: /, "").split(",");
	t.is(teams.length, 4, teamsLine);
	t.is(teams[0], "team-abc1");
	t.is(teams[3], "team-x9");

	const answer = await fetch(`${url}/api/v2/teams/${teams[1]}/authentication-token`, {
		method: "POST",
		headers: {Authorization: "Bearer cli-admin"},
	});
	t.is(answer.status, 201);
	t.is(answer.headers.get("x-ratelimit-limit"), "50");
	cli.child.kill("SIGTERM");
	t.deepEqual(await cli.exited, [0, null]);
});

test("CLI: prints a generated admin token only when none is given", async t => {
	const cli = runCli(["local-api", "--port", "0", "--teams", "0"]);
	t.teardown(() => cli.child.kill("SIGKILL"));
	const url = (await cli.nextLine())?.split(" ").pop();
	const tokenLine = (await cli.nextLine()) ?? "";
	const token = /^admin token \(generated\): (\S+)$/.exec(tokenLine)?.[1] ?? "";
	t.regex(token, TOKEN_SHAPE);
	t.is(await cli.nextLine(), "teams: (none)");
	t.is((await fetch(`${url}/api/v2/account/details`, {headers: {Authorization: `Bearer ${token}`}})).status, 200);
	cli.child.kill("SIGINT");
	t.deepEqual(await cli.exited, [0, null]);

	const fromEnv = runCli(["local-api", "--port", "0"], {TFE_LOCAL_ADMIN_TOKEN: "env-admin"});
	t.teardown(() => fromEnv.child.kill("SIGKILL"));
	const envUrl = (await fromEnv.nextLine())?.split(" ").pop();
	t.regex((await fromEnv.nextLine()) ?? "", /^teams: team-[A-Za-z0-9]+$/);
	t.is((await fetch(`${envUrl}/api/v2/account/details`, {headers: {Authorization: "Bearer env-admin"}})).status, 200);
	fromEnv.child.kill("SIGTERM");
	t.deepEqual(await fromEnv.exited, [0, null]);
});

test("CLI: usage mistakes exit 2 naming the problem; --help prints usage", async t => {
	for (const [args, mention] of [
		[["local-api", "--prot", "8080"], "--prot"],
		[["local-api", "--port", "eighty"], "--port"],
		[["local-api", "--fail-before", "2"], "failBefore"],
		[["local-api", "--teams", "bogus"], "bogus"],
		[["local-api", "stray"], "stray"],
		[["serve"], "serve"],
	] as const) {
		const cli = runCli([...args]);
		const [code] = await cli.exited;
		t.is(code, 2, args.join(" "));
		t.true(cli.stderr().includes(mention), cli.stderr());
	}
	const help = runCli(["local-api", "--help"]);
	t.is(await help.nextLine(), "Usage: pulumi-tfe-team-token local-api [flags]");
	t.deepEqual(await help.exited, [0, null]);
});

test("CLI: prints the organization OrganizationToken needs, without --agent-pools, and logs nothing unasked", async t => {
	const cli = runCli(["local-api", "--port", "0", "--admin-token", "cli-admin", "--teams", "team-abc1", "--organization", "acme"]);
	t.teardown(() => cli.child.kill("SIGKILL"));
	const url = (await cli.nextLine())?.split(" ").pop();
	const answer = await fetch(`${url}/api/v2/organizations/acme/authentication-token`, {
		method: "POST",
		headers: {Authorization: "Bearer cli-admin"},
	});
	t.is(answer.status, 201);
	cli.child.kill("SIGTERM");
	t.deepEqual(await cli.exited, [0, null]);
	// Read after exit, so a missing line fails the test instead of waiting for it.
	const rest: string[] = [];
	for (let line = await cli.nextLine(); line !== undefined; line = await cli.nextLine()) rest.push(line);
	t.deepEqual(rest, ["teams: team-abc1", "organization: acme"]);
	t.is(cli.stderr(), "");
});

test("CLI: --log-requests writes one stderr line per request, with the query but never a token or header", async t => {
	// A plain admin token is masked because the server knows it; an issued one because of its shape.
	const cli = runCli(["local-api", "--port", "0", "--admin-token", "plain-admin", "--log-requests"]);
	t.teardown(() => cli.child.kill("SIGKILL"));
	const url = (await cli.nextLine())?.split(" ").pop();
	const call = (method: string, path: string) =>
		fetch(`${url}/api/v2/${path}`, {method, headers: {Authorization: "Bearer plain-admin"}});
	const created = await call("POST", "organizations/local-org/authentication-token?token=audit-trails");
	t.is(created.status, 201);
	const issued = ((await created.json()) as {data: {attributes: {token: string}}}).data.attributes.token;
	t.regex(issued, TOKEN_SHAPE);
	t.is((await call("GET", `organizations/local-org/authentication-token?token=${issued}`)).status, 422);
	t.is((await call("GET", "account/details?q=plain-admin&page[size]=2")).status, 200);
	t.is((await fetch(`${url}/api/v2/account/details`)).status, 401);
	cli.child.kill("SIGTERM");
	t.deepEqual(await cli.exited, [0, null]);

	const lines = cli.stderr().trimEnd().split("\n");
	for (const line of lines) t.regex(line, /^(GET|POST) \/\S+ \d{3} \d+(\.\d+)?ms$/);
	t.deepEqual(
		lines.map(line => line.replace(/ [\d.]+ms$/, "")),
		[
			"POST /api/v2/organizations/local-org/authentication-token?token=audit-trails 201",
			"GET /api/v2/organizations/local-org/authentication-token?token=<redacted> 422",
			"GET /api/v2/account/details?q=<redacted>&page[size]=2 200",
			"GET /api/v2/account/details 401",
		],
	);
	for (const secret of ["plain-admin", issued, issued.slice(0, 14), "Bearer", "uthorization"]) t.false(cli.stderr().includes(secret), secret);
});

test("maskQuery keeps the API's own parameters and masks whatever could be a credential, keys included", t => {
	const kept = "token=audit-trails&sort=-created-at&filter[expiry_status]=expiring_in_30_days,expired&page[number]=2&q=";
	t.is(maskQuery(kept, "admin"), kept);
	const secret = "AbCdEfGhIjKlMn.atlasv1.OpQrStUvWxYz0123456789";
	t.is(maskQuery(`${secret}&token=${encodeURIComponent(secret)}`, "admin"), "<redacted>&token=<redacted>");
	t.is(maskQuery("q=0123456789abcdef0123456789abcdef", "admin"), "q=<redacted>", "a long lowercase run");
	t.is(maskQuery("q=my-admin-x&q=%61dmin", "admin"), "q=<redacted>&q=<redacted>", "the admin token inside, or escaped");
	t.is(maskQuery("a=b=SECRET", "admin"), "a=b=<redacted>");
});

test("teams name their organization, whose token list is paged", async t => {
	const api = await start({teams: ["team-org1", "team-org2"], organization: "acme"});
	t.teardown(() => api.close());
	const get = async (path: string) => {
		const response = await fetch(`${api.url}/api/v2/${path}`, {headers: {authorization: `Bearer ${api.adminToken}`}});
		return {status: response.status, body: (await response.json()) as any};
	};
	const team = await get("teams/team-org1");
	t.is(team.status, 200);
	t.is(team.body.data.relationships.organization.data.id, "acme");
	for (let i = 0; i < 3; i++) {
		const response = await fetch(`${api.url}/api/v2/teams/team-org${1 + (i % 2)}/authentication-tokens`, {
			method: "POST",
			headers: {authorization: `Bearer ${api.adminToken}`, "content-type": "application/vnd.api+json"},
			body: JSON.stringify({data: {type: "authentication-tokens", attributes: {description: `d${i}`}}}),
		});
		t.is(response.status, 201);
	}
	const first = await get("organizations/acme/team-tokens?page[size]=2");
	t.is(first.body.data.length, 2);
	t.is(first.body.meta.pagination["next-page"], 2);
	t.is(first.body.data[0].attributes.token, null);
	const second = await get("organizations/acme/team-tokens?page[size]=2&page[number]=2");
	t.deepEqual(
		second.body.data.map((d: any) => d.attributes.description),
		["d2"],
	);
	t.is(second.body.meta.pagination["next-page"], null);
	t.is((await get("organizations/other/team-tokens")).status, 404);
	t.is((await get("teams/team-nope9")).status, 404);
});
