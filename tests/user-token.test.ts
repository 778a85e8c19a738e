import test from "ava";
import {UNKNOWN} from "../provider/engine/inputs";
import type {LocalApi} from "../provider/local-api";
import {authenticates, checked, fakeClock, losingNextPost, requestsOf, setup} from "./helpers";

const ORG = "local-org";
const USER = {kind: "user", description: "ci"};

async function call(api: LocalApi, token: string, method: string, path: string, body?: unknown) {
	const response = await fetch(`${api.url}/api/v2${path}`, {
		method,
		headers: {authorization: `Bearer ${token}`, ...(body ? {"content-type": "application/vnd.api+json"} : {})},
		body: body ? JSON.stringify(body) : undefined,
	});
	const text = await response.text();
	return {status: response.status, json: text ? JSON.parse(text) : undefined};
}

const me = async (api: LocalApi, token: string) => (await call(api, token, "GET", "/account/details")).json.data.id as string;

/** A team token of the start-up organization, made with the admin token: a credential that is no user token. */
async function teamToken(api: LocalApi): Promise<string> {
	const answer = await call(api, api.adminToken, "POST", "/teams/team-abc1/authentication-token", {data: {type: "authentication-tokens"}});
	return answer.json.data.attributes.token;
}

const reasons = async (provider: Awaited<ReturnType<typeof setup>>["provider"], news: Record<string, unknown>) =>
	((await provider.check({}, news)).failures ?? []).map(failure => failure.reason);

test("UserToken: userId defaults to the credential's user; create POSTs once; the token works and acts as that user", async t => {
	const {api, provider} = await setup(t);
	const user = await me(api, api.adminToken);
	const inputs = await checked(provider, {...USER});
	t.is(inputs.userId, user, "filled from the credential check's answer");
	const {id, outs} = await provider.create(inputs);
	t.is(id, outs.tokenId);
	t.is(outs.kind, "user");
	t.is(outs.userId, user);
	t.is(outs.createdBy, user);
	t.deepEqual(requestsOf(api), [`POST /users/${user}/authentication-tokens 201`]);
	t.is(api.tokens()[0]?.kind, "user");
	t.is(await me(api, outs.token), user);
	t.true(Date.parse(outs.expiredAt) - Date.parse(outs.createdAt) > 700 * 86_400_000, "the server's two-year default");
});

test("UserToken: the account is read once per run, however many resources check", async t => {
	const {api, provider} = await setup(t);
	await checked(provider, {...USER});
	await checked(provider, {...USER, description: "other"});
	await checked(provider, {...USER, userId: await me(api, api.adminToken)});
	t.is(api.requests().filter(r => r.path.endsWith("/account/details")).length, 2, "one for the provider, one for the test's own probe");
});

test("UserToken: same inputs are no change; triggers and description replace it, the new token first", async t => {
	const {api, provider} = await setup(t);
	const inputs = await checked(provider, {...USER, triggers: [1]});
	const created = await provider.create(inputs);
	api.clearRequests();
	t.false((await provider.diff(created.id, created.outs, inputs)).changes);
	const bumped = await provider.diff(created.id, created.outs, {...inputs, triggers: [2], description: "ci 2"});
	t.deepEqual(bumped.replaces, ["description", "triggers"]);
	t.false(bumped.deleteBeforeReplace);
	t.false((await provider.diff(created.id, created.outs, {...inputs, userId: undefined})).changes, "an owner not filled yet (a preview) is no change");
	t.deepEqual((await provider.diff(created.id, created.outs, {...inputs, organization: ORG})).replaces, ["organization"]);
	t.deepEqual(requestsOf(api), []);
});

test("UserToken: rotateBeforeDays renews before expiry; refresh reads the token; destroy revokes it", async t => {
	const clock = fakeClock();
	const {api, provider} = await setup(t, {now: clock.now}, {now: clock.now});
	const inputs = await checked(provider, {...USER, expiresInDays: 30, rotateBeforeDays: 7});
	const created = await provider.create(inputs);
	t.is(created.outs.expiredAt, new Date(clock.now().getTime() + 30 * 86_400_000).toISOString());
	t.is((await provider.read(created.id, created.outs)).id, created.id);
	clock.advanceDays(22);
	t.false((await provider.diff(created.id, created.outs, inputs)).changes);
	clock.advanceDays(2);
	t.deepEqual((await provider.diff(created.id, created.outs, inputs)).replaces, ["rotateBeforeDays"]);
	await provider.delete(created.id, created.outs);
	t.deepEqual(api.tokens(), []);
	t.is((await provider.read(created.id, created.outs)).id, "", "gone");
});

