import {cpSync, mkdirSync, symlinkSync} from "node:fs";
import {join, resolve} from "node:path";
import {scratchDir} from "./scratch";

const root = resolve(__dirname, "..");

/**
 * Lays the built package out in a fresh project's node_modules, as `npm install pulumi-tfe-team-token` would, with
 * its dependencies linked from this checkout. Returns the project directory. Needs `npm run build` first.
 */
export function installedProject(): string {
	const project = scratchDir("project");
	const pkg = join(project, "node_modules", "pulumi-tfe-team-token");
	mkdirSync(pkg, {recursive: true});
	cpSync(join(root, "package.json"), join(pkg, "package.json"));
	cpSync(join(root, "dist", "provider"), join(pkg, "dist", "provider"), {recursive: true});
	for (const dependency of ["@pulumi", "ky"]) {
		symlinkSync(join(root, "node_modules", dependency), join(project, "node_modules", dependency));
	}
	return project;
}
