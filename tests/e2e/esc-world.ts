import {execFile, spawn, type ChildProcess} from "node:child_process";
import {once} from "node:events";
import {readFileSync, writeFileSync} from "node:fs";
import {createServer as createHttpServer, type Server} from "node:http";
import {createServer as createNetServer, type AddressInfo} from "node:net";
import {join, resolve} from "node:path";
import {createInterface} from "node:readline";
import {redact} from "../../provider/api/errors";
import {start, type LocalApi, type LocalApiOptions} from "../../provider/local-api";
import {installedTarball} from "../installed";
import {commandLine, descendantsAndSelf} from "../process-tree";
import {scratchDir} from "../scratch";
import {npmTarball} from "./download";

/*
 * What the ESC engine tests run against: the local API, the adapter of the release's npm package started through
 * its CLI as its docs say, the JWKS of the tests' own signing key on loopback, and the Go program of tests/esc, which evaluates the
 * definitions of examples/esc with ESC's own evaluator and calls the adapter as Pulumi Cloud does.
 */

const ROOT = resolve(__dirname, "..", "..");
const EXAMPLES = join(ROOT, "examples", "esc");

/** The placeholders of examples/esc, as its README tells a user to replace them. */
export const PLACEHOLDERS = {
	url: "https://esc-adapter.example.com",
	pulumiOrganization: "acme",
	team: "team-abc1",
	agentPool: "apool-xyz1",
	tfeOrganization: "my-tfe-org",
} as const;

/** One POST of the evaluation and what the adapter answered. */
export interface Call {
	url: string;
	status: number;
	error?: string;
}

/** What `esc-eval open` or `rotate` printed: the environment's values, secrets revealed, and the calls made. */
export interface Evaluation {
	values: Record<string, unknown> | null;
	diagnostics: string[];
	calls: Call[];
	rotations?: {path: string; status: string}[];
	definition?: string;
}

export interface EvalOptions {
	/** The Pulumi organization (the JWT's org); the policy's by default. */
	org?: string;
	attack?: string;
}

export interface EscWorld {
	api: LocalApi;
	/** The command line the adapter was started with, after `npx pulumi-tfe-team-token`. */
	adapterArgs: string[];
	/** The URL the adapter's first stdout line named, and the one the test chose for it. */
	adapterUrl: string;
	publicUrl: string;
	/** Every line the adapter wrote after its first, stdout and stderr. */
	adapterOutput: string[];
	/** How many times the adapter fetched the JWKS. */
	jwksFetches(): number;
	/** A copy of an examples/esc file with the placeholders replaced by the local API's ids and the adapter's URL. */
	definition(file: string, replace?: Record<string, string>): string;
	open(definition: string, env: string, options?: EvalOptions): Promise<Evaluation>;
	/** `open` of the definition `times` times, all at once, each parsing it afresh. */
	openMany(definition: string, env: string, times: number): Promise<Evaluation[]>;
	/** Rotates every rotator in the definition and writes the new state back into the file. */
	rotate(definition: string, env: string, options?: EvalOptions): Promise<Evaluation>;
	/** Stops the adapter with SIGTERM; answers its exit code. */
	stopAdapter(): Promise<number | null>;
	close(): Promise<void>;
}

/** Builds tests/esc once per run into the tool cache (tests/esc/build.sh); answers the program's path. */
let program: Promise<string> | undefined;
function escEvalProgram(): Promise<string> {
	program ??= run("bash", [join(ROOT, "tests", "esc", "build.sh")]).then(out => out.trim().split("\n").at(-1)!);
	return program;
}

export async function escWorld(apiOptions: LocalApiOptions): Promise<EscWorld> {
	const binary = await escEvalProgram();
	const keys = scratchDir("esc-keys");
	await run(binary, ["keys", "--dir", keys]);
	const api = await start(apiOptions);
	let jwksFetches = 0;
	const jwks = createHttpServer((request, response) => {
		jwksFetches++;
		response.writeHead(200, {"content-type": "application/json"}).end(readFileSync(join(keys, "jwks.json")));
	});
	const closers: (() => Promise<unknown>)[] = [() => api.close(), () => closeServer(jwks)];
	try {
		await listen(jwks, 0);
		const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/oidc/.well-known/jwks`;
		const work = scratchDir("esc-work");
		const port = await freePort();
		const publicUrl = `https://127.0.0.1:${port}`;
		const substitute = (text: string, replace: Record<string, string> = {}) => {
			// The test's own replacements first, so they may name a placeholder.
			const pairs: [string, string][] = [
				...Object.entries(replace),
				[PLACEHOLDERS.url, publicUrl],
				[PLACEHOLDERS.team, api.teams[0]!],
				[PLACEHOLDERS.agentPool, api.agentPools[0]!],
				[PLACEHOLDERS.tfeOrganization, api.organization],
			];
			return pairs.reduce((out, [from, to]) => out.split(from).join(to), text);
		};
		const policy = join(work, "policy.yaml");
		writeFileSync(policy, substitute(readFileSync(join(EXAMPLES, "policy.yaml"), "utf8")));

		const adapterArgs = [
			"esc-adapter", "--policy", policy, "--public-url", publicUrl, "--listen", `127.0.0.1:${port}`,
			"--tls-cert", join(keys, "tls-cert.pem"), "--tls-key", join(keys, "tls-key.pem"),
			"--issuer", "https://api.pulumi.com", "--jwks-url", jwksUrl,
		];
		const adapter = await startAdapter(work, adapterArgs, {TFE_TOKEN: api.adminToken, TFE_ADDRESS: api.url});
		closers.push(() => adapter.stop());

		let copies = 0;
		const evaluate = async (command: "open" | "rotate", definition: string, env: string, options: EvalOptions, extra: string[] = []) => {
			const args = [command, "--definition", definition, "--env", env, "--org", options.org ?? PLACEHOLDERS.pulumiOrganization,
				"--ca", join(keys, "tls-cert.pem"), "--keys", keys, ...extra];
			if (options.attack) args.push("--attack", options.attack);
			return JSON.parse(await run(binary, args)) as unknown;
		};
		return {
			api,
			adapterArgs,
			adapterUrl: adapter.url,
			publicUrl,
			adapterOutput: adapter.output,
			jwksFetches: () => jwksFetches,
			definition(file, replace) {
				const copy = join(work, `${++copies}-${file}`);
				writeFileSync(copy, substitute(readFileSync(join(EXAMPLES, file), "utf8"), replace));
				return copy;
			},
			open: async (definition, env, options = {}) => (await evaluate("open", definition, env, options)) as Evaluation,
			openMany: async (definition, env, times) =>
				((await evaluate("open", definition, env, {}, ["--repeat", String(times), "--parallel", String(times)])) as {runs: Evaluation[]}).runs,
			rotate: async (definition, env, options = {}) => (await evaluate("rotate", definition, env, options)) as Evaluation,
			stopAdapter: () => adapter.stop(),
			close: () => closeAll(closers),
		};
	} catch (error) {
		await closeAll(closers);
		throw error;
	}
}

