import test, {type ExecutionContext} from "ava";
import {resolveSettings} from "../../provider/api/config";
import {createHttp, defaultHttpOptions} from "../../provider/api/http";
import {TeamTokens} from "../../provider/api/team-tokens";
import {type Stall, stallingServer, type StallingServer} from "../stalling-server";
import {cliStack, UP} from "./cli";

/*
 * The README's bounds at their default values, 30 s per attempt and 180 s per request, against servers that never
 * finish: in process, and through `pulumi up`. Shrunken values (tests/http.test.ts) passed while a request at the
 * defaults took 301 s in process and 392 s through the engine. Through the engine the first request is the
 * credential check of `check`, which fails the run when it gets no answer within the deadline, so the whole update
 * ends within 180 s of its first request. Each test runs for about three minutes; AVA runs the tests of one file
 * concurrently, so the file costs about that much in all.
 */

const ATTEMPT_MS = defaultHttpOptions.timeoutMs;
const DEADLINE_MS = defaultHttpOptions.deadlineMs;
/** For timers that fire late when every core is busy, as in tests/http.test.ts. */
const LATE_MS = 2000;
/** For the engine to print the provider's error and exit once the request has given up. */
const ENGINE_END_MS = 10_000;

const options = {trickleEveryMs: 3000, collectAfterMs: 1000};
const GAVE_UP = /(GET|POST|DELETE) (\S+) failed \(no response\): timed out: no complete answer within \d+\.\d s\. Gave up after \d+ attempts and (\d+\.\d) s \(the deadline is 180 s\)\./;

/** Per request (by path): each attempt's connection closed within the attempt's 30 s, none started past the deadline. */
function checkAttempts(t: ExecutionContext, server: StallingServer): void {
	for (const path of new Set(server.attempts.map(attempt => attempt.path))) {
		const attempts = server.attempts.filter(attempt => attempt.path === path);
		const lengths = attempts.map(attempt => (attempt.closed! - attempt.arrived) / 1000);
		t.true(lengths.every(s => s < (ATTEMPT_MS + LATE_MS) / 1000), `${path}: attempts of ${lengths.map(s => s.toFixed(1)).join(", ")} s`);
		const last = attempts.at(-1)!.arrived - attempts[0]!.arrived;
		t.true(last < DEADLINE_MS, `${path}: the last attempt started ${(last / 1000).toFixed(1)} s after the first`);
	}
}

for (const mode of ["silent", "stalled body", "trickle"] as const satisfies readonly Stall[]) {
	test(`in process at the defaults, a request to a ${mode} server ends by the 180 s deadline, each attempt within 30 s`, async t => {
		t.timeout(DEADLINE_MS + 60_000);
		const server = await stallingServer(mode, close => t.teardown(close), options);
		const tokens = new TeamTokens(createHttp(resolveSettings(undefined, {TFE_ADDRESS: server.url, TFE_TOKEN: "some-api-token-123"})));
		const started = performance.now();
		const error = await t.throwsAsync(tokens.readLegacy("team-abc1"));
		const elapsed = performance.now() - started;
		t.log(error!.message);
		// The retries use the deadline (the README's example gives up after 6 attempts and 180.0 s), and end by it.
		t.true(elapsed > DEADLINE_MS - ATTEMPT_MS && elapsed < DEADLINE_MS + LATE_MS, `took ${(elapsed / 1000).toFixed(1)} s`);
		t.regex(error!.message, new RegExp(`^${GAVE_UP.source}$`));
		t.true(server.attempts.length >= 2, `${server.attempts.length} attempts`);
		await server.allClosed(LATE_MS);
		checkAttempts(t, server);
	});
}

for (const mode of ["silent", "stalled body"] as const satisfies readonly Stall[]) {
	test(`through pulumi up, a ${mode} server ends the update in an error by the deadline, naming method, path, attempts and time`, async t => {
		t.timeout(DEADLINE_MS + 120_000);
		const server = await stallingServer(mode, close => t.teardown(close), options);
		const stack = await cliStack(t);
		stack.program({ci: {teamId: "team-crash1"}});
		await stack.run(["config", "set", "tfe:hostname", server.url]);
		const started = performance.now();
		const {code, output} = await stack.attempt(UP);
		const ended = performance.now();
		t.not(code, 0);
		const gaveUp = GAVE_UP.exec(output);
		t.truthy(gaveUp, output);
		t.true(Number(gaveUp?.[3]) < (DEADLINE_MS + LATE_MS) / 1000, `gave up after ${gaveUp?.[3]} s`);
		const first = server.attempts[0]?.arrived ?? ended;
		const failing = server.attempts.find(attempt => attempt.path === `/api/v2/${gaveUp?.[2]}`)?.arrived ?? first;
		t.log(`engine start-up ${((first - started) / 1000).toFixed(1)} s; ${[...new Set(server.attempts.map(attempt => attempt.path))].join(", ")}; `
			+ `first request to exit ${((ended - first) / 1000).toFixed(1)} s: ${gaveUp?.[0]}`);
		// The request that gave up is the first one the update sent (the credential check), and the update ended with it.
		t.is(failing, first, `the failing request started ${((failing - first) / 1000).toFixed(1)} s after the first request`);
		t.true(ended - first < DEADLINE_MS + ENGINE_END_MS, `pulumi up ended ${((ended - first) / 1000).toFixed(1)} s after its first request`);
		await server.allClosed(LATE_MS);
		checkAttempts(t, server);
	});
}
