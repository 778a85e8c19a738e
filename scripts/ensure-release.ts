import {spawnSync} from "node:child_process";
import {existsSync, readdirSync, statSync} from "node:fs";
import {join, resolve} from "node:path";

/*
 * `npm run test:e2e` on its own: the engine tests of the provider plugin run what a release holds, so a checkout
 * without a release, or with one older than its sources, gets one first (`npm run release` into dist/release).
 * With PTT_RELEASE_DIR set the caller chose the release (`npm run test:all` has just built it): nothing is built.
 */

const ROOT = resolve(__dirname, "..");

/** What a release is built from, besides the Node.js runtimes and the toolchains (pinned in these files). */
export const RELEASE_SOURCES = ["provider", "sdk", "scripts", "tools/go-module-proxy", "package.json", "package-lock.json", "tsconfig.json", "README.md", "LICENSE"];

/** The newest modification time under `path`, in ms; 0 when it does not exist. */
function newest(path: string): number {
	if (!existsSync(path)) {
		return 0;
	}
	const stat = statSync(path);
	if (!stat.isDirectory()) {
		return stat.mtimeMs;
	}
	return readdirSync(path).reduce((latest, entry) => Math.max(latest, newest(join(path, entry))), stat.mtimeMs);
}

/**
 * Why the release in `dir` cannot be used for sources under `root`, or undefined when it can: it is whole
 * (SHA256SUMS, which `npm run release` writes last) and newer than every source file. Modification times, as make
 * judges, since the build rewrites dist/ on every run.
 */
export function staleRelease(dir: string, root: string, sources: readonly string[] = RELEASE_SOURCES): string | undefined {
	const sums = join(dir, "SHA256SUMS");
	if (!existsSync(sums)) {
		return `no release in ${dir}`;
	}
	const built = statSync(sums).mtimeMs;
	const changed = sources.find(source => newest(join(root, source)) > built);
	return changed === undefined ? undefined : `the release in ${dir} is older than ${changed}`;
}

function main(): void {
	if (process.env.PTT_RELEASE_DIR) {
		return;
	}
	const why = staleRelease(join(ROOT, "dist", "release"), ROOT);
	if (why === undefined) {
		return;
	}
	process.stderr.write(`test:e2e: ${why}; building it with \`npm run release\`\n`);
	const built = spawnSync("npm", ["run", "release"], {cwd: ROOT, stdio: "inherit"});
	process.exitCode = built.status ?? 1;
}

if (require.main === module) {
	main();
}
