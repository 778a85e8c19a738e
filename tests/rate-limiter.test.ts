import test from "ava";
import {execFile} from "node:child_process";
import {resolve} from "node:path";
import {promisify} from "node:util";
import {defaultHttpOptions} from "../provider/api/http";
import {start} from "../provider/local-api";
import {RateLimiter} from "../provider/api/rate-limiter";

/**
 * A caller's request: its answer comes `latencyMs` after it leaves (for the n-th request to leave, when a function),
 * carrying `limit` as X-RateLimit-Limit.
 */
interface Answer {
	latencyMs?: number | ((n: number) => number);
	limit?: string | null;
}

/**
 * A clock that moves only when every caller is asleep, to the earliest wake-up, so that many concurrent callers see
 * exact times.
 */
function virtualTime() {
	let now = 0;
	const timers: {at: number; wake: () => void}[] = [];
	const settle = () => new Promise(resolve => setImmediate(resolve));
	const sleep = (ms: number) => new Promise<void>(wake => {
		timers.push({at: now + ms, wake});
	});
	return {
		now: () => now,
		sleep,
		/** Sends `callers` concurrent requests through the limiter and returns when each one left, in order. */
		async sendTimes(limiter: RateLimiter, callers: number, answer: Answer = {}): Promise<number[]> {
			const sent: number[] = [];
			let done = false;
			void Promise.all(Array.from({length: callers}, async () => {
				const answered = await limiter.acquire();
				const latency = typeof answer.latencyMs === "function" ? answer.latencyMs(sent.length) : answer.latencyMs;
				sent.push(now);
				if (latency) {
					await sleep(latency);
				}
				answered(answer.limit);
			})).then(() => {
				done = true;
			});
			for (await settle(); !done; await settle()) {
				if (timers.length === 0) {
					throw new Error("callers wait with no timer set");
				}
				now = Math.max(now, Math.min(...timers.map(timer => timer.at)));
				for (const timer of timers.filter(timer => timer.at <= now)) {
					timers.splice(timers.indexOf(timer), 1);
					timer.wake();
				}
			}
			return sent.sort((a, b) => a - b);
		},
		advance(ms: number) {
			now += ms;
		},
	};
}

const times = (count: number, at: number) => Array.from({length: count}, () => at);

/** A limiter at the client's default share that has already learned `limit` from a first answer at time 0. */
async function learned(time: ReturnType<typeof virtualTime>, limit: string, utilisation = defaultHttpOptions.rateLimitUtilisation) {
	const limiter = new RateLimiter(utilisation, time.now, time.sleep);
	limiter.learn(limit);
	return limiter;
}

test("the client's default share of the limit is 0.95, so 28 requests fit a window of 30/s", t => {
	t.is(defaultHttpOptions.rateLimitUtilisation, 0.95);
	t.is(Math.floor(30 * defaultHttpOptions.rateLimitUtilisation), 28);
});

test("10 requests at 30/s go out at once: a burst within the window waits for nothing", async t => {
	const time = virtualTime();
	t.deepEqual(await time.sendTimes(await learned(time, "30"), 10), times(10, 0));
});

test("40 requests at 30/s: 28 (95% of the limit) go at once, the rest when the first leave the window", async t => {
	const time = virtualTime();
	t.deepEqual(await time.sendTimes(await learned(time, "30"), 40), [...times(28, 0), ...times(12, 1000)]);
});

test("until an answer of the API has timed a round trip, a request counts until a full second after its answer", async t => {
	const time = virtualTime();
	const sent = await time.sendTimes(await learned(time, "30"), 40, {latencyMs: 30});
	t.deepEqual(sent, [...times(28, 0), ...times(12, 1030)]);
});

test("a steady round trip costs nothing: windows follow one another a second apart", async t => {
	const time = virtualTime();
	const sent = await time.sendTimes(await learned(time, "30"), 60, {latencyMs: 30, limit: "30"});
	t.deepEqual(sent, [...times(28, 0), ...times(28, 1000), ...times(4, 2000)]);
});

test("a request slower than the fastest round trip holds its slot by the difference, as it may reach the server that late", async t => {
	const time = virtualTime();
	const limiter = await learned(time, "1", 1);
	t.deepEqual(await time.sendTimes(limiter, 1, {latencyMs: 10, limit: "1"}), [0]);
	// The next one takes 100 ms: it may have reached the server 90 ms later than the fastest would have.
	t.deepEqual(await time.sendTimes(limiter, 2, {latencyMs: n => (n === 0 ? 100 : 10), limit: "1"}), [1000, 2090]);
});

