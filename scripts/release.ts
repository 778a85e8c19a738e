import {rmSync} from "node:fs";
import {join, resolve} from "node:path";
import {buildArchives} from "./release/archives";
import {writeChecksums} from "./release/checksums";
import {hostPlatform, platforms, ROOT} from "./release/platforms";
import {buildSdks} from "./release/sdks";

/*
 * `npm run release`: every artifact of a release into dist/release/, from the build `npm run build` made. The plugin
 * archives, the SDK packages, and SHA256SUMS over all of them.
 *
 *   --archives-only          the plugin archives alone (no SDKs, no checksum file)
 *   --platform <os-arch>     only this platform's archive ("host": this machine's); repeatable
 *   --out <dir>              another folder than dist/release (emptied first)
 * The last line on stdout is the output folder.
 */

async function main(argv: string[]): Promise<void> {
	let out = join(ROOT, "dist", "release");
	let archivesOnly = false;
	const wanted: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === "--archives-only") archivesOnly = true;
		else if (arg === "--platform" && argv[i + 1]) wanted.push(argv[++i] === "host" ? hostPlatform() : argv[i]!);
		else if (arg === "--out" && argv[i + 1]) out = resolve(argv[++i]!);
		else throw new Error(`release: unknown argument ${arg}; allowed: --archives-only, --platform <os-arch>, --out <dir>`);
	}
	const all = platforms();
	const unknown = wanted.filter(name => !all.some(platform => platform.name === name));
	if (unknown.length) throw new Error(`release: no archive for ${unknown.join(", ")}; platforms: ${all.map(p => p.name).join(", ")}`);
	rmSync(out, {recursive: true, force: true});
	await buildArchives(wanted.length ? all.filter(platform => wanted.includes(platform.name)) : all, out);
	if (!archivesOnly) {
		buildSdks(out);
		writeChecksums(out);
	}
	console.log(out);
}

main(process.argv.slice(2)).catch((error: Error) => {
	process.stderr.write(`${error.message}\n`);
	process.exitCode = 1;
});
