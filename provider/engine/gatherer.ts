/** One gathered call: what was asked, and how to answer it. */
export interface Gathered<T, R> {
	readonly item: T;
	resolve(result: R): void;
	reject(error: unknown): void;
}

export interface GatherOptions {
	/** How long the batch waits for one more call after the last one, at least. */
	idleMs: number;
	/** How long it waits at most after the last one, however far apart the calls have come. */
	maxIdleMs: number;
	/** How long the batch waits at most, from its first call. */
	maxWaitMs: number;
	/** A batch this large goes at once. */
	max: number;
}

/**
 * The engine runs up to `--parallel` operations at once, but does not start them in one instant: it records each step
 * in its state before starting it, so calls reach the provider one by one, 20 to 50 ms apart with 200 resources in
 * state and about 180 ms apart with 1,000 (file backend, measured by bench figure 15), until every slot is taken. A
 * batch therefore waits until no call has come for three times the mean gap between recent calls (at least 150 ms,
 * at most 2 s): the engine has no free slot left, or nothing more to do. While a
 * batch waits, the engine goes on starting operations in its other slots, so the wait costs a run little; a batch
 * waits 10 s at most from its first call, so a steady stream of calls is still answered.
 */
export const GATHER_DEFAULTS: GatherOptions = {idleMs: 150, maxIdleMs: 2000, maxWaitMs: 10_000, max: 100};

/**
 * Gathers the calls that arrive together and hands them to `flush` as one batch, which answers each call on its
 * own: one call's failure is its own. A call made while a batch is being flushed starts the next batch.
 */
export class Gatherer<T, R> {
	private batch: Gathered<T, R>[] = [];
	private firstAt = 0;
	private lastAt: number | undefined;
	/** The mean gap between consecutive calls, recent ones weighing most, across batches. */
	private meanGap: number | undefined;
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly flush: (batch: readonly Gathered<T, R>[]) => Promise<void>,
		private readonly options: GatherOptions = GATHER_DEFAULTS,
	) {}

	/**
	 * Counts a call that went on its own, not through this gatherer, in the gap between calls: a run that gathers only
	 * once it has grown then knows how far apart the engine's calls come before its first batch waits for them.
	 */
	observe(): void {
		this.noteArrival(Date.now());
	}

	private noteArrival(now: number): void {
		if (this.lastAt !== undefined) {
			const gap = Math.min(now - this.lastAt, this.options.maxIdleMs);
			this.meanGap = this.meanGap === undefined ? gap : 0.8 * this.meanGap + 0.2 * gap;
		}
		this.lastAt = now;
	}

	add(item: T): Promise<R> {
		return new Promise<R>((resolve, reject) => {
			const batch = this.batch;
			batch.push({item, resolve, reject});
			if (batch.length >= this.options.max) {
				this.send(batch);
				return;
			}
			const now = Date.now();
			if (batch.length === 1) {
				this.firstAt = now;
			}
			this.noteArrival(now);
			clearTimeout(this.timer);
			const idle = Math.min(this.options.maxIdleMs, Math.max(this.options.idleMs, 3 * (this.meanGap ?? 0)));
			const wait = Math.min(idle, this.firstAt + this.options.maxWaitMs - now);
			this.timer = setTimeout(() => this.send(batch), Math.max(0, wait));
		});
	}

	/** Flushes `batch` unless it went already (full before its time was up). */
	private send(batch: Gathered<T, R>[]): void {
		if (batch !== this.batch || batch.length === 0) {
			return;
		}
		clearTimeout(this.timer);
		this.batch = [];
		this.flush(batch).catch(error => {
			for (const call of batch) {
				call.reject(error);
			}
		});
	}
}
