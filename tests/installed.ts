import {execFileSync} from "node:child_process";
import {chmodSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync} from "node:fs";
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
	linkDependencies(project);
	return project;
}

/**
 * A fresh project with a release's npm tarball installed as `npm install <tarball>` lays it out: the package
 * unpacked into node_modules, each of its bins linked in node_modules/.bin (where `npx` finds it) and made
 * executable, its dependencies linked from this checkout, so that no registry is asked. Returns the project directory.
 */
export function installedTarball(tarball: string): string {
	const project = scratchDir("project");
	const pkg = join(project, "node_modules", "pulumi-tfe-team-token");
	mkdirSync(pkg, {recursive: true});
	// An npm tarball holds the package under package/.
	execFileSync("tar", ["-xzf", tarball, "-C", pkg, "--strip-components=1"]);
	const {bin = {}} = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as {bin?: Record<string, string>};
	mkdirSync(join(project, "node_modules", ".bin"));
	for (const [name, target] of Object.entries(bin)) {
		chmodSync(join(pkg, target), 0o755);
		symlinkSync(join("..", "pulumi-tfe-team-token", target), join(project, "node_modules", ".bin", name));
	}
	linkDependencies(project);
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

/** Links into the project's node_modules the checkout's copies of what the package needs. */
function linkDependencies(project: string): void {
	for (const dependency of linkedDependencies()) {
		symlinkSync(join(root, "node_modules", dependency), join(project, "node_modules", dependency));
	}
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