interface Adapter {
	url: string;
	output: string[];
	stop(): Promise<number | null>;
}

/**
 * `npx pulumi-tfe-team-token ...` in a project that installed the release's npm tarball, as a user runs it
 * (docs/esc.md); resolves once the first stdout line names the URL it listens on.
 */
async function startAdapter(work: string, args: string[], env: Record<string, string>): Promise<Adapter> {
	const project = installedTarball(npmTarball());
	const child = spawn("npx", ["--no", "pulumi-tfe-team-token", ...args], {
		cwd: project,
		env: {PATH: process.env.PATH, HOME: scratchDir("home"), npm_config_cache: join(work, "npm-cache"), ...env},
		stdio: ["ignore", "pipe", "pipe"],
		// A group of its own: npx runs the package's bin in a child, and both are ended together, by the group's id.
		detached: true,
	});
	const output: string[] = [];
	const exited = once(child, "exit").then(([code]) => code as number | null);
	createInterface({input: child.stderr!}).on("line", line => output.push(line));
	const lines = createInterface({input: child.stdout!});
	const first = await Promise.race([
		new Promise<string>(resolveFirst => lines.once("line", resolveFirst)),
		exited.then(code => {
			throw new Error(redact(`the adapter exited (${code}) before its first line:\n${output.join("\n")}`, [env.TFE_TOKEN]));
		}),
		delay(60_000).then(() => {
			throw new Error(redact(`the adapter wrote no first line within 60 s:\n${output.join("\n")}`, [env.TFE_TOKEN]));
		}),
	]).catch(error => {
		kill(child);
		throw error;
	});
	lines.on("line", line => output.push(line));
	const url = /^esc adapter listening on (https?:\/\/\S+)$/.exec(first)?.[1];
	if (!url) {
		kill(child);
		throw new Error(redact(`the adapter's first line is not "esc adapter listening on <URL>": ${JSON.stringify(first)}`, [env.TFE_TOKEN]));
	}
	let stopped: Promise<number | null> | undefined;
	return {
		url,
		output,
		stop: () => (stopped ??= stopAdapter(child, exited)),
	};
}

/**
 * SIGTERM to the adapter's own process, as a supervisor stops it; npx, which does not pass signals on, then ends with
 * the adapter's exit code. Whatever is left after 10 s is killed.
 */
async function stopAdapter(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
	const adapter = descendantsAndSelf(child.pid!).find(pid => commandLine(pid).some(arg => arg.endsWith("/.bin/pulumi-tfe-team-token")));
	if (adapter === undefined) {
		kill(child);
		return exited;
	}
	process.kill(adapter, "SIGTERM");
	const code = await Promise.race([exited, delay(10_000).then(() => "still running" as const)]);
	if (code !== "still running") return code;
	kill(child);
	return exited;
}

/** Signals the process group of the adapter this test started: npx and the node it started. */
function kill(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
	try {
		process.kill(-child.pid!, signal);
	} catch {
		// Already gone.
	}
}

async function freePort(): Promise<number> {
	const server = createNetServer();
	await listen(server, 0);
	const {port} = server.address() as AddressInfo;
	await closeServer(server);
	return port;
}

function listen(server: Server | ReturnType<typeof createNetServer>, port: number): Promise<void> {
	return new Promise((resolveListen, reject) => {
		server.once("error", reject);
		server.listen(port, "127.0.0.1", () => resolveListen());
	});
}

function closeServer(server: Server | ReturnType<typeof createNetServer>): Promise<void> {
	return new Promise(resolveClose => server.close(() => resolveClose()));
}

async function closeAll(closers: (() => Promise<unknown>)[]): Promise<void> {
	for (const close of closers.reverse()) await close().catch(() => undefined);
}

/** A timer that does not keep the test process alive: it only bounds waits for processes that do. */
function delay(ms: number): Promise<void> {
	return new Promise(resolveDelay => setTimeout(resolveDelay, ms).unref());
}

/** Runs a program to its end without blocking the event loop (the local API answers from it); answers its stdout. */
function run(command: string, args: string[]): Promise<string> {
	return new Promise((resolveRun, reject) => {
		execFile(command, args, {maxBuffer: 256 * 1024 * 1024, cwd: ROOT}, (error, stdout, stderr) => {
			if (error) reject(new Error(redact(`${command} ${args[0]} failed (${error.code}): ${stderr.trim()}`)));
			else resolveRun(stdout);
		});
	});
}
