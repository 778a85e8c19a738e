import type {LocalApi} from "../dist/provider/local-api";
import {errorMessage, type Figure, inPool, loadNaiveProvider, ourProvider, type Row, seconds, timed, withLocalApi} from "./support";

const TEAMS = 200;
const IN_FLIGHT = 50;
const RATE_LIMIT = 30;
const GOAL_RATIO = 1.2;

interface Contender {
	key: string;
	label: string;
	/** Requests one create needs when nothing is refused. */
	requestsPerCreate: number;
	/** Builds the create for one team, against a fresh API. */
	prepare(api: LocalApi): (teamId: string) => Promise<unknown>;
	/** Whether this run is held to the goals (the naive provider is the comparison, not a candidate). */
	judged: boolean;
}

const contenders: Contender[] = [
	{
		key: "ours-forced",
		label: "ours, legacy forceRegenerate: true",
		requestsPerCreate: 1,
		judged: true,
		prepare(api) {
			const provider = ourProvider(api);
			return async teamId => provider.create((await provider.check({}, {teamId, forceRegenerate: true})).inputs!);
		},
	},
	{
		key: "ours-checked",
		label: "ours, legacy with the existing-token check",
		requestsPerCreate: 3,
		judged: true,
		prepare(api) {
			const provider = ourProvider(api);
			return async teamId => provider.create((await provider.check({}, {teamId})).inputs!);
		},
	},
	{
		key: "naive",
		label: "naive provider",
		requestsPerCreate: 1,
		judged: false,
		prepare(api) {
			const provider = loadNaiveProvider({TFE_ADDRESS: api.url, TFE_TOKEN: api.adminToken});
			return teamId => provider.create({teamId});
		},
	},
];

/** One burst on a fresh API with fresh teams, so no run inherits another's limiter or tokens. */
async function burst(contender: Contender) {
	return withLocalApi({teams: TEAMS, rateLimit: RATE_LIMIT}, async api => {
		const create = contender.prepare(api);
		const {value: settled, ms} = await timed(() => inPool(api.teams, IN_FLIGHT, create));
		const requests = api.requests();
		const failed = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected");
		const needed = TEAMS * contender.requestsPerCreate;
		const boundMs = needed / RATE_LIMIT * 1000;
		return {
			key: contender.key,
			label: contender.label,
			creates: TEAMS,
			failures: failed.length,
			wallMs: Math.round(ms),
			requests: requests.length,
			tooManyRequests: requests.filter(r => r.status === 429).length,
			neededRequests: needed,
			boundMs: Math.round(boundMs),
			ratio: ms / boundMs,
			tokensOnApi: api.tokens().length,
			firstError: failed[0] && errorMessage(failed[0].reason),
		};
	});
}

/** Figure 3: 200 creates, 50 in flight, against 30 requests/s per credential. */
export async function burstAtRateLimit(): Promise<Figure> {
	const runs = [];
	for (const contender of contenders) {
		runs.push({...await burst(contender), judged: contender.judged});
	}
	const rows: Row[] = runs.flatMap(run => {
		const counts = `${run.requests} requests (${run.tooManyRequests} x 429)`;
		if (!run.judged) {
			return [{measure: `burst: ${run.label}`, value: `${run.failures}/${run.creates} failed; ${seconds(run.wallMs)}; ${counts}`}];
		}
		return [
			{measure: `burst: ${run.label}: failures`, value: `${run.failures}/${run.creates}`, goal: "0", met: run.failures === 0},
			{
				measure: `burst: ${run.label}: wall / bound`,
				value: `${seconds(run.wallMs)} / ${seconds(run.boundMs)} = ${run.ratio.toFixed(2)}; ${counts}; bound = ${run.neededRequests} requests / ${RATE_LIMIT} per s`,
				goal: `<= ${GOAL_RATIO}`,
				met: run.ratio <= GOAL_RATIO,
			},
		];
	});
	const naive = runs.find(r => r.key === "naive");
	return {
		id: "3",
		title: "Burst at the rate limit",
		rows,
		notes: [
			`3: ${TEAMS} creates on ${TEAMS} teams, ${IN_FLIGHT} in flight, API limited to ${RATE_LIMIT} requests/s per credential; `
				+ "ours through createImplementation({env}) with default HTTP options (real sleeps); each run on a fresh API.",
			...(naive?.firstError ? [`3: first naive failure: ${naive.firstError}`] : []),
		],
		data: {teams: TEAMS, inFlight: IN_FLIGHT, rateLimit: RATE_LIMIT, runs},
	};
}
