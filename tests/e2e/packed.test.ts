import {execFile} from "node:child_process";
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {promisify} from "node:util";
import test from "ava";
import {start} from "../../provider/local-api";
import {authenticates} from "../probe";
import {PulumiCli} from "../pulumi-cli";
import {scratchDir} from "../scratch";
import {UP} from "./cli";

/*
 * The package as npm delivers it: `npm pack`, installed with npm into a project of a user's own whose @pulumi/pulumi
 * is the oldest release of the range the package declares, the floor of its peer dependency. npm must leave one SDK
 * in the project, the project's, and the CLI must run the program and the dynamic provider on it. The SDK release
 * comes from the npm registry (as for `npm ci`), the one place this test reaches beyond 127.0.0.1.
 */

const root = resolve(__dirname, "..", "..");
const run = promisify(execFile);

test("packed and installed into a project on the oldest SDK of its peer range: one SDK copy; up, preview, destroy", async t => {
	t.timeout(8 * 60_000, "npm install of an SDK release not in npm's cache yet");
	const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {peerDependencies: Record<string, string>};
	const oldest = manifest.peerDependencies["@pulumi/pulumi"]!.replace(/^\^/, "");
	const work = scratchDir("packed");
	const [packed] = JSON.parse((await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], {cwd: root})).stdout) as [{filename: string}];

	const project = join(work, "project");
	mkdirSync(project);
	writeFileSync(join(project, "package.json"), JSON.stringify({
		name: "packed",
		private: true,
		dependencies: {"@pulumi/pulumi": oldest, "pulumi-tfe-team-token": `file:${join(work, packed.filename)}`},
	}));
	writeFileSync(join(project, "Pulumi.yaml"), "name: packed\nruntime: nodejs\nmain: index.js\n");
	writeFileSync(join(project, "index.js"), [
		`const pulumi = require("@pulumi/pulumi");`,
		`const {OrganizationToken, TeamToken} = require("pulumi-tfe-team-token");`,
		`const config = new pulumi.Config();`,
		`const legacy = new TeamToken("legacy", {teamId: config.require("teamId"), expiresInDays: 30, rotateBeforeDays: 7});`,
		`const described = new TeamToken("described", {teamId: config.require("teamId"), description: "packed"});`,
		`const org = new OrganizationToken("org", {organization: config.require("organization")});`,
		"exports.legacy = legacy.token;",
		"exports.described = described.token;",
		"exports.org = org.token;",
		"exports.orgKind = org.kind;",
	].join("\n"));
	await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], {cwd: project});

	const copies = (await run("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], {cwd: project})).stdout.trim().split("\n");
	t.deepEqual(copies, [join(project, "node_modules", "@pulumi", "pulumi")], "one SDK, the project's");
	t.is((JSON.parse(readFileSync(join(copies[0]!, "package.json"), "utf8")) as {version: string}).version, oldest);
	t.false(existsSync(join(project, "node_modules", "pulumi-tfe-team-token", "node_modules", "@pulumi")));

	const api = await start({teams: ["team-packed1"]});
	const cli = new PulumiCli({dir: project, stack: "packed", scratch: scratchDir("backend"), passphrase: "packed"});
	// Last registered runs first: the stack is removed while the API still answers.
	t.teardown(() => api.close());
	t.teardown(() => cli.remove());
	await cli.initStack(api, {teamId: "team-packed1", organization: api.organization});
	await cli.run(UP);
	const outputs = await cli.outputs(true);
	t.is(api.tokens().length, 3);
	for (const name of ["legacy", "described", "org"]) {
		t.true(await authenticates(api, outputs[name]!), `${name} works`);
	}
	t.is(outputs.orgKind, "organization");
	await cli.run(["preview", "--expect-no-changes", "--non-interactive"]);

	await cli.run(["destroy", "--yes", "--non-interactive", "--skip-preview"]);
	t.deepEqual(api.tokens(), []);
	t.false(await authenticates(api, outputs.legacy!), "revoked");
});
