import test from "ava";
import {RateLimiter} from "../provider/api/rate-limiter";

/** A clock that only moves when a caller sleeps, so timings are exact. */
function virtualTime() {
	let now = 0;
	return {now: () => now, sleep: async (ms: number) => { now += ms; }, at: () => now};
}

test("until it learns the limit the limiter lets every request through at once", async t => {
	const time = virtualTime();
	const limiter = new RateLimiter(1, time.now, time.sleep);
	for (let i = 0; i < 5; i++) {
		await limiter.acquire();
	}
	t.is(time.at(), 0);
});

test("after learning X-RateLimit-Limit it spaces requests to the given share of it", async t => {
	const time = virtualTime();
	const limiter = new RateLimiter(0.5, time.now, time.sleep);
	limiter.learn("10");
	const sent: number[] = [];
	for (let i = 0; i < 4; i++) {
		await limiter.acquire();
		sent.push(time.at());
	}
	t.deepEqual(sent, [0, 200, 400, 600]);
	limiter.learn("not a number");
	await limiter.acquire();
	t.is(time.at(), 800, "a bad header changes nothing");
});

test("requests sent before the limit was known count: pacing resumes after them, not on top of them", async t => {
	const time = virtualTime();
	const limiter = new RateLimiter(0.5, time.now, time.sleep);
	for (let i = 0; i < 3; i++) {
		await limiter.acquire();
	}
	await time.sleep(50);
	limiter.learn("10");
	await limiter.acquire();
	t.is(time.at(), 600, "three unpaced requests from 0 take the slots at 0, 200 and 400");
	await limiter.acquire();
	t.is(time.at(), 800);
});

test("a pause holds back callers that are already waiting for their turn", async t => {
	let now = 0;
	const limiter = new RateLimiter(1, () => now, async ms => {
		// While the first caller sleeps, another request receives a 429 asking for 1 s.
		if (now === 0) {
			limiter.pause(1000);
		}
		now += ms;
	});
	limiter.learn("10");
	await limiter.acquire();
	await limiter.acquire();
	t.true(now >= 1000, `went at ${now} ms, inside the pause`);
});
