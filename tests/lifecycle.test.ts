import test from "ava";
import {createImplementation} from "../provider/engine/crud";
import {authenticates, checked, FUTURE, requestsOf, setup} from "./helpers";

test("create (legacy) checks for an existing token, POSTs once, reads it back and returns it with the team id as id", async t => {
	const {api, provider} = await setup(t);
	const inputs = await checked(provider, {teamId: "team-abc1", expiredAt: "2034-06-01T02:00:00+02:00"});
	const {id, outs} = await provider.create(inputs);
	t.is(id, "team-abc1");
	t.deepEqual(requestsOf(api), [
		"GET /teams/team-abc1/authentication-token 404",
		"POST /teams/team-abc1/authentication-token 201",
		"GET /teams/team-abc1/authentication-token 200",
	]);
	const [stored] = api.tokens();
	t.is(outs.token, stored!.token);
	t.is(outs.tokenId, stored!.id);
	t.regex(outs.tokenId, /^at-/);
	t.is(Date.parse(outs.expiredAt), Date.parse("2034-06-01T00:00:00Z"));
	t.truthy(outs.createdAt);
	t.truthy(outs.createdBy);
	t.is(outs.teamId, "team-abc1");
	t.true(await authenticates(api, outs.token));
});

test("create (legacy) refuses to revoke an existing token in use, names it and the ways out, and sends no POST", async t => {
	const {api, provider} = await setup(t);
	const first = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	t.true(await authenticates(api, first.outs.token), "someone uses it");
	api.clearRequests();
	const error = await t.throwsAsync(provider.create(await checked(provider, {teamId: "team-abc1"})));
	t.regex(error!.message, new RegExp(`A token already exists for team team-abc1: ${first.outs.tokenId} \\(made by ${first.outs.createdBy} \\(the user this API token acts as\\) at \\S+, last used at \\S+\\)`));
	t.regex(error!.message, /Ways out: set `forceRegenerate: true`.*`description`.*revoke it by hand \(DELETE \/api\/v2\/teams\/team-abc1\/authentication-token\)/);
	t.deepEqual(requestsOf(api), ["GET /teams/team-abc1/authentication-token 200"]);
	t.true(await authenticates(api, first.outs.token));
});

test("create (legacy) with forceRegenerate POSTs without looking, replacing the other token", async t => {
	const {api, provider} = await setup(t);
	const first = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	api.clearRequests();
	const second = await provider.create(await checked(provider, {teamId: "team-abc1", forceRegenerate: true}));
	t.deepEqual(requestsOf(api), ["POST /teams/team-abc1/authentication-token 201"]);
	t.false(await authenticates(api, first.outs.token));
	t.true(await authenticates(api, second.outs.token));
	t.is(api.tokens().length, 1);
});

test("create (described) uses the plural route and the token id as resource id; several coexist", async t => {
	const {api, provider} = await setup(t);
	const a = await provider.create(await checked(provider, {teamId: "team-abc1", description: "ci"}));
	const b = await provider.create(await checked(provider, {teamId: "team-abc1", description: "deploy"}));
	t.is(a.id, a.outs.tokenId);
	t.is(a.outs.description, "ci");
	t.deepEqual(requestsOf(api), ["POST /teams/team-abc1/authentication-tokens 201", "POST /teams/team-abc1/authentication-tokens 201"]);
	t.true(await authenticates(api, a.outs.token));
	t.true(await authenticates(api, b.outs.token));
	const duplicate = await t.throwsAsync(provider.create(await checked(provider, {teamId: "team-abc1", description: "ci"})));
	t.regex(duplicate!.message, new RegExp(`A token described "ci" already exists for team team-abc1: ${a.outs.tokenId} \\(.*last used at .*new \`description\`.*DELETE /api/v2/authentication-tokens/${a.outs.tokenId}`));
});

test("create on an unknown team explains that the team is missing or out of reach", async t => {
	const {provider} = await setup(t);
	const error = await t.throwsAsync(provider.create(await checked(provider, {teamId: "team-nope1", forceRegenerate: true})));
	t.regex(error!.message, /404.*Team team-nope1 does not exist, or the API token has no access to it/);
});

test("a rejected API token gets a 401 error that says how to configure it and never shows the token", async t => {
	const {api} = await setup(t);
	const provider = createImplementation({env: {TFE_ADDRESS: api.url, TFE_TOKEN: "wrong-token-value-1234"}});
	const error = await t.throwsAsync(provider.create(await checked(provider, {teamId: "team-abc1", forceRegenerate: true})));
	t.regex(error!.message, /401.*rejected.*tfe:token/);
	t.notRegex(`${error!.message}${error!.stack}`, /wrong-token-value-1234/);
});

