import {cpSync, mkdirSync, readFileSync, rmSync, symlinkSync} from "node:fs";
import {join, resolve} from "node:path";
import {scratchDir} from "./scratch";

const root = resolve(__dirname, "..");

/** This checkout's build, the package under test. */
export const BUILT = join(root, "dist", "provider");

/**
 * Lays the built package out in a fresh project's node_modules, as `npm install pulumi-tfe-team-token` would, with
 * its dependencies linked from this checkout. Returns the project directory. Needs `npm run build` first, or
 * another build of the package's `dist/provider` (an older version, for upgrade tests).
 */
export function installedProject(dist: string = BUILT): string {
	const project = scratchDir("project");
	installPackage(project, dist);
	for (const dependency of linkedDependencies()) {
		symlinkSync(join(root, "node_modules", dependency), join(project, "node_modules", dependency));
	}
	return project;
}

/** Puts a build of the package into the project's node_modules, replacing any there, as an npm upgrade would. */
export function installPackage(project: string, dist: string): void {
	const pkg = join(project, "node_modules", "pulumi-tfe-team-token");
	rmSync(pkg, {recursive: true, force: true});
	mkdirSync(pkg, {recursive: true});
	cpSync(join(root, "package.json"), join(pkg, "package.json"));
	cpSync(dist, join(pkg, "dist", "provider"), {recursive: true});
}

/**
 * The folders of node_modules the package needs, as npm would install them: its dependencies and its peer
 * @pulumi/pulumi (a scoped one by its whole scope folder).
 */
function linkedDependencies(): string[] {
	const {dependencies = {}, peerDependencies = {}} = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
		dependencies?: Record<string, string>;
		peerDependencies?: Record<string, string>;
	};
	const names = [...Object.keys(dependencies), ...Object.keys(peerDependencies)];
	return [...new Set(names.map(name => name.startsWith("@") ? name.split("/")[0]! : name))];
}
