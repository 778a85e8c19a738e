import type {Timer, Timers} from "../provider/engine/timers";

interface Pending {
	at: number;
	/** An interval's period; undefined for a timeout. */
	every?: number;
	callback: () => void;
}

/**
 * A clock and the timers that run on it, for the ESC adapter's `now` and `timers` and the gatherer's: time moves only by `advance`,
 * which fires every timer that falls due on the way, in order, each at its own time. Bounds of minutes are then
 * tested at their real values without waiting for them.
 */
export function fakeTimers(iso = new Date().toISOString()) {
	let nowMs = Date.parse(iso);
	let ids = 0;
	const pending = new Map<number, Pending>();
	const set = (callback: () => void, ms: number, every?: number): Timer & {id: number} => {
		const id = ++ids;
		pending.set(id, {at: nowMs + ms, every, callback});
		return {id, unref: () => undefined};
	};
	const timers: Timers = {
		setTimeout: (callback, ms) => set(callback, ms),
		setInterval: (callback, ms) => set(callback, ms, ms),
		clear: timer => void (timer && pending.delete((timer as Timer & {id: number}).id)),
	};
	return {
		now: () => new Date(nowMs),
		timers,
		/** The periods of the intervals set and not cleared, in ms. */
		intervals: () => [...pending.values()].flatMap(entry => entry.every === undefined ? [] : [entry.every]),
		advance(ms: number): void {
			const until = nowMs + ms;
			for (;;) {
				const next = [...pending.entries()].filter(([, entry]) => entry.at <= until).sort(([, a], [, b]) => a.at - b.at)[0];
				if (!next) break;
				const [id, entry] = next;
				nowMs = entry.at;
				if (entry.every === undefined) pending.delete(id);
				else entry.at += entry.every;
				entry.callback();
			}
			nowMs = until;
		},
	};
}
