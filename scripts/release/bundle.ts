import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {build, type Plugin} from "esbuild";
import {packageJson, PLUGIN, ROOT} from "./platforms";

/*
 * The plugin as the archives ship it: one file holding dist/provider/plugin/main.js and everything it loads (the
 * engine, ky, the SDK's grpc-js and protobuf code), so a start reads one file instead of resolving and reading 130
 * modules, with the schema computed at build time; and a start-up script that turns on Node's compile cache before
 * that file is compiled. docs/benchmarks.md has what each of these saves.
 */

/** The folder of an archive that holds the plugin's code, and the script the launchers run in it. */
export const PLUGIN_DIR = "plugin";
export const START = `${PLUGIN_DIR}/start.js`;
/** Where Node keeps the compiled code, beside the bundle (the release fills it for the archives it can run). */
export const COMPILE_CACHE = `${PLUGIN_DIR}/compile-cache`;
const NOTICES = "THIRD-PARTY-NOTICES";

const BUILT = join(ROOT, "dist", "provider");

/**
 * What a plugin folder is built from: the executable the engine starts (`pulumi-resource-<package>`, which also names
 * the bundle), its version, and the module the bundle starts from, which exports `started`, a promise that settles
 * once the plugin has printed its port and loaded what its first calls need.
 */
export interface PluginSource {
	executable: string;
	version: string;
	entry: string;
}

/** tfe-tokens, from dist/provider as `npm run build` wrote it. */
export function ourPlugin(): PluginSource {
	return {executable: PLUGIN, version: packageJson().version, entry: join(BUILT, "plugin", "main.js")};
}

/**
 * Turns on the compile cache, then loads the bundle. The cache is the folder beside the bundle when that can be
 * written or holds the release's cache; else (a plugin folder another user installed) one in the temp folder.
 * Portable (Node.js >= 24.12, which every archive carries): keyed by paths relative to the cache, so the release's
 * cache holds wherever the archive is unpacked. Node writes the cache at exit, which the engine's kill skips, so it
 * is flushed once the plugin serves and has loaded the engine.
 */
const startScript = ({executable, version}: PluginSource) => `"use strict";
const {accessSync, constants: fs, existsSync} = require("node:fs");
const {constants, enableCompileCache, flushCompileCache} = require("node:module");
const {tmpdir} = require("node:os");
const {join} = require("node:path");
const writable = dir => {
	try {
		accessSync(dir, fs.W_OK);
		return true;
	} catch {
		return false;
	}
};
const beside = join(__dirname, "compile-cache");
const directory = existsSync(beside) || writable(__dirname) ? beside : join(tmpdir(), "${executable}-${version}-compile-cache");
const cache = enableCompileCache({directory, portable: true}).status !== constants.compileCacheStatus.FAILED;
const {started} = require("./${executable}.js");
if (cache) started.then(() => flushCompileCache());
`;

/**
 * The SDK's modules that provider/plugin/sdk.ts loads with `sdkRequire`, resolved from the SDK as it does at run time:
 * in its build (ours) or its source (the bench's Node.js floor, tools/floor-provider-node, bundled from TypeScript).
 */
const sdkModules: Plugin = {
	name: "sdk-modules",
	setup(builder) {
		builder.onLoad({filter: /[\\/](dist[\\/])?provider[\\/]plugin[\\/]sdk\.[jt]s$/}, args => {
			const sdkRequire = createRequire(require.resolve("@pulumi/pulumi", {paths: [ROOT]}));
			let replaced = 0;
			const contents = readFileSync(args.path, "utf8").replace(/\bsdkRequire\("([^"]+)"\)/g, (_, specifier: string) => {
				replaced++;
				return `require(${JSON.stringify(sdkRequire.resolve(specifier))})`;
			});
			if (replaced === 0) throw new Error(`${args.path} loads nothing through sdkRequire: update scripts/release/bundle.ts`);
			return {contents: contents.replace(/^const sdkRequire = .*$/m, ""), loader: args.path.endsWith(".ts") ? "ts" : "js"};
		});
	},
};

/** The schema's text as the build computes it, in place of the module that computes it at start-up. */
const schemaText: Plugin = {
	name: "schema-text",
	setup(builder) {
		builder.onLoad({filter: /[\\/]dist[\\/]provider[\\/]plugin[\\/]schema-text\.js$/}, args => {
			const {schemaText: text} = require(args.path) as {schemaText: string};
			return {contents: `exports.schemaText = ${JSON.stringify(text)};\n`, loader: "js"};
		});
	},
};

/**
 * The licence texts of the packages the bundle holds, since their own files no longer travel with them: each
 * package's folder is the nearest one up from a bundled file whose package.json names a package. `inputs` are
 * esbuild's, relative to ROOT with "/".
 */
function notices(inputs: string[]): string {
	const packages = new Map<string, {name: string; version: string; license: string}>();
	for (const input of inputs.filter(file => file.split("/").includes("node_modules"))) {
		let dir = dirname(join(ROOT, input));
		while (!existsSync(join(dir, "package.json")) || !(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {name?: string}).name) dir = dirname(dir);
		if (!packages.has(dir)) packages.set(dir, JSON.parse(readFileSync(join(dir, "package.json"), "utf8")));
	}
	return [...packages].sort(([, a], [, b]) => a.name.localeCompare(b.name)).map(([dir, pkg]) => {
		const file = readdirSync(dir).find(name => /^(licen[cs]e|copying)(\.|$)/i.test(name));
		if (!file) throw new Error(`${pkg.name} has no licence file in ${dir}: its notice cannot ship`);
		return `${pkg.name}@${pkg.version} (${pkg.license})\n\n${readFileSync(join(dir, file), "utf8").trim()}\n`;
	}).join(`\n${"-".repeat(78)}\n\n`);
}

/**
 * Writes the plugin's folder into `dir`: the start-up script, the bundle and the notices. Ours is built from
 * dist/provider (`npm run build` first). A native addon fails the bundle (esbuild has no loader for `.node` files),
 * so every platform can run what one machine built.
 */
export async function bundlePlugin(dir: string, source: PluginSource): Promise<void> {
	const out = join(dir, PLUGIN_DIR);
	mkdirSync(out, {recursive: true});
	const result = await build({
		entryPoints: [source.entry],
		outfile: join(out, `${source.executable}.js`),
		bundle: true,
		platform: "node",
		target: "node22",
		format: "cjs",
		// Less to parse on a start without the cache; names are kept, as error messages and stack traces show them.
		minifyWhitespace: true,
		minifySyntax: true,
		keepNames: true,
		legalComments: "none",
		metafile: true,
		logLevel: "error",
		absWorkingDir: ROOT,
		plugins: [sdkModules, schemaText],
	});
	writeFileSync(join(out, "start.js"), startScript(source));
	writeFileSync(join(out, NOTICES), notices(Object.keys(result.metafile.inputs)));
}
