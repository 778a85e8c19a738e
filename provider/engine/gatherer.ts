import {NODE_TIMERS, type Timer, type Timers} from "./timers";

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
 * waits 30 s at most from its first call, so a steady stream of calls is still answered: long enough for the 64
 * calls of `--parallel 64` to come 180 ms apart (11.5 s), where 10 s cut a destroy of 1,000 into batches of about
 * 55 and cost it three requests more than the 16 the engine's slots allow.
 *
 * Pauses tell how many slots the engine has: as many calls as were unanswered when one ended. Once two pauses in a
 * row have ended on the same count, and that many are unanswered again, no call can come before one is answered, so
 * the batch goes at once rather than wait out the pause: at the default --parallel of 8 a destroy of 200 tokens is
 * 25 batches, and 150 ms each was 3.75 s of a run whose engine then had nothing to do. A single pause proves
 * nothing, since an engine slow to start its calls pauses too, and so does a count of fewer than MIN_SLOTS. More
 * calls unanswered than the count, and it is raised.
 */
export const GATHER_DEFAULTS: GatherOptions = {idleMs: 150, maxIdleMs: 2000, maxWaitMs: 30_000, max: 100};

/** The fewest unanswered calls two pauses must agree on before the count is taken for the engine's slots. */
export const MIN_SLOTS = 4;

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
	private timer: Timer | undefined;
	/** Calls made and not answered yet: gathered, being flushed, or gone on their own (observe). */
	private unanswered = 0;
	/** How many calls the engine makes at most before one is answered, once two pauses have shown it. */
	private slots: number | undefined;
	/** The unanswered calls when the last pause ended. */
	private lastPause: number | undefined;

	constructor(
		private readonly flush: (batch: readonly Gathered<T, R>[]) => Promise<void>,
		private readonly options: GatherOptions = GATHER_DEFAULTS,
		private readonly timers: Timers = NODE_TIMERS,
		private readonly now: () => number = Date.now,
	) {}

	/**
	 * Counts a call that goes on its own, not through this gatherer: in the gap between calls, so that a run that
	 * gathers only once it has grown knows how far apart the engine's calls come before its first batch waits for
	 * them, and among the unanswered calls until `work` settles.
	 */
	observe<W>(work: Promise<W>): Promise<W> {
		this.noteArrival(this.now());
		this.unanswered++;
		return work.finally(() => {
			this.unanswered--;
		});
	}

	private noteArrival(now: number): void {
		if (this.lastAt !== undefined) {
			const gap = Math.min(now - this.lastAt, this.options.maxIdleMs);
			this.meanGap = this.meanGap === undefined ? gap : 0.8 * this.meanGap + 0.2 * gap;
		}
		this.lastAt = now;
	}

	add(item: T): Promise<R> {
		this.unanswered++;
		const answered = () => {
			this.unanswered--;
		};
		return new Promise<R>((resolve, reject) => {
			const batch = this.batch;
			batch.push({item, resolve, reject});
			const now = this.now();
			if (batch.length === 1) {
				this.firstAt = now;
			}
			this.noteArrival(now);
			const moreThanSlots = this.slots !== undefined && this.unanswered > this.slots;
			if (moreThanSlots) {
				this.slots = this.unanswered;
			}
			if (batch.length >= this.options.max || (!moreThanSlots && this.unanswered === this.slots)) {
				this.send(batch);
				return;
			}
			this.timers.clear(this.timer);
			const idle = Math.min(this.options.maxIdleMs, Math.max(this.options.idleMs, 3 * (this.meanGap ?? 0)));
			const untilMax = this.firstAt + this.options.maxWaitMs - now;
			this.timer = this.timers.setTimeout(() => {
				if (idle <= untilMax) {
					this.pauseEnded(this.unanswered);
				}
				this.send(batch);
			}, Math.max(0, Math.min(idle, untilMax)));
		}).finally(answered);
	}

	private pauseEnded(unanswered: number): void {
		if (unanswered >= MIN_SLOTS && unanswered === this.lastPause) {
			this.slots = Math.max(this.slots ?? 0, unanswered);
		}
		this.lastPause = unanswered;
	}

	/** Flushes `batch` unless it went already (full before its time was up). */
	private send(batch: Gathered<T, R>[]): void {
		if (batch !== this.batch || batch.length === 0) {
			return;
		}
		this.timers.clear(this.timer);
		this.batch = [];
		this.flush(batch).catch(error => {
			for (const call of batch) {
				call.reject(error);
			}
		});
	}
}
