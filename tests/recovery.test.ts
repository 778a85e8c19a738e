import test from "ava";
import {createImplementation} from "../provider/engine/crud";
import {authenticates, checked, fakeClock, requestsOf, setup} from "./helpers";

/*
 * The rule that decides whether a token in the way is this stack's own create whose answer never reached state
 * (made by this credential, within 24 hours, never used): both sides of it, for both kinds of token.
 */

/** Creates a token as `token`'s user, outside the provider. */
async function issue(url: string, token: string, path: string, body: object = {data: {type: "authentication-tokens"}}) {
	const response = await fetch(`${url}/api/v2/${path}`, {
		method: "POST",
		headers: {authorization: `Bearer ${token}`, "content-type": "application/vnd.api+json"},
		body: JSON.stringify(body),
	});
	if (response.status !== 201) {
		throw new Error(`POST ${path}: ${response.status}`);
	}
	return ((await response.json()) as {data: {id: string; attributes: {token: string; "created-at": string}}}).data;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A warning that revokes a token in the way says what was observed (maker, time, recency, no use) apart from what
 * was concluded from it: a token made by hand with the same credential, unused, reads the same.
 */
function inference(lost: {attributes: {"created-at": string}}, recency = "within the last 24 hours"): string {
	return `it was made by user-\\w+ \\(the user this API token acts as\\) at ${escape(lost.attributes["created-at"])}, ${escape(recency)}, `
		+ "and never used, so it is taken to be this stack's own create whose answer was lost";
}

/** The old words stated the conclusion as fact. */
const STATED_AS_FACT = /it is this stack's own create|never reached the state/;

/** A create whose answer was lost: the API made the token, nobody recorded it. */
const lostLegacy = (url: string, token: string, teamId: string) => issue(url, token, `teams/${teamId}/authentication-token`);
const lostDescribed = (url: string, token: string, teamId: string, description: string) =>
	issue(url, token, `teams/${teamId}/authentication-tokens`, {data: {type: "authentication-tokens", attributes: {description}}});

test("legacy: the stack's own unrecorded create is replaced, with a warning that names it", async t => {
	const {api, provider, logs} = await setup(t);
	const lost = await lostLegacy(api.url, api.adminToken, "team-abc1");
	api.clearRequests();
	const created = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	t.regex(logs.join("\n"), new RegExp(`replacing ${lost.id} on team team-abc1: ${inference(lost)} \\(an interrupted update\\)\\.`));
	t.notRegex(logs.join("\n"), STATED_AS_FACT);
	t.false(await authenticates(api, lost.attributes.token));
	t.true(await authenticates(api, created.outs.token));
	t.deepEqual(api.tokens().map(x => x.id), [created.outs.tokenId]);
	t.deepEqual(requestsOf(api), [
		"GET /teams/team-abc1/authentication-token 200",
		"POST /teams/team-abc1/authentication-token 201",
		"GET /teams/team-abc1/authentication-token 200",
	]);
});

test("described: the stack's own unrecorded create (422 description taken) is revoked and made again, with a warning", async t => {
	const {api, provider, logs} = await setup(t);
	const lost = await lostDescribed(api.url, api.adminToken, "team-abc1", "ci");
	const created = await provider.create(await checked(provider, {teamId: "team-abc1", description: "ci"}));
	t.regex(logs.join("\n"), new RegExp(`revoked ${lost.id} on team team-abc1: ${inference(lost)} \\(an interrupted update\\); creating it again\\.`));
	t.notRegex(logs.join("\n"), STATED_AS_FACT);
	t.deepEqual(api.tokens().map(x => x.id), [created.outs.tokenId]);
	t.true(await authenticates(api, created.outs.token));
});

const notOurs: [string, (api: {url: string; adminToken: string}, lost: {attributes: {token: string}}, clock: ReturnType<typeof fakeClock>) => Promise<void> | void, RegExp][] = [
	["used once", async (api, lost) => { await fetch(`${api.url}/api/v2/account/details`, {headers: {authorization: `Bearer ${lost.attributes.token}`}}); }, /last used at \S+\)/],
	["older than 24 hours", (_api, _lost, clock) => clock.advanceDays(1.01), /never used\)/],
];

