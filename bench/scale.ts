import {type BenchStack, benchStack, benchTeamIds, pulumiVersion} from "./cli-stack";
import type {Command, Measured} from "./pulumi-command";
import {sharedRuns} from "./shared-runs";
import {type Figure, mebibytes, progress, type Row, seconds, withLocalApi} from "./support";

/*
 * Figure 7: one stack of 1,000 TeamTokens through every command a user runs on it, on an API without a rate limit
 * and on one limited to 30 requests/s (HCP Terraform's documented limit): wall time, requests, peak memory of the
 * CLI and of the dynamic-provider host, and the state file's size.
 */

/** The engine-floor figure runs this many as its largest count, and hands that run over. */
export const COUNT = 1000;
const RATE_LIMIT = 30;
const SERIES: readonly Command[] = ["up", "preview", "refresh", "destroy"];

export interface ScaleSeries {
	count: number;
	up: Measured;
	preview: Measured;
	refresh: Measured;
	destroy: Measured;
	/** The state file right after up. */
	stateFileBytes: number;
}

/** up, preview --expect-no-changes, refresh, destroy of `count` TeamTokens, the stack's `count` set first. */
export async function scaleSeries(stack: BenchStack, count: number): Promise<ScaleSeries> {
	await stack.setCount(count);
	const measured: Partial<Record<Command, Measured>> = {};
	let stateFileBytes = 0;
	for (const command of SERIES) {
		measured[command] = await stack.measure(command);
		progress(`${stack.mode} ${command}, ${count} resources: ${seconds(measured[command].ms)}, ${measured[command].requests?.total} requests`);
		if (command === "up") stateFileBytes = stack.stateFileBytes();
	}
	const {up, preview, refresh, destroy} = measured as Record<Command, Measured>;
	return {count, up, preview, refresh, destroy, stateFileBytes};
}

/** The series on a fresh API and stack of its own; rate limit 0 is none. */
async function freshSeries(rateLimit: number): Promise<ScaleSeries> {
	return withLocalApi({teams: benchTeamIds(COUNT), rateLimit}, async api => {
		const stack = await benchStack(`scale-${rateLimit}`, "ours", {api});
		try {
			return await scaleSeries(stack, COUNT);
		} finally {
			await stack.remove();
		}
	});
}

function rows(label: string, series: ScaleSeries): Row[] {
	return SERIES.map(command => {
		const m = series[command];
		const requests = m.requests!;
		const host = m.rss.seen.providerHost ? mebibytes(m.rss.bytes.providerHost) : "not started";
		return {
			measure: `scale, ${series.count} TeamTokens, ${label}: pulumi ${command}`,
			value: `${seconds(m.ms)}; ${requests.total} requests (${requests.throttled} x 429); peak RSS pulumi ${mebibytes(m.rss.bytes.cli)}, `
				+ `provider host ${host}` + (command === "up" ? `; state file ${(series.stateFileBytes / 1024).toFixed(0)} KiB after up` : ""),
		};
	});
}

export async function scale(): Promise<Figure> {
	const version = pulumiVersion();
	// The engine-floor figure's 1,000-token stack ran this very series on an unlimited API; measured again only alone.
	const unlimited = sharedRuns.unlimitedScale ?? await freshSeries(0);
	const limited = await freshSeries(RATE_LIMIT);
	const summary = (series: ScaleSeries) => ({
		stateFileBytes: series.stateFileBytes,
		...Object.fromEntries(SERIES.map(command => [command, series[command]])),
	});
	return {
		id: "7",
		title: "Scale",
		rows: [...rows("no rate limit", unlimited), ...rows(`rateLimit ${RATE_LIMIT}/s`, limited)],
		notes: [
			`7: pulumi ${version} CLI, default --parallel, file backend; ${COUNT} legacy TeamTokens (forceRegenerate: true, one per team) in `
				+ "one stack exporting nothing; up, preview --expect-no-changes, refresh --yes, destroy --yes in that order. Requests counted at "
				+ "the local API (its log drained every 100 ms, as it keeps only its latest 10,000). Peak RSS: largest sum over a sample, "
				+ "sampled from /proc every 100 ms, of the `pulumi` process (pulumi) and of the node running @pulumi/pulumi/cmd/dynamic-provider "
				+ "(provider host); the language host and the program's node are left out. The unlimited series is the engine-floor figure's "
				+ `${COUNT}-token run when that figure ran.`,
		],
		data: {pulumi: version, count: COUNT, rateLimit: RATE_LIMIT, unlimited: summary(unlimited), limited: summary(limited)},
	};
}