test("the window slides: a request waits only for the oldest request in the last second to leave it", async t => {
	const time = virtualTime();
	const limiter = await learned(time, "3", 1);
	t.deepEqual(await time.sendTimes(limiter, 1), [0]);
	time.advance(400);
	t.deepEqual(await time.sendTimes(limiter, 2), [400, 400]);
	time.advance(100);
	t.deepEqual(await time.sendTimes(limiter, 3), [1000, 1400, 1400], "the one from 0 leaves at 1000, the two from 400 at 1400");
	limiter.learn("not a number");
	t.deepEqual(await time.sendTimes(limiter, 1), [2000], "a bad header changes nothing");
});

test("the first request goes alone and the limit in its answer paces the rest: no burst runs into the limit unpaced", async t => {
	const time = virtualTime();
	const limiter = new RateLimiter(defaultHttpOptions.rateLimitUtilisation, time.now, time.sleep);
	const sent = await time.sendTimes(limiter, 40, {latencyMs: 10, limit: "30"});
	// One at 0, answered at 10; 27 more fill the window then, answered at 20; room again as those leave it (the
	// round trip of 10 ms is every request's, so each leaves a second after it was sent).
	t.deepEqual(sent, [0, ...times(27, 10), 1000, ...times(11, 1010)]);
});

test("a first answer that names no limit lets everyone through, and a first answer slower than a window holds no one longer", async t => {
	const time = virtualTime();
	const unlimited = new RateLimiter(defaultHttpOptions.rateLimitUtilisation, time.now, time.sleep);
	t.deepEqual(await time.sendTimes(unlimited, 50, {latencyMs: 5, limit: null}), [0, ...times(49, 5)]);
	const slow = new RateLimiter(defaultHttpOptions.rateLimitUtilisation, time.now, time.sleep);
	const start = time.now();
	t.deepEqual(await time.sendTimes(slow, 3, {latencyMs: 5000}), [start, start + 1000, start + 1000]);
});

test("requests sent before the limit was known count in the window: pacing resumes after them, not on top of them", async t => {
	const time = virtualTime();
	const limiter = new RateLimiter(defaultHttpOptions.rateLimitUtilisation, time.now, time.sleep);
	// A server that names its limit only from the second answer on: 50 go unpaced, answered at 0.
	t.deepEqual(await time.sendTimes(limiter, 50, {limit: null}), times(50, 0));
	time.advance(50);
	limiter.learn("30");
	t.deepEqual(await time.sendTimes(limiter, 1), [1000], "a burst larger than the window holds everyone until all of it has left");
	t.deepEqual(await time.sendTimes(limiter, 28), [...times(27, 1000), 2000]);
});

test("a 429's pause holds back every caller, those already waiting for room included", async t => {
	const time = virtualTime();
	const limiter = await learned(time, "2", 1);
	const waiting = time.sendTimes(limiter, 4);
	// Another request receives a 429 asking for 1.5 s while two callers wait for room in the window (due at 1000).
	limiter.pause(1500);
	t.deepEqual(await waiting, [0, 0, 1500, 1500]);
	t.deepEqual(await time.sendTimes(limiter, 1), [2500], "after the pause the window counts again");
});

/**
 * A short process through the HTTP client, as the `audit` command is: three requests at once against the local API,
 * so that two wait for the first answer (the wait bounded by a timer of up to a window), then nothing more. It
 * prints the timers still set once the last answer is in, and on exit how long after it it exited.
 */
const SHORT_PROCESS = `
const {createHttp} = require("./provider/api/http");
const settings = {baseUrl: process.env.API_URL, hostname: new URL(process.env.API_URL).host, token: process.env.API_TOKEN, tokenSource: "test", sslSkipVerify: false, namespace: "tfe"};
const http = createHttp(settings);
const request = () => http.send({method: "GET", path: "account/details", idempotent: true});
Promise.all([request(), request(), request()]).then(answers => {
	const lastAnswer = performance.now();
	process.on("exit", () => console.log(JSON.stringify({exitMs: performance.now() - lastAnswer})));
	setImmediate(() => console.log(JSON.stringify({statuses: answers.map(answer => answer.status), resources: process.getActiveResourcesInfo()})));
});
`;

test("no timer of the limiter outlives the work: a short process exits as soon as its last answer is in", async t => {
	const api = await start({teams: 1});
	t.teardown(() => api.close());
	const {stdout} = await promisify(execFile)(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", SHORT_PROCESS], {
		cwd: resolve(__dirname, ".."),
		env: {...process.env, API_URL: api.url, API_TOKEN: api.adminToken},
	});
	const [after, exited] = stdout.trim().split("\n").map(line => JSON.parse(line) as {statuses?: number[]; resources?: string[]; exitMs?: number});
	t.deepEqual(after?.statuses, [200, 200, 200]);
	t.deepEqual(after?.resources?.filter(resource => resource === "Timeout"), [], "no timer holds the process once its work is done");
	// A correctness bound, not a speed figure: a leftover timer of the first answer's window would hold it up to 1 s.
	t.true(exited!.exitMs! < 300, `exited ${Math.round(exited!.exitMs!)} ms after the last answer`);
});
