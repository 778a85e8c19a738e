import {performance} from "node:perf_hooks";
import {burstAtRateLimit} from "./burst";
import {throughTheEngine} from "./engine";
import {publish} from "./report";
import {requestsPerOperation} from "./requests";
import {faultSoak} from "./soak";
import {stateCost} from "./state-cost";
import {type Figure, seconds} from "./support";

/*
 * Figures run one after another so that none competes with another for the two cores. State cost goes first: it
 * serializes in this process, which the engine figure later uses to run an inline program and changes directory.
 */
const FIGURES: [string, string, () => Promise<Figure>][] = [
	["1", "state cost", stateCost],
	["2", "requests per operation", requestsPerOperation],
	["3", "burst at the rate limit", burstAtRateLimit],
	["4", "fault soak", faultSoak],
	["5", "through the engine", throughTheEngine],
];

export async function main(): Promise<void> {
	const startedAt = new Date();
	const started = performance.now();
	const figures: Figure[] = [];
	for (const [id, name, measure] of FIGURES) {
		const began = performance.now();
		process.stderr.write(`bench: ${name}...`);
		try {
			figures.push(await measure());
		} catch (error) {
			// One broken figure should not cost the others; it shows up in the table instead.
			const message = error instanceof Error ? error.message : String(error);
			figures.push({id, title: name, rows: [{measure: `${name}: error`, value: message, goal: "no error", met: false}], notes: [], data: {error: message}});
		}
		process.stderr.write(` ${seconds(performance.now() - began)}\n`);
	}
	publish({startedAt, totalMs: performance.now() - started, figures});
}
