import {execFile} from "node:child_process";
import {readFileSync, writeFileSync} from "node:fs";
import {basename, join, resolve} from "node:path";
import {promisify} from "node:util";
import test from "ava";
import {archiveName, hostPlatform} from "../../scripts/release/platforms";
import type {CliResult, PulumiCli} from "../pulumi-cli";
import {scratchDir} from "../scratch";
import {assertDownloaded, assertReadmeShows, configure, copyExample, downloadProject, foldersWith, localApi, nodelessPath, PLUGIN_DOWNLOAD_URL,
	pythonWheel, releaseFile, upPreviewDestroy, VERSION} from "./download";

/*
 * The provider plugin as a user gets it: examples/yaml and examples/python, copied and run as their READMEs say, on
 * a PATH without Node.js and an empty PULUMI_HOME. The engine downloads the plugin archive of the release (served on
 * loopback in place of GitHub) and runs it with the Node.js the archive carries. And the two ways a download fails:
 * an archive that is not the one the checksum names, a version the release does not have.
 */

const root = resolve(__dirname, "..", "..");
const ARCHIVE = archiveName(VERSION, hostPlatform());
/** How long a failing download may take before the test calls it a hang: no retry is due, the engine stops at once. */
const FAILURE_BOUND_MS = 60_000;

/**
 * A command's stdout, trimmed. Never a synchronous child: the local API and the release server answer from this
 * process, and pip fetches the wheel from the latter.
 */
async function output(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
	return (await promisify(execFile)(command, args, {encoding: "utf8", env})).stdout.trim();
}

/** Runs `pulumi <args>`, killed (with its plugins) if it has not ended within FAILURE_BOUND_MS. */
async function withinBound(cli: PulumiCli, args: string[]): Promise<CliResult & {hung: boolean}> {
	const {child, done} = cli.start(args, {group: true});
	let hung = false;
	const timer = setTimeout(() => {
		hung = true;
		process.kill(-child.pid!, "SIGKILL");
	}, FAILURE_BOUND_MS);
	const result = await done.finally(() => clearTimeout(timer));
	return {...result, hung};
}

test("examples/yaml as its README says, with no Node.js: the engine downloads the plugin from the release; up, preview, destroy", async t => {
	t.timeout(10 * 60_000);
	const dir = copyExample("yaml");
	t.true(readFileSync(join(dir, "Pulumi.yaml"), "utf8").includes(`version: ${VERSION}`), `the example asks for this release, ${VERSION}`);
	const api = await localApi(t);
	const project = await downloadProject(t, dir, nodelessPath(t));
	t.deepEqual(project.plugins(), []);

	assertReadmeShows(t, "yaml", ["pulumi stack init dev", "pulumi config set teamId ", "pulumi config set tfe-tokens:hostname ",
		"pulumi config set --secret tfe-tokens:token ", "pulumi up", "pulumi preview", "pulumi destroy"]);
	await configure(project.cli, api);
	await upPreviewDestroy(t, project.cli, api);
	assertDownloaded(t, project);
});

