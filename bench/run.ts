import {performance} from "node:perf_hooks";
import {beforeAfter} from "./before-after";
import {burstAtRateLimit} from "./burst";
import {engineFloor} from "./engine-floor";
import {escOpen} from "./esc-open";
import {publish} from "./report";
import {previewChecks} from "./preview-checks";
import {requestsPerOperation} from "./requests";
import {scale} from "./scale";
import {pluginReady} from "./plugin-ready";
import {pluginVsDynamic} from "./plugin-vs-dynamic";
import {largeStacks} from "./large-stacks";
import {faultSoak} from "./soak";
import {stateBreakdown} from "./state-breakdown";
import {stateCost} from "./state-cost";
import {type Figure, seconds} from "./support";
import {terraformParity} from "./terraform-parity";
import {tokenAudit} from "./token-audit";
import {yamlStacks} from "./yaml-stacks";

/*
 * Figures run one after another so that none competes with another for the two cores. State cost goes first: it
 * serializes closures in this process. The engine-floor figure runs before the state breakdown and the scale figure,
 * which reuse its stacks (shared-runs.ts) rather than run 50 and 1,000 tokens again; the table is in figure order.
 */
const FIGURES: [string, string, () => Promise<Figure>][] = [
	["1", "state cost", stateCost],
	["2", "requests per operation", requestsPerOperation],
	["3", "burst at the rate limit", burstAtRateLimit],
	["4", "fault soak", faultSoak],
	["10", "preview checks", previewChecks],
	["6", "engine floor", engineFloor],
	["5", "state per TeamToken", stateBreakdown],
	["7", "scale", scale],
	["8", "up and destroy at the rate limit, beside Terraform", terraformParity],
	["9", "provider plugin beside the dynamic provider", pluginVsDynamic],
	["11", "token audit at the rate limit", tokenAudit],
	["12", "ESC adapter opens", escOpen],
	["13", "provider plugin start-up", pluginReady],
	["14", "YAML programs through the release's plugin, beside Go and Node.js floors", yamlStacks],
	["15", "large stacks: one listing, bulk revocation", largeStacks],
	["16", "the plugin beside an earlier commit's (PTT_BEFORE_ARCHIVE)", beforeAfter],
];

/**
 * BENCH_ONLY=6,8 runs those figures alone, for development; it then writes nothing, so results.md and results.json
 * only ever hold a whole run.
 */
function selected(): {figures: typeof FIGURES; whole: boolean} {
	const only = process.env.BENCH_ONLY?.split(",").map(id => id.trim()).filter(Boolean);
	if (!only?.length) return {figures: FIGURES, whole: true};
	const unknown = only.filter(id => !FIGURES.some(([figure]) => figure === id));
	if (unknown.length) throw new Error(`BENCH_ONLY: no figure ${unknown.join(", ")}; figures are ${FIGURES.map(([id]) => id).join(", ")}`);
	return {figures: FIGURES.filter(([id]) => only.includes(id)), whole: false};
}

export async function main(): Promise<void> {
	const {figures: chosen, whole} = selected();
	const startedAt = new Date();
	const started = performance.now();
	const figures: Figure[] = [];
	for (const [id, name, measure] of chosen) {
		const began = performance.now();
		process.stderr.write(`bench: ${id} ${name}...`);
		try {
			figures.push(await measure());
		} catch (error) {
			// One broken figure should not cost the others; it shows up in the table instead.
			const message = error instanceof Error ? error.message : String(error);
			figures.push({id, title: name, rows: [{measure: `${name}: error`, value: message, goal: "no error", met: false}], notes: [], data: {error: message}});
		}
		process.stderr.write(`\nbench: ${id} ${name}: ${seconds(performance.now() - began)}\n`);
	}
	figures.sort((a, b) => Number(a.id) - Number(b.id));
	publish({startedAt, totalMs: performance.now() - started, figures}, whole);
}
