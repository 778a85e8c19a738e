import {createHttp, createImplementation, resolveSettings} from "../dist/provider";
import {type Figure, type Row, seconds, timed, withLocalApi} from "./support";

/*
 * Figure 10: what the checks of a preview cost, 1,000 new TeamTokens over N teams at 30 requests/s. The engine calls
 * `check` once per resource, one after another (its step generator runs in its event loop), so every request a check
 * waits for adds its whole round trip to the preview. Measured in process through a configured provider, as the
 * dynamic-provider host runs it: the credential check the provider makes (one GET /account/details per run), and
 * the owner check it does not make (one GET /teams/:id per distinct team, cached for the run), sent here through
 * the provider's own client and pacing, after each check, to price it.
 */

const COUNT = 1000;
const RATE_LIMIT = 30;
/** Latency is added by the local API to its team routes; 100 ms stands for a CI runner far from the service. */
const RUNS: readonly {teams: number; latencyMs: number}[] = [
	{teams: 10, latencyMs: 0},
	{teams: 100, latencyMs: 0},
	{teams: 1000, latencyMs: 0},
	{teams: 100, latencyMs: 100},
];

async function runChecks(teams: number, latencyMs: number, owners: boolean) {
	return withLocalApi({teams, rateLimit: RATE_LIMIT, faults: {latencyMs}}, async api => {
		const values: Record<string, string> = {"tfe:hostname": api.url, "tfe:token": api.adminToken};
		const config = {get: (key: string) => values[key]};
		const provider = createImplementation({env: {}, log: () => {}});
		await provider.configure!({config} as never);
		const http = createHttp(resolveSettings(config, {}));
		const seen = new Map<string, Promise<unknown>>();
		const {ms} = await timed(async () => {
			for (let i = 0; i < COUNT; i++) {
				const teamId = api.teams[i % teams]!;
				const {failures} = await provider.check({}, {teamId, description: `t${i}`});
				if (failures?.length) throw new Error(`check failed: ${JSON.stringify(failures)}`);
				if (owners) {
					if (!seen.has(teamId)) seen.set(teamId, http.send({method: "GET", path: `teams/${teamId}`, idempotent: true}));
					await seen.get(teamId);
				}
			}
		});
		const requests = api.requests();
		return {teams, latencyMs, owners, ms: Math.round(ms), requests: requests.length, throttled: requests.filter(r => r.status === 429).length};
	});
}

export async function previewChecks(): Promise<Figure> {
	const runs = [];
	const rows: Row[] = [];
	for (const {teams, latencyMs} of RUNS) {
		const without = await runChecks(teams, latencyMs, false);
		const withOwners = await runChecks(teams, latencyMs, true);
		runs.push(without, withOwners);
		const latency = latencyMs ? `, ${latencyMs} ms latency` : "";
		rows.push({
			measure: `preview checks, ${COUNT} new TeamTokens over ${teams} teams, rateLimit ${RATE_LIMIT}/s${latency}`,
			value: `credential check: ${seconds(without.ms)}, ${without.requests} request; with an owner check per team: ${seconds(withOwners.ms)}, `
				+ `${withOwners.requests} requests (${withOwners.throttled} x 429), +${seconds(withOwners.ms - without.ms)}`,
		});
	}
	return {
		id: "10",
		title: "Preview checks",
		rows,
		notes: [
			`10: ${COUNT} checks of new described TeamTokens (teamId cycling over the teams), one after another as the engine sends them, `
				+ "through createImplementation configured with tfe:hostname and tfe:token; the owner check, which the provider does not make, "
				+ "is one GET /teams/:id per distinct team through createHttp with the same settings (the same client-side pacing). Each run "
				+ "on a fresh API. The local API adds its latency to the team routes only, so the credential check has none.",
		],
		data: {count: COUNT, rateLimit: RATE_LIMIT, runs},
	};
}
