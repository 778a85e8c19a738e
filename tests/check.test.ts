import {randomBytes} from "node:crypto";
import test from "ava";
import {createImplementation} from "../provider/engine/crud";
import type {LocalApi} from "../provider/local-api";
import {FUTURE, requestsOf, setup} from "./helpers";

const NOW = new Date("2026-11-28T12:00:00Z");

const bad: [string, Record<string, unknown>, string, RegExp][] = [
	["path traversal in teamId", {teamId: "../organizations/x"}, "teamId", /"team-" followed by letters and digits.*"\.\.\/organizations\/x"/],
	["slash in teamId", {teamId: "team-a/b"}, "teamId", /team-a\/b/],
	["empty teamId", {teamId: ""}, "teamId", /letters and digits/],
	["missing teamId", {}, "teamId", /got "nothing"/],
	["teamId without prefix", {teamId: "BUHBEM97xboT8TVz"}, "teamId", /letters and digits/],
	["non-string teamId", {teamId: 42}, "teamId", /got 42/],
	["malformed expiredAt", {teamId: "team-abc1", expiredAt: "2027-06-01"}, "expiredAt", /RFC 3339.*"2027-06-01"/],
	["words for expiredAt", {teamId: "team-abc1", expiredAt: "tomorrow"}, "expiredAt", /RFC 3339/],
	["impossible date", {teamId: "team-abc1", expiredAt: "2027-02-30T00:00:00Z"}, "expiredAt", /RFC 3339/],
	["past expiredAt", {teamId: "team-abc1", expiredAt: "2020-01-01T00:00:00Z"}, "expiredAt", /in the future.*2026-11-28T12:00:00.000Z/],
	["description with forceRegenerate", {teamId: "team-abc1", description: "ci", forceRegenerate: true}, "forceRegenerate", /cannot be combined with description/],
	["description with forceRegenerate false", {teamId: "team-abc1", description: "ci", forceRegenerate: false}, "forceRegenerate", /cannot be combined with description/],
	["empty description", {teamId: "team-abc1", description: "  "}, "description", /non-empty string/],
	["non-boolean forceRegenerate", {teamId: "team-abc1", forceRegenerate: "yes"}, "forceRegenerate", /true or false/],
	["triggers not an array", {teamId: "team-abc1", triggers: "v1"}, "triggers", /array/],
	["expiresInDays with expiredAt", {teamId: "team-abc1", expiredAt: FUTURE, expiresInDays: 30}, "expiresInDays", /either as a date or as a number of days/],
	["zero expiresInDays", {teamId: "team-abc1", expiresInDays: 0}, "expiresInDays", /whole number of days from 1/],
	["fractional expiresInDays", {teamId: "team-abc1", expiresInDays: 1.5}, "expiresInDays", /whole number/],
	["rotateBeforeDays with expiredAt", {teamId: "team-abc1", expiredAt: FUTURE, rotateBeforeDays: 30}, "rotateBeforeDays", /fixed expiredAt.*rotated again at every run/],
	["rotateBeforeDays not below expiresInDays", {teamId: "team-abc1", expiresInDays: 30, rotateBeforeDays: 30}, "rotateBeforeDays", /less than expiresInDays \(30\)/],
	["negative rotateBeforeDays", {teamId: "team-abc1", rotateBeforeDays: -1}, "rotateBeforeDays", /whole number of days/],
	["a misspelt input", {teamId: "team-abc1", expiresInDay: 30}, "expiresInDay", /not an input of TeamToken; did you mean expiresInDays\? The inputs are teamId, description/],
	["a misspelt input in another case", {teamId: "team-abc1", TeamID: "team-abc1"}, "TeamID", /did you mean teamId\?/],
	["an input nothing resembles", {teamId: "team-abc1", colour: "red"}, "colour", /not an input of TeamToken\. The inputs are/],
	["a 10 KB teamId", {teamId: `team-${"a".repeat(10_000)}`}, "teamId", /at most 64 characters; got 10005$/],
	["a description over the cap", {teamId: "team-abc1", description: "d".repeat(256)}, "description", /at most 255 characters; got 256$/],
	["a NUL in the description", {teamId: "team-abc1", description: "ci\u0000"}, "description", /must not hold control characters \(a NUL, a newline, a tab, \.\.\.\); got U\+0000 at character 3$/],
	["a newline in the description", {teamId: "team-abc1", description: "ci\nrunner"}, "description", /got U\+000A at character 3$/],
	["a DEL in an agent token's description", {kind: "agent", agentPoolId: "apool-abc1", description: "x\u007f"}, "description", /control characters.*U\+007F at character 2$/],
	["a century of expiresInDays", {teamId: "team-abc1", expiresInDays: 36_500}, "expiresInDays", /from 1 to 3650 \(ten years\); got 36500$/],
	["a day over ten years of expiresInDays", {teamId: "team-abc1", expiresInDays: 3651}, "expiresInDays", /from 1 to 3650 \(ten years\); got 3651$/],
	["a century of rotateBeforeDays", {teamId: "team-abc1", rotateBeforeDays: 36_500}, "rotateBeforeDays", /from 1 to 3650 \(ten years\); got 36500$/],
	["an expiredAt in 2126", {teamId: "team-abc1", expiredAt: "2126-11-28T00:00:00Z"}, "expiredAt", /at most 3650 days \(ten years\) from now, by 2036-11-25T12:00:00.000Z; got "2126-11-28T00:00:00Z"\. Leave it unset/],
	["an expiredAt in 9999", {teamId: "team-abc1", expiredAt: "9999-12-31T23:59:59Z"}, "expiredAt", /at most 3650 days.*got "9999-12-31T23:59:59Z"/],
	["an expiredAt a second past ten years", {teamId: "team-abc1", expiredAt: "2036-11-25T12:00:01Z"}, "expiredAt", /at most 3650 days/],
	["the token output given as an input", {teamId: "team-abc1", token: "pasted-value"}, "token", /^token: is an output of TeamToken, not an input: the API makes the token; read it from the resource \(its `token` output, a secret\)\. Remove it from the inputs\.$/],
	["the tokenId output given as an input", {teamId: "team-abc1", description: "ci", tokenId: "at-abc"}, "tokenId", /^tokenId: is an output of TeamToken, not an input: .*import it \(`pulumi import`\)\. Remove it/],
	["createdAt given to a user token", {kind: "user", userId: "user-abc1", description: "ci", createdAt: "2026-01-01T00:00:00Z"}, "createdAt", /^createdAt: is an output of UserToken, not an input/],
];

