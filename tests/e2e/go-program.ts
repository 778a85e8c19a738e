import {execFileSync} from "node:child_process";
import {existsSync, rmSync} from "node:fs";
import {join} from "node:path";

/*
 * A Go program's module set up as a user sets one up: `go get` of the package's Go SDK, then `go mod tidy`. The
 * release's module proxy folder (goproxy/) stands in for the module proxy that serves the SDK's tag once it is
 * pushed; every other module comes from the user's own proxy, into the user's own module cache, so a second run
 * downloads nothing.
 */

export const GO_SDK_MODULE = "github.com/pulumi-tfe-team-token/pulumi-tfe-team-token/sdk";
export const GO_SDK_PACKAGE = `${GO_SDK_MODULE}/go/tfetokens`;

const go = (args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
	execFileSync("go", args, {cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"]}).trim();

/** The environment of `go` and of the Go language host (which builds the program with it). */
export function goEnv(release: string): Record<string, string> {
	return {
		GOPROXY: `file://${join(release, "goproxy")},${go(["env", "GOPROXY"], release)}`,
		// The checksum database knows only modules published on a proxy it has read.
		GONOSUMDB: GO_SDK_MODULE,
		// Go indexes each module cache folder once, in GOCACHE, by its path alone (a version never changes on a real
		// proxy), so after a release rebuilt at the same version the index still lists the files of the one before,
		// and the build fails with the new init.go naming resources whose files the index lacks. Without the index,
		// the go command reads the folder itself.
		GODEBUG: [process.env.GODEBUG, "goindex=0"].filter(Boolean).join(","),
	};
}

let forgotten = false;

/**
 * Drops the SDK's module from the module cache, once per test process: the cache keeps a module version forever, so
 * a release rebuilt at the same version would otherwise be built from the copy an earlier run downloaded.
 */
function forgetCachedSdk(): void {
	if (forgotten) return;
	forgotten = true;
	const cache = go(["env", "GOMODCACHE"], ".");
	const owner = GO_SDK_MODULE.split("/").slice(0, 2).join("/");
	for (const dir of [join(cache, owner), join(cache, "cache", "download", owner)]) {
		if (!existsSync(dir)) continue;
		// The module cache's files are read-only.
		execFileSync("chmod", ["-R", "u+w", dir]);
		rmSync(dir, {recursive: true, force: true});
	}
}

/** A new module `name` in `dir`, which holds a Go program, requiring the Go SDK of `version`, as a user adds it. */
export function newGoModule(dir: string, name: string, version: string, env: Record<string, string>): void {
	forgetCachedSdk();
	go(["mod", "init", name], dir, {...process.env, ...env});
	go(["get", `${GO_SDK_PACKAGE}@v${version}`], dir, {...process.env, ...env});
	tidy(dir, env);
}

/** `go mod tidy` in a module whose go.mod already requires the SDK (an example's): what a user runs after a copy. */
export function tidy(dir: string, env: Record<string, string>): void {
	forgetCachedSdk();
	go(["mod", "tidy"], dir, {...process.env, ...env});
}
