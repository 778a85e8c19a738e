import test from "ava";
import type {LocalApi} from "../../provider/local-api";
import {authenticates, byHand, engineStack, requestsOf} from "./harness";
import {languageStack} from "./plugin-harness";

/*
 * UserToken through the real CLI, one stack per front door walking through every scenario: created, read by a
 * refresh, renewed before expiry, replaced create-first, recovered after a lost create, refused at preview for a
 * credential that is no user token, revoked on destroy; no token in plain text in state or in what the CLI printed.
 */

const DAY = 86_400_000;
/**
 * With `failAfter: 0.5`, the local API's seeded faults lose the answer to the first faulty request after it took
 * effect (the POST) and let the next five through (the lookup, the revoke of the lost token, the POST again).
 */
const LOSE_FIRST_ANSWER = {failAfter: 0.5, seed: 138};

/** A team token of the API's start-up organization: a credential that is no user token. */
async function teamToken(api: LocalApi, teamId: string): Promise<string> {
	const response = await fetch(`${api.url}/api/v2/teams/${teamId}/authentication-token`, {
		method: "POST",
		headers: {authorization: `Bearer ${api.adminToken}`, "content-type": "application/vnd.api+json"},
		body: JSON.stringify({data: {type: "authentication-tokens"}}),
	});
	return ((await response.json()) as {data: {attributes: {token: string}}}).data.attributes.token;
}

const userTokens = (api: LocalApi) => api.tokens().filter(token => token.kind === "user");

test("TypeScript: a UserToken created, refreshed, renewed, replaced create-first, recovered after a lost create, refused for a team token, destroyed", async t => {
	// The API's clock starts 700 days back, so a token it gives its default two-year lifetime expires in 30 days.
	let shift = -700 * DAY;
	const e = await engineStack(t, {now: () => new Date(Date.now() + shift)});
	const {api} = e;
	e.tokens.ci = {resource: "UserToken", description: "ci", triggers: ["1"]};

	// Created: for the user the admin token acts as, its id recorded as userId.
	const first = await e.up();
	const [made] = userTokens(api);
	t.truthy(made);
	t.true(await authenticates(api, first.ciToken!));
	const [resource] = await e.resources();
	t.regex(String(resource?.outputs.userId), /^user-\w+$/);
	t.is(resource?.id, first.ciId);

	// Read: a refresh finds it unchanged, and a no-op up sends no write.
	await e.stack.refresh({onOutput: text => e.output.push(text)});
	api.clearRequests();
	await e.stack.up({expectNoChanges: true, onOutput: text => e.output.push(text)});
	t.false(requestsOf(api).some(line => /^(POST|DELETE)/.test(line)));

	// Renewed before expiry: 30 days left, fewer than the rotateBeforeDays now asked for.
	shift = 0;
	e.tokens.ci = {resource: "UserToken", description: "ci", rotateBeforeDays: 60, triggers: ["1"]};
	const renewed = await e.up();
	t.not(renewed.ciToken, first.ciToken);
	t.regex(e.output.join(""), /rotating the token of at-\w+: the token expires in (29|30)\.\d days .*fewer than rotateBeforeDays \(60\)/);
	t.false(await authenticates(api, first.ciToken!));

	// Replaced create-first: a new triggers value makes the new token before revoking the old one.
	api.clearRequests();
	e.tokens.ci = {resource: "UserToken", description: "ci", rotateBeforeDays: 60, triggers: ["2"]};
	const replaced = await e.up();
	const log = requestsOf(api);
	const created = log.findIndex(line => /^POST \/users\/user-\w+\/authentication-tokens 201$/.test(line));
	const revoked = log.indexOf(`DELETE /authentication-tokens/${renewed.ciId} 204`);
	t.true(created >= 0 && revoked > created, `new before old:\n${log.join("\n")}`);
	t.true(await authenticates(api, replaced.ciToken!));
	t.false(await authenticates(api, renewed.ciToken!));

	// Recovered after a lost create: the API made the token but its answer was lost; the lookup finds it, revokes it
	// and makes it again, so one token stands and state knows it.
	api.setFaults(LOSE_FIRST_ANSWER);
	api.clearRequests();
	e.tokens.deploy = {resource: "UserToken", description: "deploy"};
	const recovered = await e.up();
	api.setFaults({});
	t.is(api.requests().filter(entry => entry.fault === "after").length, 1, "one answer was lost");
	t.regex(e.output.join(""), /revoked at-\w+ on user user-\w+: it was made by user-\w+ \(the user this API token acts as\)/);
	t.deepEqual(userTokens(api).map(token => token.description).sort(), ["ci", "deploy"]);
	t.true(await authenticates(api, recovered.deployToken!));

	// A team token fails at preview, naming what to do; nothing is written.
	const team = await teamToken(api, "team-e2e1");
	await e.stack.setConfig("tfe:token", {value: team, secret: true});
	api.clearRequests();
	e.tokens.deploy = {resource: "UserToken", description: "deploy 2"};
	const refused = await t.throwsAsync(e.stack.preview({onOutput: text => e.output.push(text)}));
	t.regex(`${refused!.message}${e.output.join("")}`, /configuration: the API token acts as api-team-e2e1, a service account .*UserToken needs a user token/s);
	t.false(api.requests().some(entry => entry.method !== "GET"));
	await e.stack.setConfig("tfe:token", {value: api.adminToken, secret: true});
	e.tokens.deploy = {resource: "UserToken", description: "deploy"};

	// No token in plain text in state or in anything the CLI printed.
	const state = await e.exportState();
	const printed = e.output.join("");
	for (const token of [first.ciToken, renewed.ciToken, replaced.ciToken, recovered.deployToken, team]) {
		t.false(state.includes(token!), "state");
		t.false(printed.includes(token!), "output");
	}

	// Revoked on destroy.
	await e.stack.destroy();
	t.deepEqual(userTokens(api), []);
	t.false(await authenticates(api, replaced.ciToken!));
});

