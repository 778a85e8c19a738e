/**
 * Client-side pacing shared by every request to one API host with one credential. HCP Terraform limits each user
 * to a number of requests per second and says how many in `X-RateLimit-Limit`; once that is known the limiter
 * spaces requests evenly below it, so a burst of creates waits its turn here instead of collecting 429s. Until the
 * first answer arrives it lets requests through, and a 429 pauses every caller until the reset the server names.
 */
export class RateLimiter {
	private intervalMs = 0;
	private nextSlot = 0;
	private pausedUntil = 0;
	/** Requests let through before the limit was known, and when the first of them left. */
	private unpaced = 0;
	private firstUnpacedAt = 0;

	constructor(
		/** Fraction of the advertised limit to use; below 1 so that clock skew between windows does not trip it. */
		private readonly utilisation: number,
		private readonly now: () => number = Date.now,
		private readonly sleep: (ms: number) => Promise<void> = delay,
	) {}

	/** Resolves when the caller may send its request. */
	async acquire(): Promise<void> {
		if (this.intervalMs === 0 && this.unpaced++ === 0) {
			this.firstUnpacedAt = this.now();
		}
		for (;;) {
			const now = this.now();
			const slot = Math.max(now, this.nextSlot, this.pausedUntil);
			this.nextSlot = slot + this.intervalMs;
			if (slot <= now) {
				return;
			}
			await this.sleep(slot - now);
			// A 429 seen by another caller while this one slept moves everyone's turn past the reset.
			if (this.pausedUntil <= this.now()) {
				return;
			}
		}
	}

	/** Learns the limit from a response's `X-RateLimit-Limit` header (requests per second). */
	learn(limitHeader: string | null): void {
		const limit = Number(limitHeader);
		if (limitHeader && Number.isFinite(limit) && limit > 0) {
			const first = this.intervalMs === 0;
			this.intervalMs = 1000 / (limit * this.utilisation);
			if (first) {
				// The burst sent before the limit was known counts against the server's window: paced requests start
				// where they would have, had that burst been paced too, instead of adding to it within the window.
				// The server accepts at most `limit` of it; the rest come back as 429s and wait for the reset.
				this.nextSlot = Math.max(this.nextSlot, this.firstUnpacedAt + Math.min(this.unpaced, limit) * this.intervalMs);
			}
		}
	}

	/** Holds every caller back for `ms` after a 429. */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
	}
}

export function delay(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}
