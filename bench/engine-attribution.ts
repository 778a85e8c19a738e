import type {LocalApi} from "../dist/provider/local-api";
import {type BenchStack, benchStack, type Mode} from "./cli-stack";
import {median, progress, type Row, seconds} from "./support";

/*
 * Figure 6, continued: where the engine's time goes at one size. The plain floor has no outputs; a TeamToken has
 * eleven, one of them secret, and the SDK and the engine pay for each. So the same runs again against a floor of a
 * TeamToken's shape (no-op provider, same inputs and outputs, token secret): ours over that floor is what this
 * package's provider adds. And both, with the plain floor, under PULUMI_SKIP_CHECKPOINTS=true, where the file
 * backend stops rewriting the whole state after every step (the part of the engine's cost that grows with the
 * stack), so that what remains is per-resource work. Each stack is brought up and destroyed before the next starts.
 */

export const SHAPED_GOAL = 1.1;

type Variation = "shaped" | "shapedNoCheckpoints" | "floorNoCheckpoints" | "oursNoCheckpoints";

const VARIATIONS: readonly {key: Variation; mode: Mode; checkpoints: boolean}[] = [
	{key: "shaped", mode: "floor-shaped", checkpoints: true},
	{key: "shapedNoCheckpoints", mode: "floor-shaped", checkpoints: false},
	{key: "floorNoCheckpoints", mode: "floor", checkpoints: false},
	{key: "oursNoCheckpoints", mode: "ours", checkpoints: false},
];

export interface Attribution {
	count: number;
	reps: number;
	/** Median wall times in ms, per variation and command. */
	medians: Record<Variation, {up: number; destroy: number}>;
}

async function stackFor(variation: (typeof VARIATIONS)[number], api: LocalApi): Promise<BenchStack> {
	return benchStack(variation.key.toLowerCase(), variation.mode, {api, ...(variation.checkpoints ? {} : {env: {PULUMI_SKIP_CHECKPOINTS: "true"}})});
}

export async function attribute(api: LocalApi, count: number, reps: number): Promise<Attribution> {
	const stacks = await Promise.all(VARIATIONS.map(async v => ({variation: v, stack: await stackFor(v, api)})));
	const runs = new Map<Variation, {up: number[]; destroy: number[]}>(VARIATIONS.map(v => [v.key, {up: [], destroy: []}]));
	try {
		for (const {stack} of stacks) await stack.setCount(count);
		for (let rep = 1; rep <= reps; rep++) {
			for (const {variation, stack} of stacks) {
				for (const command of ["up", "destroy"] as const) {
					const m = await stack.measure(command);
					progress(`${variation.key} ${command}, ${count} resources, rep ${rep}: ${seconds(m.ms)}`);
					runs.get(variation.key)![command].push(m.ms);
				}
			}
		}
	} finally {
		for (const {stack} of stacks) await stack.remove();
	}
	const medians = Object.fromEntries([...runs].map(([key, r]) => [key, {up: median(r.up), destroy: median(r.destroy)}])) as Attribution["medians"];
	return {count, reps, medians};
}

/** The rows, against ours and the plain floor at the same count from the same run (with checkpoints, the default). */
export function attributionRows(a: Attribution, same: {ours: {up: number; destroy: number}; floor: {up: number; destroy: number}}): Row[] {
	const ratio = (x: number, y: number) => `${seconds(x)} / ${seconds(y)} = ${(x / y).toFixed(2)}`;
	const of = `medians of ${a.reps}`;
	return (["up", "destroy"] as const).flatMap(command => [
		{
			measure: `engine floor, ${a.count} resources: ${command} wall, ours / floor of a TeamToken's shape (same outputs, token secret)`,
			value: `${ratio(same.ours[command], a.medians.shaped[command])}; that floor / the plain floor: `
				+ `${(a.medians.shaped[command] / same.floor[command]).toFixed(2)} (${of})`,
			goal: `<= ${SHAPED_GOAL.toFixed(2)}`,
			met: same.ours[command] / a.medians.shaped[command] <= SHAPED_GOAL,
		},
		{
			measure: `engine floor, ${a.count} resources, PULUMI_SKIP_CHECKPOINTS=true: ${command} wall, ours / floor of a TeamToken's shape`,
			value: `${ratio(a.medians.oursNoCheckpoints[command], a.medians.shapedNoCheckpoints[command])}; ours / the plain floor `
				+ `${(a.medians.oursNoCheckpoints[command] / a.medians.floorNoCheckpoints[command]).toFixed(2)}; checkpoints make the plain `
				+ `floor ${(same.floor[command] / a.medians.floorNoCheckpoints[command]).toFixed(1)}x as long (${of})`,
		},
	]);
}
