import type {LocalApi} from "../dist/provider/local-api";
import {type BenchStack, benchStack, type Mode} from "./cli-stack";
import {measure} from "./pulumi-command";
import {median, progress, type Row, seconds} from "./support";

/*
 * Figure 6, continued: where the engine's time goes at one size. Two variations of the same runs: the floor with one
 * secret output (the engine's price of keeping a value secret, which every TeamToken pays for its token), and floor
 * and ours with PULUMI_SKIP_CHECKPOINTS=true, under which the file backend stops rewriting the whole state after
 * every step (the part of the engine's cost that grows with the stack). Each stack is brought up and destroyed before
 * the next starts, so no two hold the same team's token.
 */

export interface Attribution {
	count: number;
	reps: number;
	/** Median wall times in ms, per variation and command. */
	medians: Record<"secretFloor" | "floorNoCheckpoints" | "oursNoCheckpoints", {up: number; destroy: number}>;
}

type Variation = keyof Attribution["medians"];

const VARIATIONS: readonly {key: Variation; mode: Mode; checkpoints: boolean}[] = [
	{key: "secretFloor", mode: "floor-secret", checkpoints: true},
	{key: "floorNoCheckpoints", mode: "floor", checkpoints: false},
	{key: "oursNoCheckpoints", mode: "ours", checkpoints: false},
];

async function stackFor(variation: (typeof VARIATIONS)[number], api: LocalApi): Promise<BenchStack> {
	const name = variation.key.toLowerCase();
	const stack = variation.mode === "ours" ? await benchStack(name, "ours", api) : await benchStack(name, variation.mode);
	if (!variation.checkpoints) stack.cli.env.PULUMI_SKIP_CHECKPOINTS = "true";
	return stack;
}

export async function attribute(api: LocalApi, count: number, reps: number): Promise<Attribution> {
	const stacks = await Promise.all(VARIATIONS.map(async v => ({variation: v, stack: await stackFor(v, api)})));
	const runs = new Map<Variation, {up: number[]; destroy: number[]}>(VARIATIONS.map(v => [v.key, {up: [], destroy: []}]));
	try {
		for (const {stack} of stacks) await stack.setCount(count);
		for (let rep = 1; rep <= reps; rep++) {
			for (const {variation, stack} of stacks) {
				for (const command of ["up", "destroy"] as const) {
					const m = await measure(stack.cli, command, variation.mode === "ours" ? api : undefined);
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

/** The rows, against the plain floor's medians at the same count from the same run. */
export function attributionRows(a: Attribution, floor: {up: number; destroy: number}): Row[] {
	const ratio = (x: number, y: number) => `${seconds(x)} / ${seconds(y)} = ${(x / y).toFixed(2)}`;
	const of = `medians of ${a.reps}`;
	return (["up", "destroy"] as const).flatMap(command => [
		{
			measure: `engine floor, ${a.count} resources: ${command} wall, floor with one secret output / floor`,
			value: `${ratio(a.medians.secretFloor[command], floor[command])} (${of})`,
		},
		{
			measure: `engine floor, ${a.count} resources, PULUMI_SKIP_CHECKPOINTS=true: ${command} wall, ours / floor`,
			value: `${ratio(a.medians.oursNoCheckpoints[command], a.medians.floorNoCheckpoints[command])}; the floor with checkpoints takes `
				+ `${(floor[command] / a.medians.floorNoCheckpoints[command]).toFixed(1)}x as long (${of})`,
		},
	]);
}
