/**
 * What code that schedules work takes its timers from: Node's, or a test's fake clock (tests/fake-timers.ts), so that
 * a bound of seconds or minutes is tested at its real value without waiting for it.
 */
export interface Timers {
	setTimeout(callback: () => void, ms: number): Timer;
	setInterval(callback: () => void, ms: number): Timer;
	clear(timer: Timer | undefined): void;
}

export interface Timer {
	unref(): unknown;
}

export const NODE_TIMERS: Timers = {
	setTimeout: (callback, ms) => setTimeout(callback, ms),
	setInterval: (callback, ms) => setInterval(callback, ms),
	// Node's clearTimeout clears an interval too.
	clear: timer => clearTimeout(timer as NodeJS.Timeout | undefined),
};
