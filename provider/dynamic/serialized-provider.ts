import {existsSync, realpathSync} from "node:fs";
import {dirname, join, resolve} from "node:path";

/** How a project that has this package in its node_modules names the provider module. */
export const PROVIDER_SPECIFIER = "pulumi-tfe-team-token/dist/provider/provider.js";

// One lookup per project directory, not one per resource: a stack may declare a thousand tokens.
const texts = new Map<string, string>();

/**
 * The text every TeamToken stores as `__provider`. The dynamic-provider host evaluates it as a module (with
 * require-from-string, resolving from its working directory, the project's) and calls `handler()` for the provider.
 *
 * It is written here rather than left to the SDK, which serializes the provider object's closures: installed from
 * npm that came out as a `require` of the package, but run from a checkout (a `file:` dependency, or the root
 * Pulumi.yaml) as copied methods of 2.4 KB, stored twice in every resource's state. A `require` alone is what the
 * host needs either way, holds no configuration and no secret, and costs under 100 bytes.
 */
export function serializedProvider(cwd: string = process.cwd()): string {
	let text = texts.get(cwd);
	if (text === undefined) {
		text = `exports.handler = () => require(${JSON.stringify(moduleReference(cwd))});`;
		texts.set(cwd, text);
	}
	return text;
}

/**
 * The package specifier when the project directory resolves it to this very file (an install, or a `file:` link to
 * a checkout), so that state stays portable between machines; else this file's absolute path (a program run from
 * inside the checkout itself, which has no node_modules entry for its own package).
 */
function moduleReference(cwd: string): string {
	const self = realpathSync(require.resolve("../provider"));
	return hostResolves(cwd) === self ? PROVIDER_SPECIFIER : self;
}

/**
 * Where the host's `require(PROVIDER_SPECIFIER)` lands: the node_modules folders from `cwd` up, as Node searches
 * them. Not `require.resolve`, which would let this package resolve its own name from inside itself.
 */
function hostResolves(cwd: string): string | undefined {
	for (let dir = resolve(cwd); ; dir = dirname(dir)) {
		const candidate = join(dir, "node_modules", PROVIDER_SPECIFIER);
		if (existsSync(candidate)) {
			return realpathSync(candidate);
		}
		if (dirname(dir) === dir) {
			return undefined;
		}
	}
}
