import test from "ava";
import {authenticates, byHand} from "./harness";
import {languageStack} from "./plugin-harness";
import type {Language} from "./plugin-programs";
import {ORG, SCENARIO, scenario, TEAM, UP} from "./plugin-scenario";

/*
 * The provider plugin serving YAML and Python programs through the real CLI: every scenario the dynamic provider's
 * engine tests prove for TypeScript, on the same engine.
 */

for (const language of ["yaml", "python"] as Language[]) {
	test(`${language}: ${SCENARIO}`, async t => {
		t.timeout(10 * 60_000);
		await scenario(t, language);
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
