/** One gathered call: what was asked, and how to answer it. */
export interface Gathered<T, R> {
	readonly item: T;
	resolve(result: R): void;
	reject(error: unknown): void;
}

export interface GatherOptions {
	/** How long the batch waits for one more call after the last one arrived. */
	idleMs: number;
	/** How long the batch waits at most, from its first call. */
	maxWaitMs: number;
	/** A batch this large goes at once. */
	max: number;
}

/**
 * The engine runs up to `--parallel` operations at once, but does not start them in one instant: it records each step
 * in its state before starting it, so calls reach the provider 20 to 50 ms apart (measured with the file backend,
 * 200 resources) until every slot is taken. A batch therefore waits until no call has arrived for 150 ms (the engine
 * has no free slot left, or nothing more to do; a stack of one waits no longer), and at most 2 s, so a steady
 * stream of calls is still answered. While it waits, the engine goes on starting operations in its other slots, so
 * the wait costs a run about 150 ms per `--parallel` operations.
 */
export const GATHER_DEFAULTS: GatherOptions = {idleMs: 150, maxWaitMs: 2000, max: 100};

/**
 * Gathers the calls that arrive together and hands them to `flush` as one batch, which answers each call on its
 * own: one call's failure is its own. A call made while a batch is being flushed starts the next batch.
 */
export class Gatherer<T, R> {
	private batch: Gathered<T, R>[] = [];
	private firstAt = 0;
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly flush: (batch: readonly Gathered<T, R>[]) => Promise<void>,
		private readonly options: GatherOptions = GATHER_DEFAULTS,
	) {}

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
			clearTimeout(this.timer);
			const wait = Math.min(this.options.idleMs, this.firstAt + this.options.maxWaitMs - now);
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