test("diff: replacements, instant comparison, updates, and the provider alone is no change", async t => {
	const {provider} = await setup(t);
	const created = await provider.create(await checked(provider, {teamId: "team-abc1", expiredAt: FUTURE, triggers: [{a: 1, b: 2}]}));
	const olds = {...created.outs, __provider: "old provider text"};
	const diff = async (changes: Record<string, unknown>) =>
		provider.diff("team-abc1", olds, await checked(provider, {teamId: "team-abc1", expiredAt: FUTURE, triggers: [{a: 1, b: 2}], __provider: "new provider text", ...changes}));

	t.deepEqual(await diff({}), {changes: false, replaces: [], deleteBeforeReplace: false});
	t.is((await diff({expiredAt: "2034-06-01T02:00:00+02:00"})).changes, false);
	t.is((await diff({triggers: [{b: 2, a: 1}]})).changes, false);
	t.deepEqual(await diff({teamId: "team-abc2"}), {changes: true, replaces: ["teamId"], deleteBeforeReplace: true});
	t.deepEqual((await diff({expiredAt: "2034-07-01T00:00:00Z"})).replaces, ["expiredAt"]);
	t.deepEqual((await diff({triggers: ["v2"]})).replaces, ["triggers"]);
	t.deepEqual((await diff({triggers: undefined})).replaces, ["triggers"]);
	const described = await diff({description: "ci"});
	t.deepEqual(described.replaces, ["description"]);
	t.false(described.deleteBeforeReplace, "a described replacement is created before the old token is deleted");
	t.deepEqual(await diff({forceRegenerate: true}), {changes: true, replaces: [], deleteBeforeReplace: false});
	t.deepEqual(await diff({rotateBeforeDays: 30, expiredAt: undefined}), {changes: true, replaces: [], deleteBeforeReplace: false});
});

test("diff: unset expiredAt keeps the server's default expiry without a diff", async t => {
	const {provider} = await setup(t);
	const created = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	t.truthy(created.outs.expiredAt, "the server reports its default expiry");
	const result = await provider.diff("team-abc1", created.outs, await checked(provider, {teamId: "team-abc1"}));
	t.false(result.changes);
});

test("described tokens replace create-before-delete, unless the team would hold the same description twice", async t => {
	const {provider} = await setup(t);
	const created = await provider.create(await checked(provider, {teamId: "team-abc1", description: "ci"}));
	const diff = async (news: Record<string, unknown>) => provider.diff(created.id, created.outs, await checked(provider, news));
	t.deepEqual(await diff({teamId: "team-abc1", description: "ci-2"}), {changes: true, replaces: ["description"], deleteBeforeReplace: false});
	t.deepEqual(await diff({teamId: "team-abc2", description: "ci"}), {changes: true, replaces: ["teamId"], deleteBeforeReplace: false});
	t.deepEqual(await diff({teamId: "team-abc1", description: "ci", triggers: [2]}), {changes: true, replaces: ["triggers"], deleteBeforeReplace: true});
	t.deepEqual(await diff({teamId: "team-abc1"}), {changes: true, replaces: ["description"], deleteBeforeReplace: false});
});

test("update returns the previous outputs with the new updatable inputs, so no output is lost", async t => {
	const {api, provider} = await setup(t);
	const created = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	api.clearRequests();
	const news = await checked(provider, {teamId: "team-abc1", forceRegenerate: true, rotateBeforeDays: 10});
	const {outs} = await provider.update("team-abc1", created.outs, news);
	t.deepEqual(outs, {...created.outs, forceRegenerate: true, rotateBeforeDays: 10});
	const back = await provider.update("team-abc1", outs, await checked(provider, {teamId: "team-abc1"}));
	t.deepEqual(back.outs, created.outs);
	t.deepEqual(api.requests(), []);
});

test("read keeps the token from state and refreshes what the API reports", async t => {
	const {api, provider} = await setup(t);
	const legacy = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	const described = await provider.create(await checked(provider, {teamId: "team-abc1", description: "ci"}));
	api.clearRequests();
	const a = await provider.read(legacy.id, legacy.outs);
	const b = await provider.read(described.id, described.outs);
	t.is(a.id, "team-abc1");
	t.is(a.props.token, legacy.outs.token);
	t.is(a.props.expiredAt, legacy.outs.expiredAt);
	t.is(b.id, described.outs.tokenId);
	t.is(b.props.token, described.outs.token);
	t.deepEqual(requestsOf(api), [
		"GET /teams/team-abc1/authentication-token 200",
		`GET /authentication-tokens/${described.outs.tokenId} 200`,
	]);
});