test("UserToken: a credential that is no user token fails at preview, naming the service account and what to do", async t => {
	const {api} = await setup(t);
	const token = await teamToken(api);
	api.clearRequests();
	const {provider} = await setup(t, {}, {env: {TFE_ADDRESS: api.url, TFE_TOKEN: token}});
	const failures = await reasons(provider, {...USER});
	t.is(failures.length, 1);
	t.regex(failures[0]!, /^configuration: the API token acts as api-team-abc1, a service account \(GET \/api\/v2\/account\/details answers is-service-account: true\), so it is a team or organization token\. UserToken needs a user token/);
	t.false(failures[0]!.includes(token));
	t.false(api.requests().some(r => r.method !== "GET"), "nothing written");
});

test("UserToken: another user's id fails at preview; a malformed one is refused by shape", async t => {
	const {api, provider} = await setup(t);
	const user = await me(api, api.adminToken);
	const [other] = await reasons(provider, {...USER, userId: "user-SomeoneElse1"});
	t.is(other, `userId: user-SomeoneElse1 is another user: the API token acts as ${user} (local-admin), and only a user's own user token may manage its tokens. `
		+ `Leave userId out (it defaults to ${user}), or use a user token of user-SomeoneElse1.`);
	t.deepEqual(await reasons(provider, {...USER, userId: "../teams"}), [
		"userId: must be \"user-\" followed by letters and digits (for example user-MA4GL63FmYRpSFxa), or left out for the user the API token acts as; got \"../teams\"",
	]);
	t.deepEqual(await reasons(provider, {kind: "user"}), ["description: is required: the API needs one for every UserToken"]);
	t.regex((await reasons(provider, {...USER, organization: "a/b"}))[0]!, /^organization: must be an organization name/);
	t.regex((await reasons(provider, {...USER, forceRegenerate: true}))[0]!, /^forceRegenerate: not an input of UserToken/);
});

test("UserToken: an organization that switched user tokens off fails at preview; the local API refuses user tokens there", async t => {
	const {api, provider} = await setup(t);
	const user = await me(api, api.adminToken);
	t.deepEqual(await reasons(provider, {...USER, organization: ORG}), [], "user tokens are on by default");
	const made = await provider.create(await checked(provider, {...USER}));
	t.is((await call(api, made.outs.token, "GET", `/teams/team-abc1/authentication-token`)).status, 404, "reaches the organization: no legacy token yet");
	const patched = await call(api, api.adminToken, "PATCH", `/organizations/${ORG}`, {data: {type: "organizations", attributes: {"user-tokens-enabled": false}}});
	t.is(patched.json.data.attributes["user-tokens-enabled"], false);
	t.is((await call(api, made.outs.token, "GET", `/teams/team-abc1/authentication-token`)).status, 403);
	t.is((await call(api, made.outs.token, "GET", `/organizations/${ORG}/team-tokens`)).status, 403);
	t.is((await call(api, api.adminToken, "GET", `/teams/team-abc1/authentication-token`)).status, 404, "the admin, a site admin, is not refused");
	t.is((await call(api, made.outs.token, "GET", `/organizations/${ORG}`)).json.data.attributes["user-tokens-enabled"], false, "the setting stays readable");
	t.is((await call(api, made.outs.token, "GET", "/account/details")).json.data.id, user, "routes of no organization still answer");

	const fresh = (await setup(t, {}, {env: {TFE_ADDRESS: api.url, TFE_TOKEN: api.adminToken}})).provider;
	const [refused] = await reasons(fresh, {...USER, organization: ORG});
	t.regex(refused!, /^organization: local-org has switched user tokens off \(user-tokens-enabled is false\), so a user token cannot reach it\. Use a TeamToken/);
	t.deepEqual(await reasons(fresh, {...USER, organization: UNKNOWN}), [], "an organization not known yet is not looked up");
	t.is(api.requests().filter(r => r.path === `/api/v2/organizations/${ORG}` && r.method === "GET").length, 3, "read once per provider (two) and once by the test");
});

