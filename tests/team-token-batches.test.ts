import test from "ava";
import {type Gathered, Gatherer, GATHER_DEFAULTS, MIN_SLOTS} from "../provider/engine/gatherer";
import {fakeTimers} from "./fake-timers";
import {SINGLES} from "../provider/engine/batch-options";
import {SNAPSHOT_MAX_AGE_MS} from "../provider/engine/team-token-snapshot";
import {authenticates, checked, requestsOf, setup} from "./helpers";

/*
 * Team-token reads and revocations gathered across the resources a provider process serves at once: one listing per
 * organization, one bulk DELETE per organization, and the single requests they fall back to.
 */

const TEAMS = Array.from({length: 12}, (_, i) => `team-b${i}`);

/** A local API with twelve teams, a provider whose gatherer waits 20 ms after the last call, and a clock the test moves. */
async function batched(t: Parameters<typeof setup>[0], options: Parameters<typeof setup>[1] = {}) {
	let clock = 0;
	const context = await setup(t, {teams: TEAMS, ...options}, {batches: {gather: {idleMs: 20}, singles: 0, clock: () => clock}});
	return {...context, advance: (ms: number) => void (clock += ms)};
}

/** Creates a legacy token on each team, as `up` would, and answers the state each resource keeps. */
async function legacyTokens(provider: Awaited<ReturnType<typeof batched>>["provider"], teams: readonly string[]) {
	return Promise.all(teams.map(async teamId => (await provider.create(await checked(provider, {teamId, forceRegenerate: true}))).outs));
}

const count = (requests: string[], pattern: RegExp) => requests.filter(request => pattern.test(request)).length;

test("gatherer: calls arriving together go as one batch, a full batch at once, a later call in the next; failures are each call's own", async t => {
	const batches: number[][] = [];
	const gatherer = new Gatherer<number, number>(async (batch: readonly Gathered<number, number>[]) => {
		batches.push(batch.map(call => call.item));
		for (const call of batch) {
			if (call.item < 0) call.reject(new Error(`negative ${call.item}`));
			else call.resolve(call.item * 2);
		}
	}, {idleMs: 20, maxIdleMs: 1000, maxWaitMs: 1000, max: 3});
	const first = await Promise.allSettled([1, 2, 3, 4, -5].map(item => gatherer.add(item)));
	t.deepEqual(batches, [[1, 2, 3], [4, -5]], "three went when full, the other two when the window closed");
	t.deepEqual(first.map(result => result.status === "fulfilled" ? result.value : (result.reason as Error).message), [2, 4, 6, 8, "negative -5"]);
	t.is(await gatherer.add(7), 14);
	t.deepEqual(batches.at(-1), [7]);

	const failing = new Gatherer<number, number>(async () => {
		throw new Error("flush failed");
	}, {idleMs: 5, maxIdleMs: 1000, maxWaitMs: 1000, max: 10});
	const failed = await Promise.allSettled([1, 2].map(item => failing.add(item)));
	t.deepEqual(failed.map(result => result.status), ["rejected", "rejected"]);
});

test("gatherer: calls arriving far apart, but steadily, go as one batch once their gap is known; a pause of three mean gaps ends it", async t => {
	const batches: number[][] = [];
	const gatherer = new Gatherer<number, number>(async batch => {
		batches.push(batch.map(call => call.item));
		for (const call of batch) call.resolve(call.item);
	}, {idleMs: 20, maxIdleMs: 2000, maxWaitMs: 10_000, max: 100});
	const calls: Promise<number>[] = [];
	for (let i = 0; i < 4; i++) {
		calls.push(gatherer.add(i));
		await new Promise(resolve => setTimeout(resolve, 100));
	}
	await new Promise(resolve => setTimeout(resolve, 1000));
	calls.push(gatherer.add(9));
	await Promise.all(calls);
	t.deepEqual(batches, [[0], [1, 2, 3], [9]], "the first call, with no gap known yet, waits idleMs alone");
});

