import {setTimeout as sleep} from "node:timers/promises";
import type {ResolvedFaults} from "./options";

/** Routes a fault can take away (answer 404, as a server without them). */
export type FaultableRoute = "bulk-revoke";

/** What happens to one request: nothing, a 503 before any effect, or a lost answer (500/502) after the effect. */
export type FaultDecision =
	{readonly kind: "none"} | {readonly kind: "before"} | {readonly kind: "after"; readonly status: 500 | 502};

export const NO_FAULT: FaultDecision = {kind: "none"};
const BEFORE: FaultDecision = {kind: "before"};
const AFTER_500: FaultDecision = {kind: "after", status: 500};
const AFTER_502: FaultDecision = {kind: "after", status: 502};

/**
 * Decides faults with a seeded generator, so a sequential run with the same seed fails the same requests. One draw
 * per request whatever the settings, so changing fractions does not shift which later requests are picked.
 */
export class FaultInjector {
	private settings!: ResolvedFaults;
	private random!: () => number;

	constructor(settings: ResolvedFaults) {
		this.set(settings);
	}

	/** Replaces the settings and restarts the generator, so what follows depends only on these settings. */
	set(settings: ResolvedFaults): void {
		this.settings = settings;
		this.random = mulberry32(settings.seed);
	}

	/** Decides this request's fault, then waits out the injected latency (cut short when `signal` aborts). */
	async inject(signal: AbortSignal): Promise<FaultDecision> {
		const decision = this.decide();
		if (this.settings.latencyMs > 0) await sleep(this.settings.latencyMs, undefined, {signal});
		return decision;
	}

	/** Whether this route answers 404 whatever is asked, as on a server that lacks it. */
	absent(route: FaultableRoute | undefined): boolean {
		return route === "bulk-revoke" && this.settings.bulkRevokeNotFound;
	}

	/** Holds the answer to a handled change (POST, DELETE) for the injected delay (cut short when `signal` aborts). */
	async holdAnswer(signal: AbortSignal): Promise<void> {
		if (this.settings.answerDelayMs > 0) await sleep(this.settings.answerDelayMs, undefined, {signal});
	}

	private decide(): FaultDecision {
		const draw = this.random();
		const {failBefore, failAfter} = this.settings;
		if (draw < failBefore) return BEFORE;
		if (draw < failBefore + failAfter) return draw < failBefore + failAfter / 2 ? AFTER_500 : AFTER_502;
		return NO_FAULT;
	}
}

/** A small, fast 32-bit generator; statistical quality is ample for picking which requests fail. */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}