for (const [title, news, property, reason] of bad) {
	test(`check rejects ${title}, naming the field, and sends nothing`, async t => {
		const {api, provider} = await setup(t, {}, {now: () => NOW});
		const {failures} = await provider.check({}, news);
		const failure = failures?.find(f => f.reason.startsWith(`${property}: `));
		t.truthy(failure, JSON.stringify(failures));
		t.is(failure!.property, "", "naming no property keeps the engine from printing the value");
		t.regex(failure!.reason, reason);
		t.deepEqual(api.requests(), []);
	});
}

test("check accepts a lifetime of ten years, counted in days or up to the instant", async t => {
	const {api, provider} = await setup(t, {}, {now: () => NOW});
	t.deepEqual((await provider.check({}, {teamId: "team-abc1", expiresInDays: 3650, rotateBeforeDays: 3649})).failures, []);
	t.deepEqual((await provider.check({}, {teamId: "team-abc1", expiredAt: "2036-11-25T12:00:00Z"})).failures, []);
	t.deepEqual((await provider.check({}, {teamId: "team-abc1", description: "ci \u00e9\u{1F511} runner"})).failures, [], "printable non-ASCII is no control character");
	t.deepEqual(api.requests(), []);
});

test("an output given as an input is refused without quoting it, whatever it holds", async t => {
	const {provider} = await setup(t, {}, {now: () => NOW});
	const pasted = [14, 67].map(n => randomBytes(n).toString("hex").slice(0, n)).join(".atlasv1.");
	const {failures} = await provider.check({}, {teamId: "team-abc1", token: pasted});
	t.is(failures!.length, 1);
	t.false(failures![0]!.reason.includes(pasted.slice(0, 14)));
});

test("check accepts valid inputs and normalises expiredAt to one instant", async t => {
	const {api, provider} = await setup(t, {}, {now: () => NOW});
	for (const expiredAt of ["2027-06-01T00:00:00Z", "2027-06-01T00:00:00.000Z", "2027-06-01T02:00:00+02:00", "2027-06-01t00:00:00z"]) {
		const {inputs, failures} = await provider.check({}, {teamId: "team-abc1", expiredAt, triggers: [1, {a: 2}]});
		t.deepEqual(failures, []);
		t.is(inputs!.expiredAt, "2027-06-01T00:00:00.000Z");
	}
	t.deepEqual(api.requests(), []);
});