for (const [kind, extra] of [["legacy", {}], ["described", {description: "ci"}]] as const) {
	for (const [title, spoil, facts] of notOurs) {
		test(`${kind}: a token of this credential ${title} is not taken; the error names it and the ways out`, async t => {
			const clock = fakeClock();
			const {api, provider} = await setup(t, {now: clock.now}, {now: clock.now});
			const lost = "description" in extra
				? await lostDescribed(api.url, api.adminToken, "team-abc1", extra.description)
				: await lostLegacy(api.url, api.adminToken, "team-abc1");
			await spoil(api, lost, clock);
			const error = await t.throwsAsync(provider.create(await checked(provider, {teamId: "team-abc1", ...extra})));
			t.regex(error!.message, new RegExp(`already exists for team team-abc1: ${lost.id} \\(made by user-\\w+ \\(the user this API token acts as\\) at 2026-11-28T00:00:00.000Z, `));
			t.regex(error!.message, facts);
			t.regex(error!.message, /within the last 24 hours and it was never used.*Ways out: .*revoke it by hand/);
			t.true(await authenticates(api, lost.attributes.token), "left alone");
		});
	}

	test(`${kind}: a fresh, unused token made by another credential is not taken`, async t => {
		const {api, provider} = await setup(t);
		const mine = await provider.create(await checked(provider, {teamId: "team-abc2", forceRegenerate: true}));
		const theirs = "description" in extra
			? await lostDescribed(api.url, mine.outs.token, "team-abc1", extra.description)
			: await lostLegacy(api.url, mine.outs.token, "team-abc1");
		const error = await t.throwsAsync(provider.create(await checked(provider, {teamId: "team-abc1", ...extra})));
		t.regex(error!.message, new RegExp(`${theirs.id} \\(made by user-\\w+ at \\S+, never used\\)`));
		t.notRegex(error!.message, /\(the user this API token acts as\)/);
		t.true(await authenticates(api, theirs.attributes.token));
	});
}

test("destroy of a legacy token also revokes the stack's own unrecorded replacement, and warns", async t => {
	const {api, provider, logs} = await setup(t);
	const recorded = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	t.true(await authenticates(api, recorded.outs.token));
	const lost = await lostLegacy(api.url, api.adminToken, "team-abc1");
	await provider.delete(recorded.id, recorded.outs);
	t.deepEqual(api.tokens(), []);
	t.regex(logs.join("\n"), new RegExp(`revoking ${lost.id} of team-abc1 too: ${inference(lost)} \\(an interrupted replacement\\)\\.`));
	t.notRegex(logs.join("\n"), STATED_AS_FACT);
});

test("agent: a token made since the create began, whose answer was lost, is revoked with a warning that says so", async t => {
	const pool = "apool-abc1";
	let lost: {id: string; attributes: {"created-at": string}} | undefined;
	const {provider, logs} = await setup(t, {agentPools: [pool]}, {http: {fetch: async (input, init) => {
		const response = await fetch(input, init);
		const request = input instanceof Request ? input : new Request(input, init);
		if (request.method === "POST" && lost === undefined) {
			lost = ((await response.json()) as {data: typeof lost}).data;
			return new Response(JSON.stringify({errors: [{status: "502", title: "bad gateway"}]}), {status: 502, headers: {"content-type": "application/vnd.api+json"}});
		}
		return response;
	}}});
	await provider.create(await checked(provider, {kind: "agent", agentPoolId: pool, description: "runners"}));
	t.regex(logs.join("\n"), new RegExp(`revoked ${lost!.id} on agent pool ${pool}: ${inference(lost!, "since this create began (less a minute for clock skew)")} \\(POST `));
	t.notRegex(logs.join("\n"), STATED_AS_FACT);
});

test("legacy race: a POST by someone else between ours and the read-back fails loudly, naming both tokens", async t => {
	let theirs: string | undefined;
	const {api, provider} = await setup(t, {}, {http: {fetch: async (input, init) => {
		const response = await fetch(input, init);
		const request = input instanceof Request ? input : new Request(input, init);
		if (request.method === "POST" && theirs === undefined) {
			theirs = (await lostLegacy(api.url, api.adminToken, "team-abc1")).id;
		}
		return response;
	}}});
	const error = await t.throwsAsync(provider.create(await checked(provider, {teamId: "team-abc1"})));
	t.regex(error!.message, new RegExp(`The single token of team team-abc1 changed right after this create: it now has ${theirs}, which revoked the at-\\w+ just made`));
});

test("rotateBeforeDays that the server's default lifetime cannot clear: the new token is revoked and the create fails naming both", async t => {
	for (const extra of [{}, {description: "ci"}]) {
		// A run of its own each: once refused, the run knows the lifetime and its checks refuse first (rotation.test.ts).
		const {api, provider} = await setup(t, {defaultLifetimeDays: 30});
		const error = await t.throwsAsync(provider.create(await checked(provider, {teamId: "team-abc1", rotateBeforeDays: 30, ...extra})));
		t.regex(error!.message, /lifetime of 30\.0 days \(it expires at \S+\), less than rotateBeforeDays \(30\).*revoked\. Set rotateBeforeDays below 30/);
		t.deepEqual(api.tokens(), []);
		const fine = await provider.create(await checked(provider, {teamId: "team-abc1", rotateBeforeDays: 29, ...extra}));
		t.truthy(fine.outs.token);
	}
});

test("refresh and destroy with a rejected API token name --run-program", async t => {
	const {api, provider} = await setup(t);
	const created = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	const stale = createImplementation({env: {TFE_ADDRESS: api.url, TFE_TOKEN: "an-old-api-token-value"}});
	const read = await t.throwsAsync(stale.read(created.id, created.outs));
	t.regex(read!.message, /401.*`pulumi refresh --run-program`, or `pulumi up` first/);
	const destroy = await t.throwsAsync(stale.delete(created.id, created.outs));
	t.regex(destroy!.message, /401.*`pulumi destroy --run-program`/);
	t.notRegex(`${read!.message}${destroy!.message}`, /an-old-api-token-value/);
});
