import type {ExecutionContext} from "ava";
import {authenticates, byHand} from "./harness";
import {languageStack} from "./plugin-harness";
import type {Declared, Language} from "./plugin-programs";

/*
 * The walk every language's program takes through the provider plugin: every scenario the dynamic provider's engine
 * tests prove for TypeScript, on one stack, so each program is set up (and, for Go and Java, built) once.
 */

export const UP = ["up", "--yes", "--non-interactive", "--skip-preview"];
export const TEAM = "team-lang1";
export const GUARDED = "team-lang2";
export const POOL = "apool-lang1";
export const ORG = "lang-org";

export const PROGRAM: Record<string, Declared> = {
	legacy: {type: "TeamToken", props: {teamId: TEAM}},
	described: {type: "TeamToken", props: {teamId: TEAM, description: {config: "desc"}, expiresInDays: 30}},
	org: {type: "OrganizationToken", props: {organization: ORG}},
	agent: {type: "AgentToken", props: {agentPoolId: POOL, description: "runners"}},
	elsewhere: {type: "TeamToken", props: {teamId: "team-other1"}, other: true},
};

export const SCENARIO = "up, outputs, no-op preview, replacement, refresh, guard and destroy through the plugin";

export async function scenario(t: ExecutionContext, language: Language): Promise<void> {
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
}