test(`gatherer: once two pauses in a row end with the same ${MIN_SLOTS} or more calls unanswered, a batch goes as soon as that many are unanswered again; more raise the count`, async t => {
	const batches: number[][] = [];
	const gatherer = new Gatherer<number, number>(async batch => {
		batches.push(batch.map(call => call.item));
		for (const call of batch) call.resolve(call.item);
	}, {idleMs: 30, maxIdleMs: 1000, maxWaitMs: 10_000, max: 100});
	/** Adds `items` in one go; answers how many batches had gone right after the last add, before any pause. */
	const wave = async (items: number[]) => {
		const calls = items.map(item => gatherer.add(item));
		const sentAtOnce = batches.length;
		await Promise.all(calls);
		return sentAtOnce;
	};
	const small = Array.from({length: MIN_SLOTS - 1}, (_, i) => i);
	t.is(await wave(small), 0);
	t.is(await wave(small), 1, "fewer than MIN_SLOTS: each batch waits out its pause");
	t.is(await wave(small), 2);
	const full = Array.from({length: MIN_SLOTS + 1}, (_, i) => 10 + i);
	t.is(await wave(full), 3, "a first pause at this count proves nothing");
	t.is(await wave(full), 4, "a second one at the same count: learned");
	t.is(await wave(full), 6, "goes the moment that many are unanswered");
	t.deepEqual(batches.at(-1), full);
	const more = [...full, 99];
	t.is(await wave(more), 7, "the one call more: batch of the learned count went at once, the extra one waited");
	t.deepEqual(batches.slice(-2), [full, [99]]);
	t.is(await wave(more), 9, "the count was raised to what was unanswered");
	t.deepEqual(batches.at(-1), more);
});

test(`gatherer at its real defaults: ${GATHER_DEFAULTS.maxWaitMs / 1000} s at most from a batch's first call, which holds the 64 calls of --parallel 64 arriving 180 ms apart`, async t => {
	const fake = fakeTimers();
	const batches: number[][] = [];
	const gatherer = new Gatherer<number, number>(async batch => {
		batches.push(batch.map(call => call.item));
		for (const call of batch) call.resolve(call.item);
	}, GATHER_DEFAULTS, fake.timers, () => fake.now().getTime());
	const stream = async (count: number, gapMs: number, from: number) => {
		for (let i = 0; i < count; i++) {
			void gatherer.add(from + i);
			fake.advance(gapMs);
			await Promise.resolve();
		}
	};
	// The calls that went on their own before gathering began taught it the gap.
	for (let i = 0; i < 3; i++) {
		await gatherer.observe(Promise.resolve());
		fake.advance(180);
	}
	await stream(64, 180, 0);
	t.deepEqual(batches, [], "no pause yet, and 11.5 s is within the bound");
	fake.advance(3 * 180);
	t.is(batches.length, 1);
	t.is(batches[0]!.length, 64, "one batch: the pause of three gaps ended it");

	// A steady stream slower than the engine's slots would fill: the bound, not a pause, ends the batch.
	const gap = 400;
	const first = 1000;
	const due = GATHER_DEFAULTS.maxWaitMs / gap;
	await stream(due - 1, gap, first);
	void gatherer.add(first + due - 1);
	fake.advance(gap - 1);
	t.is(batches.length, 1, `not before ${GATHER_DEFAULTS.maxWaitMs} ms`);
	fake.advance(1);
	t.is(batches.length, 2);
	t.deepEqual(batches[1], Array.from({length: due}, (_, i) => first + i), "cut at the bound from its first call");
});

test("reads of many legacy tokens at once: one listing of the organizations and their team tokens, no request per team", async t => {
	const {api, provider} = await batched(t);
	const states = await legacyTokens(provider, TEAMS);
	api.clearRequests();
	const read = await Promise.all(states.map(state => provider.read(state.teamId, state)));
	t.deepEqual(read.map(result => result.props.tokenId), states.map(state => state.tokenId));
	t.deepEqual(requestsOf(api), ["GET /organizations 200", "GET /organizations/local-org/team-tokens 200"]);

	// Later reads within the listing's lifetime are answered from it at once.
	api.clearRequests();
	await provider.read(states[0]!.teamId, states[0]!);
	t.deepEqual(requestsOf(api), []);
});

test("a stack of one reads and revokes with a single request each, as before", async t => {
	const {api, provider} = await batched(t);
	const [state] = await legacyTokens(provider, ["team-b0"]);
	api.clearRequests();
	await provider.read("team-b0", state!);
	await provider.delete("team-b0", state!);
	t.deepEqual(requestsOf(api), ["GET /teams/team-b0/authentication-token 200", `DELETE /authentication-tokens/${state!.tokenId} 204`]);
});

test("refresh from the listing still sees a token regenerated outside Pulumi, and confirms a missing one with its own read", async t => {
	const {api, provider, logs} = await batched(t);
	const states = await legacyTokens(provider, TEAMS);
	const regenerated = await fetch(`${api.url}/api/v2/teams/team-b1/authentication-token`, {method: "POST", headers: {authorization: `Bearer ${api.adminToken}`}});
	await regenerated.body?.cancel();
	const removed = await fetch(`${api.url}/api/v2/teams/team-b2/authentication-token`, {method: "DELETE", headers: {authorization: `Bearer ${api.adminToken}`}});
	await removed.body?.cancel();
	api.clearRequests();
	const read = await Promise.all(states.map(state => provider.read(state.teamId, state)));
	t.deepEqual(read[1], {id: "", props: {}}, "regenerated: dropped from state");
	t.deepEqual(read[2], {id: "", props: {}}, "deleted: dropped from state");
	t.is(read.filter(result => result.id !== "").length, TEAMS.length - 2);
	t.true(logs.some(line => /the token of team-b1 was regenerated outside Pulumi/.test(line)));
	t.deepEqual(requestsOf(api), [
		"GET /organizations 200",
		"GET /organizations/local-org/team-tokens 200",
		"GET /teams/team-b2/authentication-token 404",
	], "only the token the listing does not show is read on its own");
});