test("check passes values unknown during preview through and checks the rest", async t => {
	const {provider} = await setup(t, {}, {now: () => NOW});
	const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
	const {failures} = await provider.check({}, {teamId: unknown, expiredAt: unknown, description: "ok"});
	t.deepEqual(failures, []);
	const second = await provider.check({}, {teamId: unknown, expiredAt: "soon"});
	t.deepEqual(second.failures?.map(f => f.reason.split(":")[0]), ["expiredAt"]);
});

test("a token pasted into the wrong field is not echoed in the failure", async t => {
	const {provider} = await setup(t, {}, {now: () => NOW});
	const pasted = [14, 67].map(n => randomBytes(n).toString("hex").slice(0, n)).join(".atlasv1.");
	const {failures} = await provider.check({}, {teamId: pasted});
	t.is(failures![0]!.property, "");
	t.regex(failures![0]!.reason, /^teamId: /);
	t.false(failures![0]!.reason.includes("atlasv1"));
	const short = await provider.check({}, {teamId: pasted.slice(0, 40)});
	t.regex(short.failures![0]!.reason, /^teamId: .*got "\[redacted token\]"/);
});

test("the configured API token is not echoed either, whatever its shape", async t => {
	const {api, provider} = await setup(t, {adminToken: "plain-secret-without-any-shape"});
	const {failures} = await provider.check({}, {teamId: "plain-secret-without-any-shape"});
	t.regex(failures![0]!.reason, /^teamId: .*got "\[redacted token\]"/);
	t.false(JSON.stringify(failures).includes(api.adminToken));
});

const badConfig: [string, Record<string, string>, RegExp][] = [
	["no API token", {TFE_ADDRESS: "https://tfe.example.com"}, /No API token for tfe\.example\.com/],
	["plain http to a remote host", {TFE_ADDRESS: "http://tfe.example.com", TFE_TOKEN: "x"}, /plain http is only allowed to loopback hosts/],
	["a hostname with a path", {TFE_HOSTNAME: "tfe.example.com/api", TFE_TOKEN: "x"}, /without a path, query, fragment or user/],
	["a hostname with a query", {TFE_ADDRESS: "https://tfe.example.com?token=abcdefgh", TFE_TOKEN: "x"}, /without a path, query/],
];

for (const [title, env, reason] of badConfig) {
	test(`check (at preview) reports the configuration problem: ${title}`, async t => {
		const {provider} = await setup(t, {}, {now: () => NOW, env: {HOME: "/nonexistent", ...env}});
		const {failures} = await provider.check({}, {teamId: "team-abc1"});
		t.is(failures!.length, 1, JSON.stringify(failures));
		t.regex(failures![0]!.reason, /^configuration: /);
		t.regex(failures![0]!.reason, reason);
		t.false(failures![0]!.reason.includes("abcdefgh"), "the query is not echoed");
	});
}

/** The stack configuration the engine hands a configured provider. */
function configure(provider: ReturnType<typeof createImplementation>, config: Record<string, string>) {
	return provider.configure!({config: {get: (key: string) => config[key]}} as never);
}

const accountRequests = (api: LocalApi) => api.requests().filter(r => r.path.endsWith("/account/details")).map(r => `${r.method} ${r.path} ${r.status}`);

test("a rejected API token fails check, naming where it came from, with one request per run: a second check sends none", async t => {
	const {api, provider} = await setup(t);
	await configure(provider, {"tfe:hostname": api.url, "tfe:token": "wrong-token-value-1234"});
	for (const news of [{teamId: "team-abc1"}, {teamId: "team-abc2", description: "ci"}]) {
		const {failures} = await provider.check({}, news);
		t.is(failures!.length, 1, JSON.stringify(failures));
		t.is(failures![0]!.property, "");
		t.regex(failures![0]!.reason, /^configuration: the API token \(from stack config tfe:token\) was rejected by 127\.0\.0\.1:\d+: GET \/api\/v2\/account\/details answered 401 unauthorized, so every request of `pulumi up` would fail\. Set a valid one with `pulumi config set --secret tfe:token <token>`\.$/);
		t.false(failures![0]!.reason.includes("wrong-token-value-1234"));
	}
	t.deepEqual(accountRequests(api), ["GET /api/v2/account/details 401"]);
	t.deepEqual(requestsOf(api), [], "nothing else is sent");
});

