import test from "ava";
import {SINGLES} from "../provider/engine/batch-options";
import {SNAPSHOT_MAX_AGE_MS} from "../provider/engine/team-token-snapshot";
import {checked, requestsOf, setup} from "./helpers";

/*
 * Reads of agent-pool and user tokens gathered across the resources a provider process serves at once: one list per
 * pool or user (engine/owner-token-reads.ts) instead of a request per token.
 */

const POOL = "apool-reads1";
const DESCRIPTIONS = Array.from({length: 6}, (_, i) => `ci-${i}`);

/** A local API with one agent pool, a provider whose gatherer waits 20 ms after the last call and gathers from the first. */
async function gathering(t: Parameters<typeof setup>[0], singles = 0) {
	return setup(t, {agentPools: [POOL]}, {batches: {gather: {idleMs: 20}, singles}});
}

type Provider = Awaited<ReturnType<typeof setup>>["provider"];

async function agentTokens(provider: Provider) {
	return Promise.all(DESCRIPTIONS.map(async description =>
		(await provider.create(await checked(provider, {kind: "agent", agentPoolId: POOL, description}))).outs));
}

async function userTokens(provider: Provider) {
	return Promise.all(DESCRIPTIONS.map(async description =>
		(await provider.create(await checked(provider, {kind: "user", description}))).outs));
}

for (const [owner, make, list] of [
	["agent tokens of one pool", agentTokens, () => `/agent-pools/${POOL}`],
	["user tokens of one user", userTokens, (userId: string) => `/users/${userId}`],
] as const) {
	test(`reads of many ${owner}: one list of it, no request per token`, async t => {
		const {api, provider} = await gathering(t);
		const states = await make(provider);
		api.clearRequests();
		const read = await Promise.all(states.map(state => provider.read(state.tokenId, state)));
		t.deepEqual(read.map(result => result.props.tokenId), states.map(state => state.tokenId));
		t.deepEqual(read.map(result => result.props.expiredAt), states.map(state => state.expiredAt));
		t.deepEqual(requestsOf(api), [`GET ${list(states[0]!.userId)}/authentication-tokens 200`]);
	});
}

test("a token revoked outside Pulumi is not in the list: read on its own, and dropped from state", async t => {
	const {api, provider} = await gathering(t);
	const states = await agentTokens(provider);
	const gone = states[2]!;
	const response = await fetch(`${api.url}/api/v2/authentication-tokens/${gone.tokenId}`, {method: "DELETE", headers: {authorization: `Bearer ${api.adminToken}`}});
	t.is(response.status, 204);
	api.clearRequests();
	const read = await Promise.all(states.map(state => provider.read(state.tokenId, state)));
	t.is(read[2]!.id, "", "gone from state");
	t.deepEqual(requestsOf(api), [`GET /agent-pools/${POOL}/authentication-tokens 200`, `GET /authentication-tokens/${gone.tokenId} 404`]);
});

test("a list is not trusted for a pool this process wrote since it began: those reads go on their own", async t => {
	const {api, provider} = await gathering(t);
	const states = await agentTokens(provider);
	await Promise.all(states.map(state => provider.read(state.tokenId, state)));
	await provider.create(await checked(provider, {kind: "agent", agentPoolId: POOL, description: "later"}));
	api.clearRequests();
	await Promise.all(states.map(state => provider.read(state.tokenId, state)));
	t.deepEqual(requestsOf(api), [`GET /agent-pools/${POOL}/authentication-tokens 200`], "a new list, not the one before the write");
});

test(`a list answers for ${SNAPSHOT_MAX_AGE_MS / 1000} s (its real lifetime), then the next reads take a new one`, async t => {
	let clock = 0;
	const {api, provider} = await setup(t, {agentPools: [POOL]}, {batches: {gather: {idleMs: 20}, singles: 0, clock: () => clock}});
	const states = await agentTokens(provider);
	await Promise.all(states.map(state => provider.read(state.tokenId, state)));
	api.clearRequests();
	clock += SNAPSHOT_MAX_AGE_MS - 1;
	await Promise.all(states.map(state => provider.read(state.tokenId, state)));
	t.deepEqual(requestsOf(api), [], "still fresh");
	clock += 1;
	await Promise.all(states.map(state => provider.read(state.tokenId, state)));
	t.deepEqual(requestsOf(api), [`GET /agent-pools/${POOL}/authentication-tokens 200`], "expired: listed again");
});

test(`at the real defaults: the first ${SINGLES} reads go on their own, then the rest from one list where the API limits the rate; without a limit every read does`, async t => {
	const readAll = async (options: Parameters<typeof setup>[1]) => {
		const {api, provider} = await setup(t, {agentPools: [POOL], ...options});
		const states = await Promise.all(Array.from({length: SINGLES + 6}, async (_, i) =>
			(await provider.create(await checked(provider, {kind: "agent", agentPoolId: POOL, description: `ci-${i}`}))).outs));
		api.clearRequests();
		const read = await Promise.all(states.map(state => provider.read(state.tokenId, state)));
		t.deepEqual(read.map(result => result.props.tokenId), states.map(state => state.tokenId));
		return requestsOf(api);
	};
	const free = await readAll({});
	t.is(free.filter(request => /^GET \/authentication-tokens\/at-\w+ 200$/.test(request)).length, SINGLES + 6);
	t.is(free.length, SINGLES + 6, "no limit: nothing to gain by waiting");
	const limited = await readAll({rateLimit: 30});
	t.is(limited.filter(request => /^GET \/authentication-tokens\/at-\w+ 200$/.test(request)).length, SINGLES, limited.join(", "));
	t.deepEqual(limited.filter(request => !request.startsWith("GET /authentication-tokens/")), [`GET /agent-pools/${POOL}/authentication-tokens 200`]);
});

test("fewer than four reads of a pool are each one request, as a stack of one is", async t => {
	const {api, provider} = await gathering(t);
	const states = (await agentTokens(provider)).slice(0, 3);
	api.clearRequests();
	await Promise.all(states.map(state => provider.read(state.tokenId, state)));
	t.deepEqual(requestsOf(api).sort(), states.map(state => `GET /authentication-tokens/${state.tokenId} 200`).sort());
});
