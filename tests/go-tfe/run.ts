/**
 * Runs HashiCorp's own token integration tests from go-tfe v1.109.0, unmodified, against the local API, in go-tfe's
 * default mode and with ENABLE_BETA=1, and prints each test's result. Exits non-zero on any failure, on a test that
 * did not run, on a skip the local API controls, or on organizations the tests' clean-ups left behind.
 *
 *   node -r ts-node/register/transpile-only tests/go-tfe/run.ts      (npm run test:go-tfe)
 *
 * go-tfe comes from Go's module proxy at the version and sums pinned in tests/go-tfe/go.mod and go.sum; `go test
 * github.com/hashicorp/go-tfe` runs its package tests from this directory's module. Each mode gets a fresh local API
 * of its own on 127.0.0.1, port 0; the tests talk to nothing else. No token is printed: the tests' output is shown
 * only for failures, with every token-shaped string and the admin token blotted out.
 */
import {spawn} from "node:child_process";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {createInterface} from "node:readline";
import {start, type LocalApi} from "../../provider/local-api";

const MODULE_DIR = __dirname;
const GO_TFE = "github.com/hashicorp/go-tfe";

/**
 * The test files run, whole: the three token files the issue names, the token TTL policy file, the one other go-tfe
 * test file whose routes the local API serves completely (README, "Tests", says how that was found), and the user
 * token file (issue 24), whose tests run as the admin token's user.
 */
const TEST_FILES = [
	"team_token_integration_test.go",
	"organization_token_integration_test.go",
	"agent_token_integration_test.go",
	"organization_token_ttl_policy_integration_test.go",
	"user_token_integration_test.go",
] as const;

/**
 * go-tfe's skipUnlessBeta message. Those tests are out of the default mode by go-tfe's own choice, and the beta mode
 * runs them; every other skip is something the local API (or this runner's environment) could have avoided.
 */
const BETA_SKIP = "Set ENABLE_BETA=1 to run.";

/** go-tfe's helpers read these; the runner sets the ones it needs and clears the rest, whatever the caller's shell holds. */
const GO_TFE_ENV = [
	"TFE_ADDRESS",
	"TFE_TOKEN",
	"TFE_HOSTNAME",
	"ENABLE_TFE",
	"ENABLE_BETA",
	"ENABLE_HYOK_INTEGRATION_TESTS",
	"TFE_ADMIN_SITE_ADMIN_TOKEN",
	"TFE_ADMIN_CONFIGURATION_TOKEN",
	"TFE_ADMIN_PROVISION_LICENSES_TOKEN",
	"TFE_ADMIN_SUBSCRIPTION_TOKEN",
	"TFE_ADMIN_SUPPORT_TOKEN",
	"TFE_ADMIN_SECURITY_MAINTENANCE_TOKEN",
	"TFE_ADMIN_VERSION_MAINTENANCE_TOKEN",
];

const TOKEN_SHAPE = /[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9]{67}/g;

interface Mode {
	readonly name: "default" | "beta";
	readonly beta: boolean;
}

const MODES: readonly Mode[] = [
	{name: "default", beta: false},
	{name: "beta", beta: true},
];

type Status = "PASS" | "FAIL" | "SKIP";

/** One test or subtest as go test -json reported it. */
interface Result {
	status: Status | undefined;
	elapsed: number;
	output: string[];
}

/** An event of `go test -json` (cmd/test2json). */
interface TestEvent {
	readonly Action: string;
	readonly Test?: string;
	readonly Output?: string;
	readonly Elapsed?: number;
}

interface ModeOutcome {
	readonly passed: number;
	readonly problems: number;
}

async function main(): Promise<void> {
	const dir = await goTfeDir();
	const tests = TEST_FILES.flatMap(file => testNames(join(dir, file)));
	console.log(`go-tfe ${versionOf(dir)}: ${tests.length} tests from ${TEST_FILES.join(", ")}`);

	let passed = 0;
	let problems = 0;
	for (const mode of MODES) {
		const outcome = await runMode(mode, tests);
		passed += outcome.passed;
		problems += outcome.problems;
	}
	// Counted as ava counts, so a log summariser that adds up ava's lines counts these too.
	console.log(`\n  ${passed} tests passed`);
	if (problems > 0) console.log(`  ${problems} tests failed`);
	process.exitCode = problems > 0 ? 1 : 0;
}

