/** The span HCP Terraform counts its per-second limit over. */
const WINDOW_MS = 1000;

/** Called once a request's answer (or failure) is in, with the answer's `X-RateLimit-Limit` header if any. */
export type Answered = (limitHeader?: string | null) => void;

/**
 * Client-side pacing shared by every request to one API host with one credential. HCP Terraform limits each user
 * to a number of requests per second and says how many in `X-RateLimit-Limit`. The limiter counts the requests of
 * the last second: while they are fewer than its share of the limit a request goes at once, so a burst the server
 * would accept costs nothing; once the window is full the next request waits until the oldest one leaves it,
 * instead of collecting a 429. The server counts a request from its arrival, somewhere between its sending and its
 * answer, so a window kept by send times frees a slot before the server's does whenever that request took longer
 * to arrive than the next one will: a burst sent at a window's edge then meets the server's window still full.
 * So a request counts until a second after its answer, less the fastest round trip seen (the part of every round
 * trip that the next request pays too): a steady latency costs nothing, a request slower than that holds its slot
 * by the difference.
 *
 * The first request of a process goes alone, and the rest wait for its answer (at most a window) to learn the limit
 * from: a burst sent before it is known meets the limit with nothing to pace it, and a 429 for each request past
 * it. Whatever went out before the limit was known counts in the window. A 429 pauses every caller until the
 * reset the server names.
 */
export class RateLimiter {
	/** Requests allowed in one window; 0 while the limit is not known (or the server names none). */
	private capacity = 0;
	/** Each request in the window: when it left, and when its answer came in (Infinity while it has none). */
	private window: {sentAt: number; answeredAt: number}[] = [];
	/** The fastest round trip of an answer that named the limit; Infinity until there is one (nothing is taken off). */
	private fastestMs = Infinity;
	private pausedUntil = 0;
	/** Callers in `acquire` held back: by a pause, the first answer, or a full window. */
	private waiting = 0;
	private firstSentAt: number | undefined;
	private answered = false;
	/** Resolves on the next answer, for callers waiting on one. */
	private nextAnswer!: Promise<void>;
	private wake!: () => void;

	constructor(
		/**
		 * Fraction of the advertised limit to use per window; below 1 for a server whose window other clients of the
		 * same user share, and for latency that varies.
		 */
		private readonly utilisation: number,
		private readonly now: () => number = () => performance.now(),
		private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = delay,
	) {
		this.expectAnswer();
	}

	/** Resolves when the caller may send its request; the caller then reports the answer through what it returns. */
	async acquire(): Promise<Answered> {
		for (;;) {
			const now = this.now();
			if (this.pausedUntil > now) {
				await this.held(this.sleep(this.pausedUntil - now));
				continue;
			}
			if (this.capacity === 0 && !this.answered && this.firstSentAt !== undefined && now < this.firstSentAt + WINDOW_MS) {
				// The timer ends with the wait: left to run out after the answer, it would keep a short process (the
				// `audit` command) alive for up to a window after its work is done.
				const answeredFirst = new AbortController();
				await this.held(Promise.race([this.nextAnswer, this.sleep(this.firstSentAt + WINDOW_MS - now, answeredFirst.signal)]).finally(() => answeredFirst.abort()));
				continue;
			}
			this.window = this.window.filter(request => this.leaves(request) > now);
			if (this.capacity === 0 || this.window.length < this.capacity) {
				return this.admit(now);
			}
			// The request that has to leave the window before there is room: a burst sent before the limit was known
			// may hold more than the capacity, and all of it counts.
			const leaving = this.window.map(request => this.leaves(request)).sort((a, b) => a - b)[this.window.length - this.capacity]!;
			await this.held(leaving === Infinity ? this.nextAnswer : this.sleep(leaving - now));
		}
	}

	/** Whether the server limits the rate: until its first answer it is assumed to, as HCP Terraform does. */
	limited(): boolean {
		return this.capacity > 0 || !this.answered;
	}

	/** Learns the limit from a response's `X-RateLimit-Limit` header (requests per second). */
	learn(limitHeader: string | null | undefined): void {
		const limit = Number(limitHeader);
		if (limitHeader && Number.isFinite(limit) && limit > 0) {
			this.capacity = Math.max(1, Math.floor(limit * this.utilisation));
		}
	}

	/** Holds every caller back for `ms` after a 429. */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
	}

	private admit(now: number): Answered {
		const request = {sentAt: now, answeredAt: Infinity};
		this.window.push(request);
		this.firstSentAt ??= now;
		let reported = false;
		return limitHeader => {
			if (reported) {
				return;
			}
			reported = true;
			request.answeredAt = this.now();
			// Only an answer of the API times a round trip: a request that failed, or never left, proves nothing.
			if (limitHeader) {
				this.fastestMs = Math.min(this.fastestMs, request.answeredAt - request.sentAt);
			}
			// Learned before anyone waiting is woken, so that they find the limit.
			this.learn(limitHeader);
			this.answered = true;
			const wake = this.wake;
			this.expectAnswer();
			wake();
		};
	}

	/** When a request leaves the window; Infinity while its answer is out. */
	private leaves(request: {sentAt: number; answeredAt: number}): number {
		return request.answeredAt - (this.fastestMs === Infinity ? 0 : this.fastestMs) + WINDOW_MS;
	}

	/** Counts the caller as held back while `wait` lasts. */
	private async held(wait: Promise<unknown>): Promise<void> {
		this.waiting++;
		try {
			await wait;
		} finally {
			this.waiting--;
		}
	}

	private expectAnswer(): void {
		this.nextAnswer = new Promise(resolve => {
			this.wake = resolve;
		});
	}
}

/** Resolves after `ms`, or at once when `signal` aborts, its timer then cleared. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener("abort", () => {
			clearTimeout(timer);
			resolve();
		}, {once: true});
	});
}
