import {execFileSync} from "node:child_process";
import {chmodSync, copyFileSync, existsSync} from "node:fs";
import {join, resolve} from "node:path";
import {buildArchives} from "../scripts/release/archives";
import {archiveName, hostPlatform, packageJson, platforms} from "../scripts/release/platforms";
import {scratchDir} from "../tests/scratch";
import {NODE_FLOOR} from "../tools/floor-provider-node/package";

/*
 * The three provider plugins figures 13 and 14 start: ours as a user gets it, from this machine's release archive;
 * the floor, pulumi-resource-tfe-floor (tools/floor-provider), a do-nothing provider on the Pulumi Go SDK; and the
 * Node.js floor, pulumi-resource-tfe-nodefloor (tools/floor-provider-node), the same on our archive's runtime, gRPC
 * server and protobuf code.
 */

const root = resolve(__dirname, "..");
export const VERSION = packageJson().version;
export const FLOOR = {name: "tfe-floor", version: "0.0.1"};
export {NODE_FLOOR};

let ours: string | undefined;

/**
 * This machine's plugin archive: the one of PTT_RELEASE_DIR when set (as `npm run release` wrote it), else one the
 * release's own code builds now from this checkout's build.
 */
export async function ourArchive(): Promise<string> {
	if (ours) return ours;
	const name = archiveName(VERSION, hostPlatform());
	const released = process.env.PTT_RELEASE_DIR && resolve(root, process.env.PTT_RELEASE_DIR, name);
	if (released && existsSync(released)) return (ours = released);
	const built = await buildArchives(hostPlatforms(), scratchDir("bench-release"));
	return (ours = built[0]!);
}

const hostPlatforms = () => platforms().filter(platform => platform.name === hostPlatform());

let nodeFloor: string | undefined;

/**
 * The Node.js floor as the release builds ours (scripts/release/archives.ts): bundled into one file with the same
 * esbuild settings, beside it the Node.js runtime our archive for this machine carries, started by the same launcher,
 * flags and start-up script, with its compile cache filled by a first start.
 */
export async function nodeFloorArchive(): Promise<string> {
	if (nodeFloor) return nodeFloor;
	const source = {executable: `pulumi-resource-${NODE_FLOOR.name}`, version: NODE_FLOOR.version, entry: join(root, "tools", "floor-provider-node", "main.ts")};
	const built = await buildArchives(hostPlatforms(), scratchDir("node-floor-archive"), source);
	return (nodeFloor = built[0]!);
}

let floor: string | undefined;

/** The floor plugin as an archive the engine installs: its binary alone at the root, as a Go provider's is. */
export function floorArchive(): string {
	if (floor) return floor;
	const binary = execFileSync("bash", [join(root, "scripts", "ensure-floor-provider.sh")], {encoding: "utf8", stdio: ["ignore", "pipe", "inherit"]}).trim();
	const dir = scratchDir("floor-plugin");
	copyFileSync(binary, join(dir, `pulumi-resource-${FLOOR.name}`));
	chmodSync(join(dir, `pulumi-resource-${FLOOR.name}`), 0o755);
	floor = join(scratchDir("floor-archive"), `pulumi-resource-${FLOOR.name}-v${FLOOR.version}-${hostPlatform()}.tar.gz`);
	execFileSync("tar", ["-czf", floor, "-C", dir, `pulumi-resource-${FLOOR.name}`]);
	return floor;
}

/** An archive unpacked into a new folder, as the engine installs it; returns the folder. */
export function unpacked(archive: string): string {
	const dir = scratchDir("plugin-installed");
	execFileSync("tar", ["-xzf", archive, "-C", dir]);
	return dir;
}
