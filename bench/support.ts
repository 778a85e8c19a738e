import {createHash} from "node:crypto";
import {performance} from "node:perf_hooks";
import type * as pulumi from "@pulumi/pulumi";
import {createImplementation, type HttpOptions} from "../dist/provider";
import {start, type LocalApi, type LocalApiOptions, type RequestLogEntry} from "../dist/provider/local-api";

/*
 * The bench measures the built package (dist/), which `npm run bench` builds first: that is what users run.
 */

/** One line of the results table. `met` is undefined where a figure has no goal. */
export interface Row {
	measure: string;
	value: string;
	goal?: string;
	met?: boolean;
}

export interface Figure {
	id: string;
	title: string;
	rows: Row[];
	/** Context printed under the table: what was run and why a number is what it is. */
	notes: string[];
	/** Everything measured, for results.json. Counts, sizes and times only; never a token. */
	data: Record<string, unknown>;
}

/**
 * Runs `action` against a local API of its own, closed afterwards. Every call gets a new port, and the provider's
 * client-side limiter is keyed by address and credential, so no two runs share a learned pace or a pause.
 */
export async function withLocalApi<T>(options: LocalApiOptions, action: (api: LocalApi) => Promise<T>): Promise<T> {
	const api = await start({host: "127.0.0.1", port: 0, ...options});
	try {
		return await action(api);
	} finally {
		await api.close();
	}
}

/** Our implementation configured through the environment, as a user's dynamic-provider host would be. */
export function ourProvider(api: LocalApi, http: Partial<HttpOptions> = {}, log: (message: string) => void = () => {}) {
	return createImplementation({env: {TFE_ADDRESS: api.url, TFE_TOKEN: api.adminToken}, http, log});
}

/**
 * The naive provider reads its configuration when its module loads, so pointing it at an API means loading it
 * afresh with that API in the environment. The environment is restored afterwards; the module keeps what it read.
 */
export function loadNaiveProvider(env: {TFE_ADDRESS: string; TFE_TOKEN: string}): pulumi.dynamic.ResourceProvider {
	const file = require.resolve("./naive-provider");
	const saved = {TFE_ADDRESS: process.env.TFE_ADDRESS, TFE_TOKEN: process.env.TFE_TOKEN};
	Object.assign(process.env, env);
	delete require.cache[file];
	try {
		return (require(file) as typeof import("./naive-provider")).naiveProvider;
	} finally {
		for (const [key, value] of Object.entries(saved)) {
			// Assigning undefined to process.env would store the string "undefined".
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	}
}

export async function timed<T>(action: () => Promise<T>): Promise<{value: T; ms: number}> {
	const started = performance.now();
	const value = await action();
	return {value, ms: performance.now() - started};
}

/** Runs `action` on every item with at most `limit` running at once; one failure does not stop the others. */
export async function inPool<T, R>(items: readonly T[], limit: number, action: (item: T, index: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
	const results: PromiseSettledResult<R>[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			try {
				results[index] = {status: "fulfilled", value: await action(items[index]!, index)};
			} catch (reason) {
				results[index] = {status: "rejected", reason};
			}
		}
	};
	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
	return results;
}

/** A fraction in [0, 1) that depends only on the seed and the index, so a mix can be repeated exactly. */
export function draw(seed: number, index: number): number {
	return createHash("sha256").update(`${seed}:${index}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** A request as "METHOD path status", with ids replaced so that equal operations read the same. */
export function describeRequest(entry: RequestLogEntry): string {
	const path = entry.path.replace(/^\/api\/v2\//, "")
		.replace(/team-[A-Za-z0-9]+/, ":team")
		.replace(/at-[A-Za-z0-9]+/, ":id")
		.replace(/apool-[A-Za-z0-9]+/, ":pool")
		.replace(/^organizations\/[A-Za-z0-9_-]+\//, "organizations/:org/");
	return `${entry.method} ${path} ${entry.status}`;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function errorMessage(reason: unknown): string {
	return reason instanceof Error ? reason.message : String(reason);
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** A line of progress on stderr, under the figure's name that run.ts printed. */
export function progress(text: string): void {
	process.stderr.write(`\n  ${text}`);
}