test("a listing is not trusted for a team this process wrote since it began, nor past its lifetime", async t => {
	const {api, provider, advance} = await batched(t);
	const states = await legacyTokens(provider, TEAMS);
	await Promise.all(states.map(state => provider.read(state.teamId, state)));
	// This process regenerates team-b3's token: the listing shows the old one, so it must not answer for it.
	const replaced = await provider.create(await checked(provider, {teamId: "team-b3", forceRegenerate: true}));
	api.clearRequests();
	const after = await provider.read("team-b3", replaced.outs);
	t.is(after.props.tokenId, replaced.outs.tokenId);
	t.deepEqual(requestsOf(api), ["GET /teams/team-b3/authentication-token 200"]);

	advance(SNAPSHOT_MAX_AGE_MS);
	api.clearRequests();
	await Promise.all(states.slice(4).map(state => provider.read(state.teamId, state)));
	t.deepEqual(requestsOf(api), ["GET /organizations/local-org/team-tokens 200"], "an expired listing is taken again (the organizations are asked once a process)");
});

test("deletes arriving together, where the credential sees one organization: one bulk DELETE, no listing, each answered once its token is revoked", async t => {
	const {api, provider} = await batched(t);
	const states = await legacyTokens(provider, TEAMS);
	api.clearRequests();
	await Promise.all(states.map(state => provider.delete(state.teamId, state)));
	t.deepEqual(api.tokens(), []);
	for (const state of states) t.false(await authenticates(api, state.token));
	t.deepEqual(requestsOf(api), [
		"GET /organizations 200",
		"DELETE /organizations/local-org/team-tokens 204",
	]);
});

test(`at the real defaults: the first ${SINGLES} deletes of a run go at once on their own; past them, against an API with a rate limit, the rest are gathered into a bulk DELETE; without a limit, none are`, async t => {
	const teams = Array.from({length: SINGLES + 6}, (_, i) => `team-s${i}`);
	const deleteAll = async (options: Parameters<typeof setup>[1]) => {
		const {api, provider} = await setup(t, {teams, ...options});
		const states = await legacyTokens(provider, teams);
		api.clearRequests();
		await Promise.all(states.map(state => provider.delete(state.teamId, state)));
		t.deepEqual(api.tokens(), []);
		return requestsOf(api);
	};
	const free = await deleteAll({});
	t.is(count(free, /^DELETE \/authentication-tokens\/at-\w+ 204$/), teams.length, "no limit: nothing to gain by waiting");
	t.is(free.length, teams.length);

	const limited = await deleteAll({rateLimit: 10});
	t.is(count(limited, /^DELETE \/authentication-tokens\/at-\w+ 204$/), SINGLES, limited.join(", "));
	t.deepEqual(limited.filter(request => !request.startsWith("DELETE /authentication-tokens/")),
		["GET /organizations 200", "DELETE /organizations/local-org/team-tokens 204"]);
});