async function runMode(mode: Mode, tests: readonly string[]): Promise<ModeOutcome> {
	const api = await start({host: "127.0.0.1", port: 0});
	const scrub = scrubber(api);
	try {
		console.log(`\n== ${mode.name} mode (${mode.beta ? "ENABLE_BETA=1" : "ENABLE_BETA unset"}), local API on ${api.url}`);
		const run = await goTest(api, mode, tests);
		const results = run.results;
		let passed = 0;
		let problems = 0;

		for (const name of tests) {
			const result = results.get(name);
			const status = result?.status ?? "FAIL";
			const subtests = [...results.entries()].filter(([sub]) => sub.startsWith(`${name}/`));
			const allowedSkip = status === "SKIP" && !mode.beta && said(result, BETA_SKIP);
			const note =
				result?.status === undefined
					? "did not run to an end"
					: status === "SKIP"
						? `skipped: ${skipReason(result)}`
						: `${subtests.length} subtests`;
			console.log(scrub(`${mode.name.padEnd(8)} ${status}  ${name} (${note})`));
			for (const [sub, subResult] of subtests) {
				if (subResult.status === "PASS") continue;
				const why = subResult.status === "SKIP" ? `: ${skipReason(subResult)}` : "";
				console.log(scrub(`${"".padEnd(8)}   ${subResult.status ?? "FAIL"}  ${sub}${why}`));
			}

			const badSubtests = subtests.filter(
				([, sub]) => sub.status === "FAIL" || sub.status === undefined || (sub.status === "SKIP" && (mode.beta || !said(sub, BETA_SKIP))),
			);
			if (status === "PASS" && badSubtests.length === 0) {
				passed++;
			} else if (!allowedSkip) {
				problems++;
				const reason = status === "SKIP" ? "a skip the local API controls" : "failed";
				console.log(`\n--- ${name} ${reason}; its output (tokens blotted out):`);
				for (const [, entry] of [[name, result] as const, ...badSubtests]) {
					for (const line of entry?.output ?? []) process.stdout.write(`    ${scrub(line)}`);
				}
				console.log("---");
			}
		}

		if (run.exitCode !== 0 && problems === 0) {
			// A build failure or a panic outside any test: nothing above accounts for it.
			problems++;
			console.log(`go test exited ${run.exitCode} with no failed test to show for it; its other output:`);
			for (const line of run.other) process.stdout.write(`    ${scrub(line)}`);
		}
		for (const line of run.stderr) if (run.exitCode !== 0) process.stdout.write(`    ${scrub(line)}`);

		// go-tfe only logs a failed clean-up, so the local API's side of DELETE is checked here.
		const leftOver = api.organizations().filter(name => name !== api.organization);
		if (leftOver.length > 0 || api.tokens().length > 0) {
			problems++;
			console.log(`left behind after the clean-ups: ${leftOver.length} organizations, ${api.tokens().length} tokens`);
		}
		if (problems > 0) {
			const refused = api.requests().filter(entry => entry.status >= 400);
			console.log(`local API answers of 400 and over (${refused.length}; method, path, status):`);
			for (const entry of refused.slice(0, 200)) console.log(`    ${entry.method} ${entry.path} ${entry.status}`);
		}

		const counts = countBy(tests.map(name => results.get(name)?.status ?? "FAIL"));
		console.log(
			`${mode.name} mode: ${counts.PASS ?? 0} passed, ${counts.SKIP ?? 0} skipped, ${counts.FAIL ?? 0} failed; ` +
				`${api.requests().length} requests to the local API`,
		);
		return {passed, problems};
	} finally {
		await api.close();
	}
}

interface GoTestRun {
	readonly results: Map<string, Result>;
	/** Output that belongs to no test (build errors, a panic's trace, the package summary). */
	readonly other: string[];
	readonly stderr: string[];
	readonly exitCode: number;
}