test("a rejected API token from the environment is named as such, and the stack setting offered", async t => {
	const {api, provider} = await setup(t, {}, {env: {TFE_ADDRESS: "", TFE_TOKEN: "wrong-token-value-1234", HOME: "/nonexistent"}});
	await configure(provider, {"tfe:hostname": api.url});
	const {failures} = await provider.check({}, {teamId: "team-abc1"});
	t.regex(failures![0]!.reason, /the API token \(from TFE_TOKEN\) was rejected .* Replace it there, or set one with `pulumi config set --secret tfe:token <token>`, which takes precedence\./);
});

test("an accepted API token: check passes with one request however many resources are checked", async t => {
	const {api, provider} = await setup(t);
	await configure(provider, {"tfe:hostname": api.url, "tfe:token": api.adminToken});
	const results = await Promise.all(["team-abc1", "team-abc2", "team-abc1"].map(teamId => provider.check({}, {teamId})));
	t.deepEqual(results.map(r => r.failures), [[], [], []]);
	t.deepEqual(accountRequests(api), ["GET /api/v2/account/details 200"]);
});

test("a new credential in the same process is checked again", async t => {
	const {api, provider} = await setup(t);
	await configure(provider, {"tfe:hostname": api.url, "tfe:token": api.adminToken});
	t.deepEqual((await provider.check({}, {teamId: "team-abc1"})).failures, []);
	await configure(provider, {"tfe:hostname": api.url, "tfe:token": "wrong-token-value-1234"});
	t.is((await provider.check({}, {teamId: "team-abc1"})).failures!.length, 1);
	t.deepEqual(accountRequests(api), ["GET /api/v2/account/details 200", "GET /api/v2/account/details 401"]);
});

test("without the engine's configuration (configure not called) the credential is not checked", async t => {
	const {api, provider} = await setup(t, {}, {env: {TFE_ADDRESS: "", TFE_TOKEN: "wrong-token-value-1234", HOME: "/nonexistent"}});
	const {failures} = await provider.check({}, {teamId: "team-abc1"});
	t.deepEqual(failures, []);
	t.deepEqual(api.requests(), []);
});

test("a bad input fails check before the credential is checked", async t => {
	const {api, provider} = await setup(t);
	await configure(provider, {"tfe:hostname": api.url, "tfe:token": "wrong-token-value-1234"});
	const {failures} = await provider.check({}, {teamId: "team-"});
	t.deepEqual(failures!.map(f => f.reason.split(":")[0]), ["teamId"]);
	t.deepEqual(api.requests(), []);
});

const silent: [string, () => Promise<Response>][] = [
	["a 503", async () => new Response(JSON.stringify({errors: [{status: "503", title: "unavailable"}]}), {status: 503})],
	["a 429", async () => new Response(JSON.stringify({errors: [{status: 429, title: "Too many requests"}]}), {status: 429, headers: {"x-ratelimit-limit": "30", "x-ratelimit-reset": "0.5"}})],
];

for (const [title, answer] of silent) {
	test(`the credential check says nothing on ${title}, once its retries are spent, and asks once per run`, async t => {
		let sent = 0;
		const {api, provider} = await setup(t, {}, {http: {fetch: async () => {
			sent++;
			return answer();
		}}});
		await configure(provider, {"tfe:hostname": api.url, "tfe:token": api.adminToken});
		t.deepEqual((await provider.check({}, {teamId: "team-abc1"})).failures, []);
		const asked = sent;
		t.true(asked > 1, `${asked} attempts`);
		t.deepEqual((await provider.check({}, {teamId: "team-abc2"})).failures, []);
		t.is(sent, asked);
	});
}

test("no answer to the credential check within the deadline fails the check, naming the request, and asks once per run", async t => {
	let sent = 0;
	const {api, provider} = await setup(t, {}, {http: {fetch: async () => {
		sent++;
		throw new TypeError("fetch failed");
	}}});
	await configure(provider, {"tfe:hostname": api.url, "tfe:token": api.adminToken});
	const [failure] = (await provider.check({}, {teamId: "team-abc1"})).failures!;
	t.regex(failure!.reason, /^configuration: GET account\/details failed \(no response\): .*Gave up after \d+ attempts .* Every request of `pulumi up` would meet the same\.$/);
	t.false(failure!.reason.includes(api.adminToken));
	const asked = sent;
	t.regex((await provider.check({}, {teamId: "team-abc2"})).failures![0]!.reason, /Gave up after/);
	t.is(sent, asked);
});
