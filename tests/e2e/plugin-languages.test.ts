import test from "ava";
import {authenticates, byHand} from "./harness";
import {type Declared, type Language, languageStack} from "./plugin-harness";

/*
 * The provider plugin serving YAML and Python programs through the real CLI: every scenario the dynamic provider's
 * engine tests prove for TypeScript, on the same engine.
 */

const UP = ["up", "--yes", "--non-interactive", "--skip-preview"];
const TEAM = "team-lang1";
const GUARDED = "team-lang2";
const POOL = "apool-lang1";
const ORG = "lang-org";

const PROGRAM: Record<string, Declared> = {
	legacy: {type: "TeamToken", props: {teamId: TEAM}},
	described: {type: "TeamToken", props: {teamId: TEAM, description: {config: "desc"}, expiresInDays: 30}},
	org: {type: "OrganizationToken", props: {organization: ORG}},
	agent: {type: "AgentToken", props: {agentPoolId: POOL, description: "runners"}},
	elsewhere: {type: "TeamToken", props: {teamId: "team-other1"}, other: true},
};

for (const language of ["yaml", "python"] as Language[]) {
	test(`${language}: up, outputs, no-op preview, replacement, refresh, guard and destroy through the plugin`, async t => {
		t.timeout(10 * 60_000);
		const {api, otherApi, cli, program} = await languageStack(t, language, {teams: [TEAM, GUARDED], agentPools: [POOL], organization: ORG});
		program(PROGRAM);
		await cli.run(["config", "set", "desc", "ci"]);
		await cli.run(UP);

		// Every token is a secret output, and the value behind it is the one the API issued.
		t.deepEqual(Object.values(await cli.outputs()), Array(5).fill("[secret]"));
		const shown = await cli.outputs(true);
		for (const name of ["legacy", "described", "org", "agent"]) {
			t.true(api.tokens().some(token => token.token === shown[name]), `${name} is a token of the default provider's API`);
			t.true(await authenticates(api, shown[name]!), name);
		}
		t.true(otherApi.tokens().some(token => token.token === shown.elsewhere), "the explicit provider's token is the other API's");
		const state = await cli.run(["stack", "export"], {quiet: true});
		for (const token of [...api.tokens(), ...otherApi.tokens()]) {
			t.false(state.includes(token.token), "no token in plain text in the state");
		}
		await cli.run(["preview", "--expect-no-changes", "--non-interactive"]);

		// A new description: the new token is made before the old one is revoked.
		const old = api.tokens().find(token => token.description === "ci")!;
		api.clearRequests();
		await cli.run(["config", "set", "desc", "deploy"]);
		await cli.run(UP);
		const order = api.requests().map(r => `${r.method} ${r.path}`).filter(line => /^(POST \S+\/authentication-tokens|DELETE )/.test(line));
		t.deepEqual(order, [`POST /api/v2/teams/${TEAM}/authentication-tokens`, `DELETE /api/v2/authentication-tokens/${old.id}`]);
		t.false(await authenticates(api, old.token));
		t.true(await authenticates(api, (await cli.outputs(true)).described!));

		// Revoked by hand: refresh drops it from state, and up makes it again.
		await byHand(api.url, api.adminToken, "DELETE", `organizations/${ORG}/authentication-token`);
		const refreshed = await cli.run(["refresh", "--yes", "--non-interactive", "--skip-preview"]);
		t.regex(refreshed, /org.*deleted/);
		await cli.run(UP);
		t.true(await authenticates(api, (await cli.outputs(true)).org!));

		// A token someone else made and used is not taken.
		await byHand(api.url, api.adminToken, "POST", `teams/${GUARDED}/authentication-token`);
		const theirs = api.tokens().find(token => token.teamId === GUARDED)!;
		t.true(await authenticates(api, theirs.token));
		program({...PROGRAM, taken: {type: "TeamToken", props: {teamId: GUARDED}}});
		const refused = await cli.spawn(UP);
		t.not(refused.code, 0);
		t.regex(refused.stdout + refused.stderr, new RegExp(`A token already exists for team ${GUARDED}: at-\\w+`));
		t.true(await authenticates(api, theirs.token));
		program(PROGRAM);

		await cli.run(["destroy", "--yes", "--non-interactive", "--skip-preview"]);
		t.deepEqual(api.tokens().map(token => token.id), [theirs.id], "destroy left only the token made by hand");
		t.deepEqual(otherApi.tokens(), []);
	});
}

test("yaml: pulumi import adopts a token without its value; a triggers change gives it one", async t => {
	t.timeout(10 * 60_000);
	const {api, cli, program} = await languageStack(t, "yaml", {teams: [TEAM], agentPools: [], organization: ORG});
	await byHand(api.url, api.adminToken, "POST", `teams/${TEAM}/authentication-token`);
	const existing = api.tokens()[0]!;
	program({});
	await cli.run(["config", "set", "desc", "unused"]);
	await cli.run(UP);
	const imported = await cli.run(["import", "tfe-tokens:index:TeamToken", "adopted", TEAM, "--yes", "--protect=false", "--generate-code=false", "--non-interactive"]);
	t.regex(imported, new RegExp(`imported ${existing.id} of team ${TEAM} without its value: .*no \`token\` output`, "s"));
	const state = JSON.parse(await cli.run(["stack", "export"], {quiet: true})) as {deployment: {resources: {type: string; id: string; outputs: Record<string, unknown>}[]}};
	const adopted = state.deployment.resources.find(r => r.type === "tfe-tokens:index:TeamToken")!;
	t.is(adopted.id, TEAM);
	t.is(adopted.outputs.tokenId, existing.id);
	t.false("token" in adopted.outputs);

	// Declared as imported, it is a no-op; a triggers value then replaces it by a token whose value the stack keeps.
	program({adopted: {type: "TeamToken", props: {teamId: TEAM}}});
	await cli.run(["preview", "--expect-no-changes", "--non-interactive"]);
	program({adopted: {type: "TeamToken", props: {teamId: TEAM, triggers: ["given-a-value"]}}});
	await cli.run(UP);
	const token = (await cli.outputs(true)).adopted!;
	t.true(await authenticates(api, token));
	t.false(await authenticates(api, existing.token));
});
