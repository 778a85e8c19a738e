import type {ChildProcess} from "node:child_process";
import {rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import type {ExecutionContext} from "ava";
import {start, type LocalApi} from "../../provider/local-api";
import {installedProject} from "../installed";
import {DYNAMIC_PROVIDER_HOST} from "../../provider/dynamic/host-watch";
import {commandLine, descendantsAndSelf, killAll, stillRunningAfter} from "../process-tree";
import {PulumiCli} from "../pulumi-cli";
import {scratchDir} from "../scratch";

/*
 * A stack driven by the `pulumi` CLI itself, as a child process, on a small JavaScript project with the built
 * package installed: for what the Automation API cannot do, such as killing the engine by its PID or running
 * `pulumi refresh --run-program`.
 */

export type Tokens = Record<string, {teamId: string; description?: string; expiresInDays?: number}>;

export interface CliStack {
	api: LocalApi;
	/** Writes the program's tokens; the program reads them at each run. */
	program(tokens: Tokens): void;
	run(args: string[]): Promise<string>;
	/** Runs `pulumi ...args` whatever its exit code. */
	attempt(args: string[]): Promise<{code: number | null; output: string}>;
	/** `pulumi stack export` without secrets, as text. */
	exportText(): Promise<string>;
	/** Starts `pulumi ...args`, waits until `acted()` holds, then SIGKILLs the pulumi process and what it started. */
	killDuring(args: string[], acted: () => boolean): Promise<void>;
	/** The token ids the stack's state holds. */
	stateTokenIds(): Promise<string[]>;
	/** The tokens the stack's outputs hand out, to prove they work. */
	outputTokens(): Promise<string[]>;
}

function wait(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}

export async function cliStack(t: ExecutionContext): Promise<CliStack> {
	const api = await start({teams: ["team-crash1"]});
	t.teardown(() => api.close());
	const project = installedProject();
	writeFileSync(join(project, "Pulumi.yaml"), "name: crash\nruntime: nodejs\nmain: index.js\n");
	writeFileSync(join(project, "package.json"), JSON.stringify({name: "crash", private: true}));
	writeFileSync(join(project, "index.js"), [
		`const {TeamToken} = require("pulumi-tfe-team-token");`,
		`const tokens = JSON.parse(require("fs").readFileSync(__dirname + "/tokens.json", "utf8"));`,
		"for (const [name, args] of Object.entries(tokens)) {",
		"\tconst token = new TeamToken(name, args);",
		"\texports[name] = token.token;",
		"}",
	].join("\n"));
	const cli = new PulumiCli({dir: project, stack: "crash", scratch: scratchDir("backend"), passphrase: "crash-passphrase"});
	const children = new Set<ChildProcess>();
	t.teardown(() => {
		for (const child of children) {
			killTree(child);
		}
	});
	const launch = (args: string[]) => {
		const {child, done} = cli.start(args, {group: true});
		children.add(child);
		return {
			child,
			done: done.then(({code, stdout, stderr}) => {
				children.delete(child);
				return {code, output: stdout + stderr};
			}),
		};
	};
	const run = (args: string[]) => cli.run(args);
	await cli.initStack(api, {});

	const exportState = async () => JSON.parse(await run(["stack", "export", "--show-secrets"])) as {
		deployment: {resources?: {type: string; outputs: {tokenId?: string; token?: string | {plaintext?: string}}}[]};
	};
	const ours = async () => (await exportState()).deployment.resources?.filter(r => r.type === "pulumi-nodejs:dynamic/tfe:TeamToken") ?? [];

	return {
		api,
		program: tokens => writeFileSync(join(project, "tokens.json"), JSON.stringify(tokens)),
		run,
		attempt: args => launch(args).done,
		exportText: () => run(["stack", "export"]),
		async killDuring(args, acted) {
			const {child, done} = launch(args);
			const deadline = Date.now() + 120_000;
			while (!acted()) {
				if (Date.now() > deadline) {
					killTree(child);
					throw new Error(`pulumi ${args.join(" ")}: the API never acted\n${(await done).output}`);
				}
				await wait(50);
			}
			// The crash: the engine dies while the API holds the answer to what it has already done. The engine starts
			// its plugins each in a group of their own, so only the dynamic-provider host's own watch ends it.
			const tree = descendantsAndSelf(child.pid!);
			const hosts = tree.filter(pid => DYNAMIC_PROVIDER_HOST.test(commandLine(pid)[1] ?? ""));
			process.kill(child.pid!, "SIGKILL");
			await done;
			killGroup(child);
			const outlived = await stillRunningAfter(hosts, 15_000);
			killAll(tree);
			if (hosts.length === 0 || outlived.length > 0) {
				throw new Error(`dynamic-provider hosts ${JSON.stringify(hosts)}: ${JSON.stringify(outlived)} still ran 15 s after their engine was killed`);
			}
			// The DIY backend's lock outlives a killed CLI; its message tells the user to remove it, as done here.
			rmSync(join(cli.options.scratch, ".pulumi", "locks"), {recursive: true, force: true});
			api.setFaults({});
		},
		async stateTokenIds() {
			return (await ours()).map(r => r.outputs.tokenId!).sort();
		},
		async outputTokens() {
			const outputs = JSON.parse(await run(["stack", "output", "--json", "--show-secrets"])) as Record<string, string>;
			return Object.values(outputs);
		},
	};
}

/** Ends the process group of a `pulumi` this test started (by its id), ignoring one already gone. */
function killGroup(child: ChildProcess): void {
	try {
		process.kill(-child.pid!, "SIGKILL");
	} catch {
		// Already gone.
	}
}

/** Ends a `pulumi` that may still run, its group, and the plugins it started in groups of their own. */
function killTree(child: ChildProcess): void {
	const tree = child.exitCode === null && child.signalCode === null ? descendantsAndSelf(child.pid!) : [];
	killGroup(child);
	killAll(tree);
}

export const UP = ["up", "--yes", "--skip-preview", "--non-interactive"];