const UP = ["up", "--yes", "--non-interactive", "--skip-preview"];

test("yaml: a UserToken through the plugin: created, refreshed, renewed, replaced create-first, recovered, imported, refused for a team token, destroyed", async t => {
	t.timeout(10 * 60_000);
	let shift = -700 * DAY;
	const {api, cli, program} = await languageStack(t, "yaml", {teams: ["team-lang1"], agentPools: [], organization: "lang-org", now: () => new Date(Date.now() + shift)});
	const printed: string[] = [];
	const run = async (args: string[]) => {
		const out = await cli.run(args);
		printed.push(out);
		return out;
	};
	await cli.run(["config", "set", "desc", "unused"]);
	const declare = (trigger: string, extra = {}) => program({ci: {type: "UserToken", props: {description: "ci", rotateBeforeDays: 60, triggers: [trigger]}}, ...extra});

	// 30 days left at once (the API's clock is 700 days back): without rotateBeforeDays it stays.
	program({ci: {type: "UserToken", props: {description: "ci", triggers: ["1"]}}});
	await run(UP);
	const first = (await cli.outputs(true)).ci!;
	t.true(await authenticates(api, first));
	t.deepEqual(Object.values(await cli.outputs()), ["[secret]"]);

	await run(["refresh", "--yes", "--non-interactive", "--skip-preview"]);
	await run(["preview", "--expect-no-changes", "--non-interactive"]);

	shift = 0;
	declare("1");
	const rotation = await run(UP);
	t.regex(rotation, /rotating the token of at-\w+: the token expires in (29|30)\.\d days/);
	const renewed = (await cli.outputs(true)).ci!;
	t.not(renewed, first);
	t.false(await authenticates(api, first));

	const before = userTokens(api)[0]!;
	api.clearRequests();
	declare("2");
	await run(UP);
	const order = api.requests().map(r => `${r.method} ${r.path}`).filter(line => /^(POST \S+\/authentication-tokens|DELETE )/.test(line));
	t.is(order.length, 2);
	t.regex(order[0]!, /^POST \/api\/v2\/users\/user-\w+\/authentication-tokens$/);
	t.is(order[1], `DELETE /api/v2/authentication-tokens/${before.id}`);
	const replaced = (await cli.outputs(true)).ci!;
	t.true(await authenticates(api, replaced));

	api.setFaults(LOSE_FIRST_ANSWER);
	declare("2", {deploy: {type: "UserToken", props: {description: "deploy"}}});
	const recovery = await run(UP);
	api.setFaults({});
	t.regex(recovery, /revoked at-\w+ on user user-\w+: it was made by/);
	t.deepEqual(userTokens(api).map(token => token.description).sort(), ["ci", "deploy"]);
	const recovered = (await cli.outputs(true)).deploy!;
	t.true(await authenticates(api, recovered));

	// Import by token id: a token made by hand is adopted without its value.
	const byId = await fetch(`${api.url}/api/v2/users/${(await (await fetch(`${api.url}/api/v2/account/details`, {headers: {authorization: `Bearer ${api.adminToken}`}})).json() as {data: {id: string}}).data.id}/authentication-tokens`, {
		method: "POST",
		headers: {authorization: `Bearer ${api.adminToken}`, "content-type": "application/vnd.api+json"},
		body: JSON.stringify({data: {type: "authentication-tokens", attributes: {description: "by hand"}}}),
	});
	const handMade = ((await byId.json()) as {data: {id: string}}).data.id;
	const imported = await run(["import", "tfe-tokens:index:UserToken", "adopted", handMade, "--yes", "--protect=false", "--generate-code=false", "--non-interactive"]);
	t.regex(imported, new RegExp(`imported ${handMade} of user user-\\w+ without its value`));
	await byHand(api.url, api.adminToken, "DELETE", `authentication-tokens/${handMade}`);
	await run(["refresh", "--yes", "--non-interactive", "--skip-preview"]);

	const team = await teamToken(api, "team-lang1");
	await cli.run(["config", "set", "--secret", "tfe-tokens:token", team], {mask: team});
	declare("3");
	api.clearRequests();
	const refused = await cli.spawn(["preview", "--non-interactive"]);
	t.not(refused.code, 0);
	t.regex(refused.stdout + refused.stderr, /configuration: the API token acts as api-team-lang1, a service account .*UserToken needs a user token/s);
	t.false(api.requests().some(entry => entry.method !== "GET"));
	printed.push(refused.stdout, refused.stderr);
	await cli.run(["config", "set", "--secret", "tfe-tokens:token", api.adminToken], {mask: api.adminToken});

	const state = await cli.run(["stack", "export"], {quiet: true});
	for (const token of [first, renewed, replaced, recovered, team]) {
		t.false(state.includes(token), "state");
		t.false(printed.join("").includes(token), "output");
	}

	await run(["destroy", "--yes", "--non-interactive", "--skip-preview"]);
	t.deepEqual(userTokens(api), []);
});
