import {delay} from "../api/rate-limiter";

/** One gathered call: what was asked, and how to answer it. */
export interface Gathered<T, R> {
	readonly item: T;
	resolve(result: R): void;
	reject(error: unknown): void;
}

/**
 * How long a gatherer waits, from the first call of a batch, for the calls that arrive with it. The engine starts up
 * to `--parallel` operations at once, and their calls reach the provider within a few milliseconds of each other;
 * 50 ms gathers them, and costs a stack of one no more than that.
 */
export const GATHER_WINDOW_MS = 50;

/**
 * Gathers the calls that arrive together (within `windowMs` of the first, at most `max` of them) and hands them to
 * `flush` as one batch, which answers each call on its own: one call's failure is its own. A call made while a
 * batch is being flushed starts the next batch.
 */
export class Gatherer<T, R> {
	private batch: Gathered<T, R>[] = [];

	constructor(
		private readonly flush: (batch: readonly Gathered<T, R>[]) => Promise<void>,
		private readonly options: {windowMs: number; max: number; sleep?: (ms: number) => Promise<void>} = {windowMs: GATHER_WINDOW_MS, max: 100},
	) {}

	add(item: T): Promise<R> {
		return new Promise<R>((resolve, reject) => {
			const batch = this.batch;
			batch.push({item, resolve, reject});
			if (batch.length === 1) {
				void (this.options.sleep ?? delay)(this.options.windowMs).then(() => this.send(batch));
			}
			if (batch.length >= this.options.max) {
				this.send(batch);
			}
		});
	}

	/** Flushes `batch` unless it went already (full before its window closed). */
	private send(batch: Gathered<T, R>[]): void {
		if (batch !== this.batch || batch.length === 0) {
			return;
		}
		this.batch = [];
		this.flush(batch).catch(error => {
			for (const call of batch) {
				call.reject(error);
			}
		});
	}
}