/** `go test -json` of exactly these tests, from tests/go-tfe's module, against the local API. */
async function goTest(api: LocalApi, mode: Mode, tests: readonly string[]): Promise<GoTestRun> {
	const env: NodeJS.ProcessEnv = {...process.env};
	for (const name of GO_TFE_ENV) delete env[name];
	Object.assign(env, {
		TFE_ADDRESS: api.url,
		TFE_TOKEN: api.adminToken,
		// The business-plan upgrade some organization-token tests make goes through the admin routes with this token.
		// Setting ENABLE_TFE=1 instead would skip it, but would also skip every agent-token test (skipIfEnterprise).
		TFE_ADMIN_PROVISION_LICENSES_TOKEN: api.adminToken,
		...(mode.beta ? {ENABLE_BETA: "1"} : {}),
	});
	const args = ["test", "-count=1", "-json", "-timeout=10m", "-run", `^(${tests.join("|")})$`, GO_TFE];
	const child = spawn("go", args, {cwd: MODULE_DIR, env, stdio: ["ignore", "pipe", "pipe"]});
	const results = new Map<string, Result>();
	const other: string[] = [];
	const stderr: string[] = [];
	child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));

	const exited = new Promise<number>((resolve, reject) => {
		child.on("error", error => reject(new Error(`could not run go (is Go 1.25 or later on PATH?): ${error.message}`)));
		child.on("close", code => resolve(code ?? 1));
	});
	for await (const line of createInterface({input: child.stdout})) {
		let event: TestEvent;
		try {
			event = JSON.parse(line) as TestEvent;
		} catch {
			other.push(`${line}\n`);
			continue;
		}
		if (event.Test === undefined) {
			if (event.Output !== undefined) other.push(event.Output);
			continue;
		}
		let result = results.get(event.Test);
		if (result === undefined) {
			result = {status: undefined, elapsed: 0, output: []};
			results.set(event.Test, result);
		}
		if (event.Output !== undefined) result.output.push(event.Output);
		if (event.Action === "pass" || event.Action === "fail" || event.Action === "skip") {
			result.status = event.Action.toUpperCase() as Status;
			result.elapsed = event.Elapsed ?? 0;
		}
	}
	return {results, other, stderr, exitCode: await exited};
}

/** Where Go's module cache holds go-tfe at the version go.mod pins, downloading it from the module proxy if need be. */
async function goTfeDir(): Promise<string> {
	const {code, stdout, stderr} = await capture("go", ["mod", "download", "-json", GO_TFE]);
	const dir = code === 0 ? (JSON.parse(stdout) as {Dir?: string}).Dir : undefined;
	if (dir === undefined) throw new Error(`go mod download ${GO_TFE} failed (exit ${code}): ${stderr.trim()}`);
	return dir;
}

function versionOf(dir: string): string {
	return /@(v[^/\\]+)$/.exec(dir)?.[1] ?? dir;
}

/** The test functions a Go test file declares, in order. */
function testNames(file: string): string[] {
	const names = [...readFileSync(file, "utf8").matchAll(/^func (Test\w*)\(t \*testing\.T\)/gm)].map(match => match[1]!);
	if (names.length === 0) throw new Error(`no tests found in ${file}`);
	return names;
}

function capture(command: string, args: readonly string[]): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {cwd: MODULE_DIR, stdio: ["ignore", "pipe", "pipe"]});
		let stdout = "";
		let stderr = "";
		child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
		child.on("error", error => reject(new Error(`could not run ${command} (is Go 1.25 or later on PATH?): ${error.message}`)));
		child.on("close", code => resolve({code: code ?? 1, stdout, stderr}));
	});
}

/** Blots out the admin token and anything shaped like an issued token. */
function scrubber(api: LocalApi): (text: string) => string {
	return text => text.split(api.adminToken).join("[admin token]").replace(TOKEN_SHAPE, "[token]");
}

function said(result: Result | undefined, text: string): boolean {
	return result?.output.some(line => line.includes(text)) ?? false;
}

/** The line a skipped test printed before `--- SKIP`, without its file:line prefix. */
function skipReason(result: Result): string {
	const line = result.output.find(text => /^\s+\S+_test\.go:\d+: /.test(text));
	return line?.replace(/^\s+\S+_test\.go:\d+: /, "").trim() ?? "no reason given";
}

function countBy<T extends string>(values: readonly T[]): Partial<Record<T, number>> {
	const counts: Partial<Record<T, number>> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

main().catch((error: unknown) => {
	console.error(`go-tfe runner: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
});
