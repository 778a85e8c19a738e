import type {ExecutionContext} from "ava";
import {createImplementation, type ProviderDependencies} from "../provider/engine/crud";
import {start, type LocalApi, type LocalApiOptions} from "../provider/local-api";
import {scratchDir} from "./scratch";

export {authenticates, requestsOf} from "./probe";

export const FUTURE = "2034-06-01T00:00:00Z";

/** A clock tests can move. */
export function fakeClock(iso = "2026-11-28T00:00:00.000Z") {
	let now = new Date(iso);
	return {
		now: () => new Date(now),
		advanceDays(days: number) {
			now = new Date(now.getTime() + days * 86_400_000);
		},
	};
}

/**
 * Starts a local API for one test (closed when the test ends) and a provider implementation pointed at it through
 * the environment, as a user would configure it. Retries wait a millisecond instead of seconds.
 */
export async function setup(t: ExecutionContext, options: LocalApiOptions = {}, deps: ProviderDependencies = {}) {
	const api: LocalApi = await start({teams: ["team-abc1", "team-abc2"], ...options});
	t.teardown(() => api.close());
	const logs: string[] = [];
	const env = {TFE_ADDRESS: api.url, TFE_TOKEN: api.adminToken, HOME: scratchDir("home")};
	const provider = createImplementation({
		env,
		log: message => logs.push(message),
		...deps,
		http: {sleep: async () => {}, ...deps.http},
	});
	return {api, provider, logs, env};
}

/** Runs `check` the way the engine does and fails the test on any failure. */
export async function checked(provider: ReturnType<typeof createImplementation>, news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
	const result = await provider.check(olds, news);
	if (result.failures?.length) {
		throw new Error(`unexpected check failures: ${JSON.stringify(result.failures)}`);
	}
	return result.inputs!;
}

/**
 * A fetch for the provider that, once armed, loses the answer to the next POST whose URL holds `part`: the API acts,
 * the provider sees a 502, as after a dropped connection.
 */
export function losingNextPost(part: string) {
	let armed = false;
	return {
		arm: () => {
			armed = true;
		},
		fetch: async (input: string | URL | Request, init?: RequestInit) => {
			const response = await fetch(input, init);
			const request = input instanceof Request ? input : new Request(input, init);
			if (request.method === "POST" && armed && request.url.includes(part)) {
				armed = false;
				return new Response(JSON.stringify({errors: [{status: "502", title: "bad gateway"}]}), {status: 502, headers: {"content-type": "application/vnd.api+json"}});
			}
			return response;
		},
	};
}
