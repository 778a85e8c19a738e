import {performance} from "node:perf_hooks";

const WINDOW_MS = 1000;

/** Why a request was refused, and how long until one more would be accepted. */
export interface RateLimited {
	readonly resetMs: number;
}

/**
 * Sliding-window log: a credential may have at most `limit` accepted requests in any 1-second interval. Each
 * credential keeps a ring of its last `limit` acceptance times, so checking is O(1) and, unlike a fixed window, a
 * client cannot fit two windows' worth of requests around a window edge. Refused requests are not recorded, so they
 * do not use up budget.
 *
 * Rings are keyed by the credential object in a WeakMap, so revoked tokens' state goes away with them.
 */
export class RateLimiter {
	private rings = new WeakMap<object, {times: Float64Array; oldest: number}>();

	// The monotonic clock, not the injectable wall clock: tests freeze or jump the wall clock to expire tokens, and
	// that must not freeze or reset rate windows.
	constructor(
		private perSecond: number,
		private readonly clock: () => number = () => performance.now(),
	) {}

	/** Requests per second per credential; 0 means no limit. */
	get limit(): number {
		return this.perSecond;
	}

	/** Changes the limit and forgets all history, since rings are sized by the limit. */
	setLimit(perSecond: number): void {
		this.perSecond = perSecond;
		this.rings = new WeakMap();
	}

	/** Records one request for the credential, or refuses it without recording anything. */
	take(credential: object): RateLimited | undefined {
		if (this.perSecond === 0) return undefined;
		const now = this.clock();
		let ring = this.rings.get(credential);
		if (ring === undefined) {
			ring = {times: new Float64Array(this.perSecond).fill(-Infinity), oldest: 0};
			this.rings.set(credential, ring);
		}
		const oldestTime = ring.times[ring.oldest];
		if (now - oldestTime < WINDOW_MS) return {resetMs: oldestTime + WINDOW_MS - now};
		ring.times[ring.oldest] = now;
		ring.oldest = (ring.oldest + 1) % this.perSecond;
		return undefined;
	}
}