test("read reports a deleted token as gone", async t => {
	const {provider} = await setup(t);
	const legacy = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	const described = await provider.create(await checked(provider, {teamId: "team-abc1", description: "ci"}));
	await provider.delete(legacy.id, legacy.outs);
	await provider.delete(described.id, described.outs);
	t.is((await provider.read(legacy.id, legacy.outs)).id, "");
	t.is((await provider.read(described.id, described.outs)).id, "");
});

test("read reports a token regenerated outside Pulumi as gone, and says why", async t => {
	const {provider, logs} = await setup(t);
	const legacy = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	const other = await provider.create(await checked(provider, {teamId: "team-abc1", forceRegenerate: true}));
	const result = await provider.read(legacy.id, legacy.outs);
	t.is(result.id, "");
	t.regex(logs.join("\n"), new RegExp(`regenerated outside Pulumi.*${legacy.outs.tokenId}.*${other.outs.tokenId}`));
});

test("delete revokes the token; a second delete (404) succeeds", async t => {
	const {api, provider} = await setup(t);
	const legacy = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	const described = await provider.create(await checked(provider, {teamId: "team-abc2", description: "ci"}));
	api.clearRequests();
	await provider.delete(legacy.id, legacy.outs);
	await provider.delete(described.id, described.outs);
	t.deepEqual(api.tokens(), []);
	t.false(await authenticates(api, legacy.outs.token));
	t.false(await authenticates(api, described.outs.token));
	await provider.delete(legacy.id, legacy.outs);
	await provider.delete(described.id, described.outs);
	t.deepEqual(requestsOf(api), [
		`DELETE /authentication-tokens/${legacy.outs.tokenId} 204`,
		`DELETE /authentication-tokens/${described.outs.tokenId} 204`,
		// Gone by id: the team's current token decides whether anything is left to revoke.
		`DELETE /authentication-tokens/${legacy.outs.tokenId} 404`,
		"GET /teams/team-abc1/authentication-token 404",
		`DELETE /authentication-tokens/${described.outs.tokenId} 404`,
	]);
});

test("delete of a legacy token on a server that revokes it only through its team: the guarded GET, then DELETE by team", async t => {
	// Stands for a server whose by-id route does not know legacy tokens: it answers 404 there and nothing is revoked.
	const refusing: typeof fetch = async (input, init) => {
		const request = new Request(input, init);
		return request.method === "DELETE" && new URL(request.url).pathname.includes("/authentication-tokens/")
			? new Response(JSON.stringify({errors: [{status: "404", title: "not found"}]}), {status: 404})
			: fetch(request);
	};
	const {api, provider} = await setup(t, {}, {http: {fetch: refusing}});
	const legacy = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	api.clearRequests();
	await provider.delete(legacy.id, legacy.outs);
	t.deepEqual(requestsOf(api), [
		"GET /teams/team-abc1/authentication-token 200",
		"DELETE /teams/team-abc1/authentication-token 204",
	]);
	t.false(await authenticates(api, legacy.outs.token));
});

test("delete leaves a legacy token regenerated elsewhere alone and warns", async t => {
	const {api, provider, logs} = await setup(t);
	const legacy = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	const other = await provider.create(await checked(provider, {teamId: "team-abc1", forceRegenerate: true}));
	t.true(await authenticates(api, other.outs.token), "someone uses it");
	await provider.delete(legacy.id, legacy.outs);
	t.true(await authenticates(api, other.outs.token));
	t.regex(logs.join("\n"), /not revoking the token of team-abc1/);
	// The only DELETE names the old token's id, which no longer exists; nothing addresses the team's token.
	t.deepEqual(requestsOf(api).filter(r => r.startsWith("DELETE")), [`DELETE /authentication-tokens/${legacy.outs.tokenId} 404`]);
});

test("a server whose tokens never expire: no expiredAt output, no rotation, and outputs the host can encode", async t => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const {Struct} = require("google-protobuf/google/protobuf/struct_pb") as {Struct: {fromJavaScript(value: object): unknown}};
	const {provider} = await setup(t, {defaultLifetimeDays: null});
	const inputs = await checked(provider, {teamId: "team-abc1", rotateBeforeDays: 30});
	const created = await provider.create(inputs);
	t.false("expiredAt" in created.outs);
	t.notThrows(() => Struct.fromJavaScript(created.outs));
	t.false((await provider.diff(created.id, created.outs, inputs)).changes);
	const read = await provider.read(created.id, created.outs);
	t.false("expiredAt" in read.props);
	t.notThrows(() => Struct.fromJavaScript(read.props));
});
