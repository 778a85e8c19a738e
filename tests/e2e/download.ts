import {cpSync, existsSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync} from "node:fs";
import {delimiter, join, resolve} from "node:path";
import type {ExecutionContext} from "ava";
import {start, type LocalApi} from "../../provider/local-api";
import {schema} from "../../provider/plugin/schema";
import {archiveName, hostPlatform, PLUGIN} from "../../scripts/release/platforms";
import {PulumiCli} from "../pulumi-cli";
import {authenticates} from "../probe";
import {scratchDir} from "../scratch";
import {downloadOverride, serveRelease, type ReleaseServer, type ReleaseServerOptions} from "./release-server";

/*
 * A machine as a user of a YAML or Python program has it: the Pulumi CLI and its language hosts, Python, no Node.js
 * on PATH, nothing in PULUMI_HOME. The engine downloads the provider plugin from the schema's pluginDownloadURL,
 * which PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES sends to a loopback server serving the release's files. And the steps
 * every example (examples/yaml, python, go, java) takes as its README tells a user: the same configuration, program
 * and outputs in each language.
 */

const root = resolve(__dirname, "..", "..");

export const VERSION = (require(join(root, "package.json")) as {version: string}).version;
export const PLUGIN_DOWNLOAD_URL = schema.pluginDownloadURL;
const ARCHIVE = archiveName(VERSION, hostPlatform());
const UP = ["up", "--yes", "--non-interactive", "--skip-preview"];

/**
 * The release under test: PTT_RELEASE_DIR (`npm run test:all` builds one there first), else dist/release as
 * `npm run release` leaves it.
 */
export function releaseDir(): string {
	const dir = resolve(root, process.env.PTT_RELEASE_DIR ?? join("dist", "release"));
	if (!existsSync(join(dir, "SHA256SUMS"))) {
		throw new Error(`no release in ${dir}: build one with \`npm run release\` (or point PTT_RELEASE_DIR at one)`);
	}
	return dir;
}

/** The release's file whose name matches, exactly one. */
export function releaseFile(pattern: RegExp): string {
	const dir = releaseDir();
	const found = readdirSync(dir).filter(file => pattern.test(file));
	if (found.length !== 1) throw new Error(`the release in ${dir} holds ${found.length} files matching ${pattern}: ${found.join(", ")}`);
	return join(dir, found[0]!);
}

/** The release's Python SDK, the wheel `pip install pulumi_tfe_tokens` gets. */
export function pythonWheel(): string {
	return releaseFile(new RegExp(`^pulumi_tfe_tokens-${VERSION.replaceAll(".", "\\.")}-py3-none-any\\.whl$`));
}

/** The release's npm package, the tarball `npm install pulumi-tfe-team-token` gets. */
export function npmTarball(): string {
	return releaseFile(new RegExp(`^pulumi-tfe-team-token-${VERSION.replaceAll(".", "\\.")}\\.tgz$`));
}

/** What a machine without Node.js has of them: Node.js's own programs. */
const NODE_PROGRAMS = new Set(["node", "nodejs", "npm", "npx", "corepack"]);

const isExecutable = (path: string) => {
	try {
		return statSync(path).isFile() && (statSync(path).mode & 0o111) !== 0;
	} catch {
		return false;
	}
};

/** The folders of `path` that hold an executable `name`, in order. */
export function foldersWith(name: string, path: string): string[] {
	return path.split(delimiter).filter(dir => dir && isExecutable(join(dir, name)));
}

/**
 * A PATH of `folders` (each once, missing ones left out) on which no Node.js is found: a folder holding Node.js's
 * programs is replaced by a folder of links to everything else in it (on this machine /usr/bin holds node).
 */
export function pathWithoutNode(folders: string[]): string {
	const seen = new Set<string>();
	const path: string[] = [];
	for (const folder of folders) {
		if (!existsSync(folder) || seen.has(realpathSync(folder))) continue;
		const real = realpathSync(folder);
		seen.add(real);
		const names = readdirSync(real);
		if (!names.some(name => NODE_PROGRAMS.has(name))) {
			path.push(real);
			continue;
		}
		const links = scratchDir("bin-without-node");
		for (const name of names.filter(name => !NODE_PROGRAMS.has(name))) symlinkSync(join(real, name), join(links, name));
		path.push(links);
	}
	return path.join(delimiter);
}

/** The system's folders, and those of this process's PATH that hold the Pulumi CLI and the language hosts. */
export function userFolders(): string[] {
	const programs = ["pulumi", "pulumi-language-yaml", "pulumi-language-python", "pulumi-language-python-exec"];
	return [...programs.flatMap(name => foldersWith(name, process.env.PATH ?? "").slice(0, 1)), "/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"];
}

