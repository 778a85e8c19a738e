import {performance} from "node:perf_hooks";
import type {LocalApi} from "../dist/provider/local-api";
import {type PulumiCli, PulumiCliError} from "../tests/pulumi-cli";
import {type RssPeaks, sampleRss} from "./processes";
import {type RequestCount, RequestCounter} from "./request-counter";

/** The commands the bench times, with the flags a CI job would pass. */
export const COMMANDS = {
	up: ["up", "--yes", "--non-interactive", "--skip-preview"],
	preview: ["preview", "--expect-no-changes", "--non-interactive"],
	refresh: ["refresh", "--yes", "--non-interactive", "--skip-preview"],
	destroy: ["destroy", "--yes", "--non-interactive", "--skip-preview"],
} as const;

export type Command = keyof typeof COMMANDS;

export interface Measured {
	command: Command;
	/** From spawning `pulumi` to its exit: the engine, language host and provider host, not the bench's setup. */
	ms: number;
	/** When `pulumi` was spawned, epoch ms, to place the requests in the command's time. */
	startedAt: number;
	/** Requests the local API answered meanwhile; absent when no API was given. */
	requests?: RequestCount;
	rss: RssPeaks;
}

const SAMPLE_MS = 100;

/**
 * Runs one `pulumi` command in the stack (with `flags` after the command's own), timed, its process tree's memory sampled and, when `api` is given, the
 * requests it made counted. Rejects with PulumiCliError when the command fails.
 */
export async function measure(cli: PulumiCli, command: Command, api?: LocalApi, flags: readonly string[] = []): Promise<Measured> {
	const counter = api && new RequestCounter(api);
	const startedAt = Date.now();
	const started = performance.now();
	const {child, done} = cli.start([...COMMANDS[command], ...flags], {quiet: true});
	const sampler = sampleRss(child.pid!, SAMPLE_MS);
	const draining = counter && setInterval(() => counter.drain(), SAMPLE_MS);
	const stop = () => {
		clearInterval(draining);
		counter?.drain();
		return sampler.stop();
	};
	const result = await done.catch((error: unknown) => {
		stop();
		throw error;
	});
	const ms = performance.now() - started;
	const rss = stop();
	if (result.code !== 0) throw new PulumiCliError(`pulumi ${COMMANDS[command].join(" ")}`, result);
	return {command, ms, startedAt, rss, ...(counter ? {requests: counter.count} : {})};
}
