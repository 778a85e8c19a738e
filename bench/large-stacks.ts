import {type BenchStack, benchStack, benchTeamIds, pulumiVersion} from "./cli-stack";
import type {Command, Measured} from "./pulumi-command";
import {type Figure, progress, type Row, seconds, withLocalApi} from "./support";

/*
 * Figure 15: a large stack at the rate limit, read and revoked through one listing per organization and bulk DELETEs
 * (engine/team-token-batches.ts). Ours and the engine's floor for the same stack (no-op dynamic resources of a
 * TeamToken's shape: the same inputs and outputs, the token secret, bench figure 6's) run the same commands with the
 * same --parallel, interleaved, each ours beside the floor measured just before it.
 */

const COUNTS = [200, 1000] as const;
const RATE_LIMIT = 30;
const PARALLEL = 64;
const COMMANDS: readonly Command[] = ["preview", "refresh", "destroy"];
/** The issue's goal for refresh and destroy of the largest count. */
const GOAL = {count: 1000, requests: 30, ratio: 1.2};

/**
 * What the same commands cost when every read and revocation was one request (bench/results.md of 2026-12-03, at the
 * default --parallel: figure 7 for 1,000 tokens, figure 8 for 200).
 */
const PER_TOKEN: Readonly<Record<string, string>> = {
	"1000 preview": "14.40 s, 1 request",
	"1000 refresh": "36.24 s, 1000 requests",
	"1000 destroy": "64.15 s, 1000 requests",
	"200 destroy": "7.92 s, 200 requests (bound 6.67 s)",
};

interface Pair {
	command: Command;
	ours: Measured;
	floor: Measured;
}

async function series(count: number): Promise<Pair[]> {
	return withLocalApi({teams: benchTeamIds(count), rateLimit: RATE_LIMIT}, async api => {
		const floor = await benchStack(`floor-${count}`, "floor-shaped");
		const ours = await benchStack(`large-${count}`, "ours", {api});
		const flags = ["--parallel", String(PARALLEL)];
		try {
			await floor.setCount(count);
			await ours.setCount(count);
			await floor.measure("up", flags);
			await ours.measure("up", flags);
			const pairs: Pair[] = [];
			for (const command of COMMANDS) {
				const step = async (stack: BenchStack) => {
					const m = await stack.measure(command, flags);
					progress(`${stack.mode} ${command}, ${count} resources: ${seconds(m.ms)}${m.requests ? `, ${m.requests.total} requests` : ""}`);
					return m;
				};
				pairs.push({command, floor: await step(floor), ours: await step(ours)});
			}
			return pairs;
		} finally {
			await floor.remove();
			await ours.remove();
		}
	});
}

function row(count: number, {command, ours, floor}: Pair): Row {
	const requests = ours.requests!;
	const ratio = ours.ms / floor.ms;
	const judged = count === GOAL.count && command !== "preview";
	const before = PER_TOKEN[`${count} ${command}`];
	return {
		measure: `large stack, ${count} TeamTokens, rateLimit ${RATE_LIMIT}/s, --parallel ${PARALLEL}: pulumi ${command}`,
		value: `${requests.total} requests (${requests.throttled} x 429); wall ${seconds(ours.ms)} / floor ${seconds(floor.ms)} = ${ratio.toFixed(2)}`
			+ (before ? `; per token before: ${before}` : ""),
		...(judged ? {goal: `< ${GOAL.requests} requests, wall <= ${GOAL.ratio} x floor`, met: requests.total < GOAL.requests && ratio <= GOAL.ratio} : {}),
	};
}

export async function largeStacks(): Promise<Figure> {
	const version = pulumiVersion();
	const runs: {count: number; pairs: Pair[]}[] = [];
	for (const count of COUNTS) runs.push({count, pairs: await series(count)});
	return {
		id: "15",
		title: "Large stacks: one listing, bulk revocation",
		rows: runs.flatMap(({count, pairs}) => pairs.map(pair => row(count, pair))),
		notes: [
			`12: pulumi ${version} CLI, file backend, --parallel ${PARALLEL}; per count a fresh local API limited to ${RATE_LIMIT} requests/s `
				+ "with one team per token, and two stacks of the bench project: ours (legacy TeamTokens, one per team, forceRegenerate: true) "
				+ "and the floor for the same stack (no-op pulumi.dynamic.Resource of a TeamToken's shape: the same inputs, the same "
				+ "eleven outputs, the token secret; no read, so refresh keeps what state holds). Both brought up (not timed), then "
				+ "preview --expect-no-changes, "
				+ "refresh and destroy, each command run on the floor and then on ours. Requests counted at the local API, 429s included. "
				+ "A TeamToken holds no organization in state: ours sends a kind's first 10 calls on their own, asks GET /organizations "
				+ "once, reads the rest from each one's team tokens (100 to a page), and revokes with DELETE "
				+ "/organizations/:name/team-tokens, up to 100 ids each, with no listing where one organization is seen "
				+ "(docs/lifecycle.md, Large stacks). "
				+ "The per-token figures before are figure 7's (1,000) and 8's (200) of 2026-12-03, at the default --parallel, from "
				+ "bench/results.md, not measured in this run.",
		],
		data: {pulumi: version, rateLimit: RATE_LIMIT, parallel: PARALLEL, runs: runs.map(({count, pairs}) => ({
			count,
			...Object.fromEntries(pairs.map(({command, ours, floor}) => [command, {ours: {ms: ours.ms, requests: ours.requests}, floorMs: floor.ms}])),
		}))},
	};
}
