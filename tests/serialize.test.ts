import {mkdirSync, realpathSync, symlinkSync} from "node:fs";
import {join, resolve} from "node:path";
import test from "ava";
import {start} from "../provider/local-api";
// The built module, as the package ships it: what it resolves is relative to its own file.
import {PROVIDER_SPECIFIER, serializedProvider} from "../dist/provider/dynamic/serialized-provider";
import {installedProject} from "./installed";
import {scratchDir} from "./scratch";

const root = resolve(__dirname, "..");

/**
 * What the dynamic-provider host does with `__provider`: evaluate it as a module from its working directory, with
 * the SDK's own require-from-string.
 */
const requireFromString = require("require-from-string") as (code: string) => unknown;

function load(text: string, cwd: string): Record<string, unknown> {
	const saved = process.cwd();
	process.chdir(cwd);
	try {
		return (requireFromString(text) as {handler(): Record<string, unknown>}).handler();
	} finally {
		process.chdir(saved);
	}
}

/** A project with the package installed in node_modules, and the installed copy's serializedProvider. */
function installed(): [string, typeof serializedProvider] {
	const project = installedProject();
	return [project, require(join(project, "node_modules", "pulumi-tfe-team-token", "dist", "provider", "dynamic", "serialized-provider")).serializedProvider];
}

test.serial("installed in a project, __provider is a require of the package, which the host can load", t => {
	const [project, serialize] = installed();
	const text = serialize(project);
	t.true(text.length <= 1024, `${text.length} bytes`);
	t.is(text, `exports.handler = () => require(${JSON.stringify(PROVIDER_SPECIFIER)});`);
	const provider = load(text, project);
	for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
		t.is(typeof provider[method], "function", method);
	}
});

test.serial("a project linked to this checkout (file: dependency, or the repository's own workspace link) gets the same portable require", t => {
	const project = scratchDir("linked");
	mkdirSync(join(project, "node_modules"));
	symlinkSync(root, join(project, "node_modules", "pulumi-tfe-team-token"));
	t.is(serializedProvider(project), `exports.handler = () => require(${JSON.stringify(PROVIDER_SPECIFIER)});`);
	t.is(serializedProvider(join(root, "examples", "basic")), serializedProvider(project), "examples resolve it through the workspace link");
	t.is(typeof load(serializedProvider(project), project).create, "function", "the host can load it");
});

test.serial("where the project cannot resolve the package, __provider requires the provider file by its path", t => {
	const elsewhere = scratchDir("elsewhere");
	const text = serializedProvider(elsewhere);
	t.true(text.length <= 1024, `${text.length} bytes`);
	t.true(text.includes(JSON.stringify(realpathSync(require.resolve("../dist/provider/provider")))), text);
	t.is(typeof load(text, elsewhere).create, "function");
});

test.serial("__provider holds no configuration and no secret, whatever the environment holds", async t => {
	const api = await start({teams: ["team-abc1"], adminToken: "admin-token-for-serialization-test"});
	t.teardown(() => api.close());
	const saved = {...process.env};
	t.teardown(() => { process.env = saved; });
	process.env.TFE_ADDRESS = api.url;
	process.env.TFE_TOKEN = api.adminToken;
	const [project, serialize] = installed();
	const provider = load(serialize(project), project) as {check: Function; create: Function; delete: Function};
	const checked = await provider.check({}, {teamId: "team-abc1"});
	const created = await provider.create(checked.inputs);
	t.is(created.outs.token, api.tokens()[0]!.token);
	for (const text of [serialize(project), serializedProvider(root), serializedProvider(scratchDir("elsewhere"))]) {
		t.false(text.includes(api.adminToken), "no API token");
		t.false(text.includes(created.outs.token), "no issued token");
		t.false(text.includes(api.url), "no configuration");
	}
	await provider.delete(created.id, created.outs);
	t.deepEqual(api.tokens(), []);
});