test("UserToken: the user's token TTL policy of the named organization bounds expiresInDays at preview", async t => {
	const {provider} = await setup(t, {tokenTtlDays: {user: 30}});
	const [tooLong] = await reasons(provider, {...USER, organization: ORG, expiresInDays: 60});
	t.regex(tooLong!, /^expiresInDays: 60 days is too long: the organization local-org's token TTL policy for user tokens allows at most 30 days/);
	t.deepEqual(await reasons(provider, {...USER, expiresInDays: 60}), [], "without an organization there is no policy to read");
	const created = await provider.create(await checked(provider, {...USER, organization: ORG}));
	t.true(Date.parse(created.outs.expiredAt) - Date.parse(created.outs.createdAt) <= 30 * 86_400_000 + 1_000, "the policy's limit is requested");
});

test("UserToken whose create answer is lost: its own token is revoked and made again; an older one with the same description is left", async t => {
	const clock = fakeClock();
	const lost = losingNextPost("/users/");
	const {api, provider, logs} = await setup(t, {now: clock.now}, {now: clock.now, http: {fetch: lost.fetch}});
	const inputs = await checked(provider, {...USER});
	const older = await provider.create(inputs);
	clock.advanceDays(1 / 24);
	lost.arm();
	const created = await provider.create(inputs);
	t.deepEqual(api.tokens().map(x => x.id).sort(), [older.outs.tokenId, created.outs.tokenId].sort(), "the lost one was revoked, the older one kept");
	t.regex(logs.join("\n"), /revoked at-\w+ on user user-\w+: it was made by user-\w+ \(the user this API token acts as\) at \S+, since this create began/);
	t.notRegex(logs.join("\n"), new RegExp(older.outs.tokenId));
});

test("UserToken import: by token id, as what a create would record but the value; a team token's id is refused", async t => {
	const {api, provider, logs} = await setup(t);
	const created = await provider.create(await checked(provider, {...USER}));
	const imported = await provider.read(created.outs.tokenId, {kind: "user"});
	t.is(imported.id, created.outs.tokenId);
	t.deepEqual(imported.inputs, {kind: "user", userId: created.outs.userId, description: "ci"});
	t.is(imported.props!.token, undefined);
	t.regex(logs.join("\n"), /imported at-\w+ of user user-\w+ without its value/);
	const described = await call(api, api.adminToken, "POST", "/teams/team-abc1/authentication-tokens", {data: {type: "authentication-tokens", attributes: {description: "x"}}});
	await t.throwsAsync(provider.read(described.json.data.id, {kind: "user"}), {message: /names a team, organization or agent pool, or no user, so it is not a user token/});
	await t.throwsAsync(provider.read("team-abc1", {kind: "user"}), {message: /UserToken cannot import "team-abc1": give the token id \(at-\.\.\.\)/});
});

test("local API: user-token routes answer only the user's own user token", async t => {
	const {api} = await setup(t);
	const user = await me(api, api.adminToken);
	const team = await teamToken(api);
	const body = {data: {type: "authentication-tokens", attributes: {description: "x"}}};
	const mine = await call(api, api.adminToken, "POST", `/users/${user}/authentication-tokens`, body);
	t.is(mine.status, 201);
	t.is(mine.json.data.relationships["created-by"].data.id, user);
	t.deepEqual(Object.keys(mine.json.data.relationships), ["created-by"], "a user token names no team, organization or pool");
	t.is((await call(api, team, "POST", `/users/${user}/authentication-tokens`, body)).status, 404, "a team token may not");
	t.is((await call(api, api.adminToken, "POST", "/users/user-Nobody1/authentication-tokens", body)).status, 404, "no such user");
	t.deepEqual((await call(api, team, "GET", `/users/${user}/authentication-tokens`)).json.data, [], "someone else's list is empty");
	t.deepEqual((await call(api, mine.json.data.attributes.token, "GET", `/users/${user}/authentication-tokens`)).json.data.map((d: {id: string}) => d.id), [mine.json.data.id]);
	t.is((await call(api, team, "GET", `/authentication-tokens/${mine.json.data.id}`)).status, 404);
	t.is((await call(api, team, "DELETE", `/authentication-tokens/${mine.json.data.id}`)).status, 404);
	t.true(await authenticates(api, mine.json.data.attributes.token), "still there");
	t.is((await call(api, mine.json.data.attributes.token, "DELETE", `/authentication-tokens/${mine.json.data.id}`)).status, 204, "a user token revokes itself");
	t.false(await authenticates(api, mine.json.data.attributes.token));
});