test("examples/python as its README says, with no Node.js: the SDK from the release's wheel, the plugin downloaded by the engine; up, preview, destroy", async t => {
	t.timeout(10 * 60_000);
	const dir = copyExample("python");
	const api = await localApi(t);
	const wheel = pythonWheel();
	t.true(readFileSync(join(dir, "requirements.txt"), "utf8").includes(`pulumi_tfe_tokens==${VERSION}`), `requirements.txt names this release, ${VERSION}`);

	// python3 -m venv venv; . venv/bin/activate: the virtualenv's bin folder first on a PATH without Node.js.
	const cached = await output("bash", [join(root, "scripts", "python-env.sh")]);
	await output(join(cached, "python3"), ["-m", "venv", join(dir, "venv")]);
	const venv = join(dir, "venv", "bin");
	const path = nodelessPath(t, [venv]);
	t.deepEqual(foldersWith("python3", path).slice(0, 1), [venv]);
	// Pulumi's SDK, a dependency of the wheel, comes from the virtualenv of scripts/python-env.sh (the same release
	// as PyPI's, installed once per machine) through a .pth file, so pip finds it installed and does not spend half a
	// minute installing it again from PyPI. The package itself is installed by pip, from the release's URL.
	const sitePackages = (python: string) => output(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]);
	writeFileSync(join(await sitePackages(join(venv, "python3")), "pulumi-sdk-of-python-env.pth"), `${await sitePackages(join(cached, "python3"))}\n`);

	const project = await downloadProject(t, dir, path);
	const wheelName = basename(wheel);
	assertReadmeShows(t, "python", ["python3 -m venv venv", ". venv/bin/activate", `/releases/download/v${VERSION}/${wheelName}`,
		"pulumi stack init dev", "pulumi config set teamId ", "pulumi config set tfe-tokens:hostname ", "pulumi config set --secret tfe-tokens:token ",
		"pulumi up", "pulumi preview", "pulumi destroy"]);
	await output(join(venv, "pip"), ["install", "--quiet", "--disable-pip-version-check", `${project.release.url}/${wheelName}`], {...process.env, PATH: path});
	t.true(project.release.requests().includes(`GET /${wheelName} 200`), "pip fetched the wheel from the release");
	const plugin = JSON.parse(await output(join(venv, "python3"),
		["-c", "import importlib.resources as r; print(r.files('pulumi_tfe_tokens').joinpath('pulumi-plugin.json').read_text())"])) as {name: string; version: string; server: string};
	t.like(plugin, {name: "tfe-tokens", version: VERSION, server: PLUGIN_DOWNLOAD_URL}, "the SDK asks the engine for this plugin, version and URL");
	t.deepEqual(project.plugins(), []);

	await configure(project.cli, api);
	await upPreviewDestroy(t, project.cli, api);
	assertDownloaded(t, project);
});

test("a download that is not the archive the release's checksum names fails with the engine's checksum error, at once", async t => {
	const checksums = readFileSync(releaseFile(/^SHA256SUMS$/), "utf8");
	const expected = new RegExp(`^([0-9a-f]{64})  ${ARCHIVE.replaceAll(".", "\\.")}$`, "m").exec(checksums)?.[1];
	t.truthy(expected, `SHA256SUMS lists ${ARCHIVE}`);
	const install = ["plugin", "install", "resource", "tfe-tokens", VERSION, "--server", PLUGIN_DOWNLOAD_URL, "--checksum", expected!];
	const path = nodelessPath(t);

	// A mirror handing out other bytes under the archive's name.
	const tampered = await downloadProject(t, scratchDir("checksum"), path, {replace: {[ARCHIVE]: Buffer.from("not the release's archive\n")}});
	const refused = await withinBound(tampered.cli, install);
	t.false(refused.hung, `ended within ${FAILURE_BOUND_MS} ms`);
	t.not(refused.code, 0);
	t.regex(refused.stderr, new RegExp(`failed to download plugin: tfe-tokens-${VERSION}: invalid checksum, expected ${expected}, actual [0-9a-f]{64}`));
	t.deepEqual(tampered.release.requests(), [`GET /${ARCHIVE} 200`], "one request: a checksum error is not retried");
	t.deepEqual(tampered.plugins(), [], "nothing installed");

	// The release's own archive passes the same check.
	const genuine = await downloadProject(t, scratchDir("checksum"), path);
	const installed = await withinBound(genuine.cli, install);
	t.is(installed.code, 0, installed.stderr);
	t.deepEqual(genuine.plugins(), [`resource-tfe-tokens-v${VERSION}`]);
});

test("a program asking for a version the release does not have fails with the engine's download error, at once", async t => {
	const dir = copyExample("yaml");
	const missing = "9.9.9";
	writeFileSync(join(dir, "Pulumi.yaml"), readFileSync(join(dir, "Pulumi.yaml"), "utf8").replaceAll(`version: ${VERSION}`, `version: ${missing}`));
	const api = await localApi(t);
	const project = await downloadProject(t, dir, nodelessPath(t));
	await configure(project.cli, api);

	const failed = await withinBound(project.cli, ["preview", "--non-interactive"]);
	t.false(failed.hung, `ended within ${FAILURE_BOUND_MS} ms`);
	t.not(failed.code, 0);
	const asked = `${project.release.url}/${archiveName(missing, hostPlatform())}`;
	t.regex(failed.stdout + failed.stderr, new RegExp(`failed to download plugin: tfe-tokens-${missing}: 404 HTTP error fetching plugin from ${asked.replaceAll(".", "\\.")}`));
	t.true(project.release.requests().every(line => line === `GET /${archiveName(missing, hostPlatform())} 404`), project.release.requests().join("\n"));
	t.deepEqual(project.plugins(), []);
	t.deepEqual(api.tokens(), []);
});
