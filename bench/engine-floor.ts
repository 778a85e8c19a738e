import {type BenchStack, benchStack, benchTeamIds, pulumiVersion} from "./cli-stack";
import {attribute, attributionRows} from "./engine-attribution";
import type {Command, Measured} from "./pulumi-command";
import {COUNT as SCALE_COUNT, scaleSeries} from "./scale";
import {sharedRuns} from "./shared-runs";
import {type Figure, median, progress, type Row, seconds, withLocalApi} from "./support";

/*
 * Figure 6: what TeamTokens cost over the engine's own floor. The same project, engine, parallelism and machine run
 * `count` no-op dynamic resources (floor) and `count` legacy TeamTokens (ours) against a local API without a rate
 * limit, interleaved, so that a slow minute of the machine lands on both.
 */

/** Resource counts, and how many interleaved repetitions each gets (medians are taken). */
const SIZES: readonly {count: number; reps: number}[] = [{count: 50, reps: 3}, {count: 200, reps: 3}, {count: 1000, reps: 1}];
const RATIO_GOAL = 1.1;
const STATE_SAMPLE_COUNT = 50;
/** Ours' per-resource wall may grow this much more than the floor's, from the smallest count to a larger one. */
const FLAT_GOAL = 1.1;
/** The count at which figure 6 also attributes the engine's time (engine-attribution.ts). */
const ATTRIBUTION = {count: 200, reps: 3};

interface SizeResult {
	count: number;
	reps: number;
	/** Median wall times in ms. */
	floorUp: number;
	oursUp: number;
	floorDestroy: number;
	oursDestroy: number;
	/** Every repetition, for results.json. */
	runs: Record<`${"floor" | "ours"}${"Up" | "Destroy"}`, number[]>;
}

/**
 * One repetition: floor up, ours up, floor destroy, ours destroy. The first of 1,000 is also the scale figure's
 * unlimited series (ours gets preview and refresh between up and destroy), the first of 50 the state sample.
 */
async function repetition(floor: BenchStack, ours: BenchStack, count: number, rep: number, record: (key: keyof SizeResult["runs"], m: Measured) => void) {
	const step = async (stack: BenchStack, command: Command) => {
		const m = await stack.measure(command);
		progress(`${stack.mode} ${command}, ${count} resources, rep ${rep}: ${seconds(m.ms)}`);
		return m;
	};
	record("floorUp", await step(floor, "up"));
	if (count === SCALE_COUNT && rep === 1) {
		const series = await scaleSeries(ours, count);
		sharedRuns.unlimitedScale = series;
		record("oursUp", series.up);
		record("floorDestroy", await step(floor, "destroy"));
		record("oursDestroy", series.destroy);
		return;
	}
	record("oursUp", await step(ours, "up"));
	const sampled = count === STATE_SAMPLE_COUNT && rep === 1 ? {exported: await ours.exportState(), stateFileBytes: ours.stateFileBytes()} : undefined;
	record("floorDestroy", await step(floor, "destroy"));
	record("oursDestroy", await step(ours, "destroy"));
	if (sampled) sharedRuns.stateSample = {count, ...sampled, emptyStateFileBytes: ours.stateFileBytes()};
}