export interface DownloadProject {
	cli: PulumiCli;
	release: ReleaseServer;
	/** The PULUMI_HOME the CLI started with empty. */
	home: string;
	/** The plugin folders PULUMI_HOME holds now. */
	plugins(): string[];
}

/**
 * The project in `dir` under the `pulumi` CLI with an empty PULUMI_HOME, `path` as PATH, and the engine's downloads
 * for the schema's pluginDownloadURL sent to a loopback server of the release's files.
 */
export async function downloadProject(t: ExecutionContext, dir: string, path: string, serverOptions: ReleaseServerOptions = {}): Promise<DownloadProject> {
	const release = await serveRelease(releaseDir(), serverOptions);
	t.teardown(() => release.close());
	const scratch = scratchDir("download-backend");
	const cli = new PulumiCli({
		dir,
		stack: "dev",
		scratch,
		passphrase: "download-e2e",
		env: {PATH: path, PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: downloadOverride(PLUGIN_DOWNLOAD_URL, release.url)},
	});
	t.teardown(() => cli.remove());
	const home = cli.env.PULUMI_HOME!;
	return {
		cli,
		release,
		home,
		plugins: () => existsSync(join(home, "plugins")) ? readdirSync(join(home, "plugins")).filter(name => statSync(join(home, "plugins", name)).isDirectory()) : [],
	};
}

/** A copy of examples/<name> in a fresh folder, as a user starts from it. */
export function copyExample(name: string): string {
	const dir = scratchDir(`example-${name}`);
	cpSync(join(root, "examples", name), dir, {recursive: true});
	return dir;
}

/** Every command line must be one the example's README shows (the values put in for its placeholders aside). */
export function assertReadmeShows(t: ExecutionContext, example: string, lines: string[]): void {
	const readme = readFileSync(join(root, "examples", example, "README.md"), "utf8");
	for (const line of lines) t.true(readme.includes(line), `examples/${example}/README.md shows \`${line}\``);
}

/** The PATH a machine without Node.js has, with `first` before it; checked to hold no `node`. */
export function nodelessPath(t: ExecutionContext, first: string[] = []): string {
	const path = pathWithoutNode([...first, ...userFolders()]);
	t.deepEqual(foldersWith("node", path), [], "no node on PATH");
	t.true(foldersWith("pulumi", path).length > 0, "pulumi on PATH");
	return path;
}

/** The local API, closed after the project's teardowns (registered later, so run earlier). */
export async function localApi(t: ExecutionContext): Promise<LocalApi> {
	const api = await start({teams: 1});
	t.teardown(() => api.close());
	return api;
}

/** The README's configuration, against the local API. */
export async function configure(cli: PulumiCli, api: LocalApi): Promise<void> {
	await cli.run(["stack", "init", "dev"]);
	await cli.run(["config", "set", "teamId", api.teams[0]!]);
	await cli.run(["config", "set", "tfe-tokens:hostname", api.url]);
	await cli.run(["config", "set", "--secret", "tfe-tokens:token", api.adminToken], {mask: api.adminToken});
}

/** The engine fetched this machine's archive from the release once, and unpacked it with its Node.js into PULUMI_HOME. */
export function assertDownloaded(t: ExecutionContext, project: DownloadProject): void {
	t.deepEqual(project.release.requests().filter(line => line.includes(PLUGIN)), [`GET /${ARCHIVE} 200`]);
	t.deepEqual(project.plugins(), [`resource-tfe-tokens-v${VERSION}`]);
	const installed = join(project.home, "plugins", `resource-tfe-tokens-v${VERSION}`);
	t.true(existsSync(join(installed, PLUGIN)) && existsSync(join(installed, "node", "node")), "the release's archive, with its Node.js");
}

/** up, the outputs a user reads, a no-op preview, destroy: the example's two tokens are made, kept secret, revoked. */
export async function upPreviewDestroy(t: ExecutionContext, cli: PulumiCli, api: LocalApi): Promise<void> {
	await cli.run(UP);
	t.deepEqual(await cli.outputs(), {ciToken: "[secret]", ciTokenId: api.tokens().find(x => x.description === null)!.id,
		deployToken: "[secret]", deployTokenId: api.tokens().find(x => x.description === "deploy pipeline")!.id});
	const shown = await cli.outputs(true);
	t.true(await authenticates(api, shown.ciToken!));
	t.true(await authenticates(api, shown.deployToken!));
	const state = await cli.run(["stack", "export"], {quiet: true});
	for (const secret of [...api.tokens().map(x => x.token), api.adminToken]) t.false(state.includes(secret), "no token in plain text in state");

	await cli.run(["preview", "--expect-no-changes", "--non-interactive"]);
	await cli.run(["destroy", "--yes", "--non-interactive", "--skip-preview"]);
	t.deepEqual(api.tokens(), []);
	t.false(await authenticates(api, shown.ciToken!));
}
