import {join} from "node:path";
import * as pulumi from "@pulumi/pulumi";
import test from "ava";
import {teamTokenProvider} from "../provider";
import {start} from "../provider/local-api";
import {installedProject} from "./installed";

/** What the SDK stores as `__provider`: `serializeFunction(() => provider, {allowSecrets: true})`. */
async function serialized(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
	return (await pulumi.runtime.serializeFunction(() => provider, {allowSecrets: true})).text;
}

test.serial("teamTokenProvider works from the environment alone, and its serialized form holds no secret", async t => {
	const api = await start({teams: ["team-abc1"], adminToken: "admin-token-for-serialization-test"});
	t.teardown(() => api.close());
	const saved = {...process.env};
	t.teardown(() => { process.env = saved; });
	process.env.TFE_ADDRESS = api.url;
	process.env.TFE_TOKEN = api.adminToken;

	const checked = await teamTokenProvider.check!({}, {teamId: "team-abc1"});
	const created = await teamTokenProvider.create(checked.inputs!);
	t.is(created.outs.token, api.tokens()[0]!.token);

	for (const text of [await serialized(teamTokenProvider), await serialized(require(join(installedProject(), "node_modules", "pulumi-tfe-team-token")).teamTokenProvider)]) {
		t.false(text.includes(api.adminToken), "no API token");
		t.false(text.includes(created.outs.token), "no issued token");
		t.false(text.includes(api.url), "no configuration captured");
	}
	await teamTokenProvider.delete!(created.id, created.outs);
	t.deepEqual(api.tokens(), []);
});

test("installed from npm, the provider serializes as a reference to the package, far under 2 KB", async t => {
	const project = installedProject();
	const installed = require(join(project, "node_modules", "pulumi-tfe-team-token"));
	const text = await serialized(installed.teamTokenProvider);
	t.log(`__provider as installed: ${text.length} bytes`);
	t.true(text.length < 2048, `${text.length} bytes`);
	t.regex(text, /require\("pulumi-tfe-team-token\/dist\/provider\/provider\.js"\)/);
	t.notRegex(text, /ky|createHttp|resolveSettings/, "no implementation code is copied");
});

test("run from a checkout, the methods are copied but capture only the implementation's path", async t => {
	const text = await serialized(teamTokenProvider);
	t.log(`__provider from a checkout: ${text.length} bytes`);
	t.true(text.length < 4096, `${text.length} bytes`);
	t.regex(text, /crud"/);
	t.notRegex(text, /createHttp|resolveSettings|KyInstance|TFE_TOKEN/);
});