async function measureSize(floor: BenchStack, ours: BenchStack, count: number, reps: number): Promise<SizeResult> {
	await floor.setCount(count);
	await ours.setCount(count);
	const runs: SizeResult["runs"] = {floorUp: [], oursUp: [], floorDestroy: [], oursDestroy: []};
	for (let rep = 1; rep <= reps; rep++) {
		await repetition(floor, ours, count, rep, (key, m) => runs[key].push(m.ms));
	}
	return {
		count,
		reps,
		floorUp: median(runs.floorUp),
		oursUp: median(runs.oursUp),
		floorDestroy: median(runs.floorDestroy),
		oursDestroy: median(runs.oursDestroy),
		runs,
	};
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const signedMs = (value: number) => `${value < 0 ? "" : "+"}${ms(value)}`;

function ratioRows(r: SizeResult): Row[] {
	const of = r.reps > 1 ? `medians of ${r.reps}` : "one run";
	return (["Up", "Destroy"] as const).map(phase => {
		const ours = r[`ours${phase}`];
		const floor = r[`floor${phase}`];
		return {
			measure: `engine floor, ${r.count} resources: ${phase.toLowerCase()} wall, ours / floor`,
			value: `${seconds(ours)} / ${seconds(floor)} = ${(ours / floor).toFixed(2)} (${of})`,
			goal: `<= ${RATIO_GOAL.toFixed(2)}`,
			met: ours / floor <= RATIO_GOAL,
		};
	});
}

/**
 * Per-resource wall at each count, for ours and the floor. The engine's own per-resource cost is not flat (the file
 * backend rewrites the whole state after every step, so it grows with the stack, and a fixed start-up is spread over
 * fewer resources at small counts); what is ours is flat when ours grows as the floor does, from the smallest count
 * to each larger one.
 */
function flatnessRows(results: SizeResult[]): Row[] {
	const [smallest] = results;
	const list = (values: number[]) => values.map(ms).join(" / ");
	return (["Up", "Destroy"] as const).map(phase => {
		const per = (r: SizeResult, who: "ours" | "floor") => r[`${who}${phase}`] / r.count;
		const growth = results.slice(1).map(r => {
			const ours = per(r, "ours") / per(smallest!, "ours");
			const floor = per(r, "floor") / per(smallest!, "floor");
			return {count: r.count, ours, floor, relative: ours / floor};
		});
		return {
			measure: `engine floor: per-resource ${phase.toLowerCase()} wall at ${results.map(r => r.count).join(" / ")}`,
			value: `ours ${list(results.map(r => per(r, "ours")))}; floor ${list(results.map(r => per(r, "floor")))}; `
				+ `ours over floor ${results.map(r => signedMs(per(r, "ours") - per(r, "floor"))).join(" / ")}; growth from ${smallest!.count}: `
				+ growth.map(g => `${g.count}: ours ${g.ours.toFixed(2)}x, floor ${g.floor.toFixed(2)}x`).join("; "),
			goal: `ours grows as the floor: each ${growth.map(g => g.count).join(", ")} ours/floor growth <= ${FLAT_GOAL}`,
			met: growth.every(g => g.relative <= FLAT_GOAL),
		};
	});
}

export async function engineFloor(): Promise<Figure> {
	const version = pulumiVersion();
	const largest = Math.max(...SIZES.map(s => s.count));
	return withLocalApi({teams: benchTeamIds(largest)}, async api => {
		const floor = await benchStack("floor", "floor");
		const ours = await benchStack("ours", "ours", {api});
		const results: SizeResult[] = [];
		try {
			for (const {count, reps} of SIZES) results.push(await measureSize(floor, ours, count, reps));
		} finally {
			await floor.remove();
			await ours.remove();
		}
		const attribution = await attribute(api, ATTRIBUTION.count, ATTRIBUTION.reps);
		const attributed = results.find(r => r.count === ATTRIBUTION.count)!;
		return {
			id: "6",
			title: "Engine floor",
			rows: [
				...results.flatMap(ratioRows),
				...flatnessRows(results),
				...attributionRows(attribution, {
					ours: {up: attributed.oursUp, destroy: attributed.oursDestroy},
					floor: {up: attributed.floorUp, destroy: attributed.floorDestroy},
				}),
			],
			notes: [
				`6: pulumi ${version} CLI as child processes (no Automation API), file backend, default --parallel, one plain-JS project `
					+ "exporting nothing, a stack per mode. floor: no-op pulumi.dynamic.Resource (create returns a random id and no outputs, delete "
					+ "does nothing); ours: legacy TeamTokens, one per team, forceRegenerate: true, local API without a rate limit, in the bench's "
					+ `process. Counts ${SIZES.map(s => `${s.count} x${s.reps}`).join(", ")}, repetitions interleaved (floor up, ours up, floor `
					+ "destroy, ours destroy); times are of the pulumi process only (spawn to exit), not of project or stack setup. Per-resource "
					+ "wall = wall / count, fixed start-up included; the engine's own grows with the count (each step rewrites the state file), "
					+ `so "flat" is judged on what is ours: ours' per-resource growth from the smallest count within ${FLAT_GOAL}x of the floor's. `
					+ `At ${ATTRIBUTION.count} resources also: a floor of a TeamToken's shape (no-op pulumi.dynamic.Resource with the same `
					+ "inputs, the same eleven outputs and the token secret), and, under PULUMI_SKIP_CHECKPOINTS=true (no state write per step, "
					+ "unsafe if a run dies), that floor, the plain floor and ours; each brought up and destroyed in turn, medians of "
					+ `${ATTRIBUTION.reps}.`,
			],
			data: {pulumi: version, parallel: "default", sizes: results, attribution},
		};
	});
}
