import {existsSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {scratchDir} from "../tests/scratch";
import {benchTeamIds, pulumiVersion} from "./cli-stack";
import {ourArchive, VERSION} from "./plugins";
import {measure} from "./pulumi-command";
import {type Figure, median, progress, seconds, withLocalApi} from "./support";
import {emptyYamlStack, yamlProgram} from "./yaml-stacks";

/*
 * Figure 16: whether the plugin got slower than an earlier commit's, measured in one run. PTT_BEFORE_ARCHIVE names
 * the release archive for this machine of that commit (docs/benchmarks.md says how to build one); figure 14's YAML
 * program of 200 legacy TeamTokens, at 30 requests/s, goes through it and through this commit's archive in turn,
 * `up` then `destroy`, medians of 3. Without PTT_BEFORE_ARCHIVE the figure says so and runs nothing.
 */

const COUNT = 200;
const RATE_LIMIT = 30;
const REPS = 3;
const PACKAGE = {name: "tfe-tokens", version: VERSION};
const SIDES = ["before", "now"] as const;

export async function beforeAfter(): Promise<Figure> {
	const before = process.env.PTT_BEFORE_ARCHIVE && resolve(process.env.PTT_BEFORE_ARCHIVE);
	if (!before || !existsSync(before)) {
		return {
			id: "16",
			title: "The plugin beside an earlier commit's",
			rows: [{measure: "200 TeamTokens at 30 requests/s, this commit's plugin / an earlier commit's", value: "not run: PTT_BEFORE_ARCHIVE names no archive", goal: "reported", met: true}],
			notes: [],
			data: {skipped: true},
		};
	}
	const archives = {before, now: await ourArchive()};
	// Two stacks, each with its own teams, so neither regenerates the other's tokens, and its own PULUMI_HOME, since
	// both plugins are tfe-tokens of the same version.
	const teams = benchTeamIds(2 * COUNT);
	const times: Record<`${(typeof SIDES)[number]} ${"up" | "destroy"}`, number[]> = {"before up": [], "now up": [], "before destroy": [], "now destroy": []};
	const requests: Record<string, number[]> = {};
	await withLocalApi({teams, rateLimit: RATE_LIMIT}, async api => {
		const stacks = [];
		for (const [i, side] of SIDES.entries()) {
			const project = `ptt-bench-${side}`;
			const stack = await emptyYamlStack(project, PACKAGE.name, side, scratchDir(`${side}-home`), api);
			await stack.cli.run(["plugin", "install", "resource", PACKAGE.name, PACKAGE.version, "--file", archives[side]]);
			writeFileSync(join(stack.dir, "Pulumi.yaml"), yamlProgram(project, PACKAGE, teams.slice(i * COUNT, (i + 1) * COUNT)));
			stacks.push({side, ...stack});
		}
		for (let rep = 1; rep <= REPS; rep++) {
			for (const command of ["up", "destroy"] as const) {
				for (const {side, cli} of stacks) {
					const m = await measure(cli, command, api);
					times[`${side} ${command}`].push(m.ms);
					(requests[`${side} ${command}`] ??= []).push(m.requests?.total ?? 0);
					progress(`rep ${rep}: ${side} ${command} ${seconds(m.ms)}, ${m.requests?.total} requests, ${m.requests?.throttled} x 429`);
				}
			}
		}
		for (const {cli} of stacks) await cli.remove();
	});
	return {
		id: "16",
		title: "The plugin beside an earlier commit's",
		rows: (["up", "destroy"] as const).map(command => {
			const [was, is] = [median(times[`before ${command}`]), median(times[`now ${command}`])];
			return {
				measure: `YAML program, ${COUNT} TeamTokens, API at ${RATE_LIMIT} requests/s: pulumi ${command}, this commit's plugin / the earlier one's`,
				value: `${seconds(is)} / ${seconds(was)} = ${(is / was).toFixed(2)} (medians of ${REPS}; requests ${requests[`now ${command}`]!.join(", ")} `
					+ `against ${requests[`before ${command}`]!.join(", ")})`,
				goal: "reported",
				met: true,
			};
		}),
		notes: [
			`16: pulumi ${pulumiVersion()} CLI and YAML language host, default --parallel; figure 14's program of ${COUNT} legacy TeamTokens `
				+ `(forceRegenerate: true, one per team) through ${before} and through this commit's release archive, each stack with its own `
				+ `${COUNT} teams and PULUMI_HOME, on one local API at ${RATE_LIMIT} requests/s; ${REPS} repetitions, earlier then this commit's, `
				+ "up then destroy; times of the pulumi process (spawn to exit), requests counted at the local API.",
		],
		data: {count: COUNT, rateLimit: RATE_LIMIT, before, times, requests},
	};
}