test("destroy leaves a token regenerated outside Pulumi alone, and revokes the rest in bulk", async t => {
	const {api, provider, logs} = await batched(t);
	const states = await legacyTokens(provider, TEAMS);
	const response = await fetch(`${api.url}/api/v2/teams/team-b5/authentication-token`, {method: "POST", headers: {authorization: `Bearer ${api.adminToken}`}});
	const theirs = ((await response.json()) as {data: {attributes: {token: string}}}).data.attributes.token;
	t.true(await authenticates(api, theirs), "someone uses it");
	api.clearRequests();
	await Promise.all(states.map(state => provider.delete(state.teamId, state)));
	t.true(await authenticates(api, theirs));
	t.deepEqual(api.tokens().map(token => token.teamId), ["team-b5"]);
	t.true(logs.some(line => /not revoking the token of team-b5/.test(line)));
	const sent = requestsOf(api);
	t.deepEqual(sent.filter(request => !request.startsWith("DELETE /authentication-tokens/")), [
		"GET /organizations 200",
		"DELETE /organizations/local-org/team-tokens 404",
		"GET /organizations/local-org/team-tokens 200",
		"DELETE /organizations/local-org/team-tokens 204",
		"GET /teams/team-b5/authentication-token 200",
	], "an id the organization no longer has fails the presumed request; the listing shows which, and the rest go again; the team's current token is read, not revoked");
	t.is(count(sent, new RegExp(`^DELETE /authentication-tokens/${states[5]!.tokenId} 404$`)), 1, "its own id, once, revokes nothing");
	t.is(count(sent, /^DELETE \/authentication-tokens\//), 1);
});

test("a bulk DELETE that answers 404 falls back to one DELETE per token, and the run remembers it", async t => {
	const {api, provider} = await batched(t, {faults: {bulkRevokeNotFound: true}});
	const states = await legacyTokens(provider, TEAMS);
	api.clearRequests();
	await Promise.all(states.slice(0, 6).map(state => provider.delete(state.teamId, state)));
	let sent = requestsOf(api);
	t.is(count(sent, /^DELETE \/organizations\/local-org\/team-tokens 404$/), 1);
	t.is(count(sent, /^DELETE \/authentication-tokens\/at-\w+ 204$/), 6);

	api.clearRequests();
	await Promise.all(states.slice(6).map(state => provider.delete(state.teamId, state)));
	sent = requestsOf(api);
	t.is(count(sent, /^DELETE \/organizations/), 0, "not tried again");
	t.is(count(sent, /^DELETE \/authentication-tokens\/at-\w+ 204$/), 6);
	t.deepEqual(api.tokens(), []);
});

test("described team tokens are read from the listing by id and revoked in the same bulk DELETE", async t => {
	const {api, provider} = await batched(t);
	const states = await Promise.all(TEAMS.slice(0, 6).map(async teamId =>
		(await provider.create(await checked(provider, {teamId, description: "ci"}))).outs));
	api.clearRequests();
	const read = await Promise.all(states.map(state => provider.read(state.tokenId, state)));
	t.deepEqual(read.map(result => result.props.tokenId), states.map(state => state.tokenId));
	await Promise.all(states.map(state => provider.delete(state.tokenId, state)));
	t.deepEqual(requestsOf(api), [
		"GET /organizations 200",
		"GET /organizations/local-org/team-tokens 200",
		"DELETE /organizations/local-org/team-tokens 204",
	]);
	t.deepEqual(api.tokens(), []);
});

test("tokens of two organizations: each organization listed and revoked in a bulk DELETE of its own", async t => {
	const {api, provider} = await batched(t);
	const admin = {authorization: `Bearer ${api.adminToken}`, "content-type": "application/vnd.api+json"};
	const post = async (path: string, attributes: object) => {
		const response = await fetch(`${api.url}/api/v2/${path}`, {method: "POST", headers: admin, body: JSON.stringify({data: {attributes}})});
		return ((await response.json()) as {data: {id: string}}).data.id;
	};
	await post("organizations", {name: "second-org", email: "second@example.com"});
	const otherTeams = [await post("organizations/second-org/teams", {name: "x"}), await post("organizations/second-org/teams", {name: "y"})];
	const states = await legacyTokens(provider, [...TEAMS.slice(0, 4), ...otherTeams]);
	api.clearRequests();
	await Promise.all(states.map(state => provider.delete(state.teamId, state)));
	t.deepEqual(api.tokens(), []);
	t.deepEqual(requestsOf(api).sort(), [
		"DELETE /organizations/local-org/team-tokens 204",
		"DELETE /organizations/second-org/team-tokens 204",
		"GET /organizations 200",
		"GET /organizations/local-org/team-tokens 200",
		"GET /organizations/second-org/team-tokens 200",
	]);
});

test("where the organizations cannot be listed, every read and revocation is one request of its own, as before", async t => {
	const refusing = async (input: string | URL | Request, init?: RequestInit) => {
		const request = input instanceof Request ? input : new Request(input, init);
		return new URL(request.url).pathname === "/api/v2/organizations"
			? new Response(JSON.stringify({errors: [{status: "404", title: "not found"}]}), {status: 404})
			: fetch(input, init);
	};
	const {api, provider} = await setup(t, {teams: TEAMS}, {batches: {gather: {idleMs: 20}, singles: 0}, http: {fetch: refusing}});
	const states = await legacyTokens(provider, TEAMS.slice(0, 6));
	api.clearRequests();
	const read = await Promise.all(states.map(state => provider.read(state.teamId, state)));
	t.deepEqual(read.map(result => result.props.tokenId), states.map(state => state.tokenId));
	await Promise.all(states.map(state => provider.delete(state.teamId, state)));
	const sent = requestsOf(api);
	t.is(count(sent, /^GET \/teams\/team-b\d\/authentication-token 200$/), 6);
	t.is(count(sent, /^DELETE \/authentication-tokens\/at-\w+ 204$/), 6);
	t.is(sent.length, 12, "the refused listing was not asked again within its lifetime");
	t.deepEqual(api.tokens(), []);
});
