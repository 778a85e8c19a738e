import {runAuditCommand} from "../dist/provider/audit-command";
import type {LocalApi, PlantedToken} from "../dist/provider/local-api";
import {type Figure, progress, type Row, seconds, timed, withLocalApi} from "./support";

const RATE_LIMIT = 30;
const SIZES = [1_000, 5_000, 20_000] as const;
const TEAMS = 150;
const POOLS = 5;
const AGENT_TOKENS_PER_POOL = 20;
const PAGE = 100;
const GOAL_RATIO = 1.2;
const DAY_MS = 86_400_000;

/** Team tokens spread over the teams, a few of each status, and the organization's own and agent tokens. */
function organizationOf(api: LocalApi, teamTokens: number): PlantedToken[] {
	const now = Date.now();
	const at = (days: number) => new Date(now + days * DAY_MS).toISOString();
	const expiry = (i: number) => (i % 50 === 0 ? null : at((i % 400) - 20));
	return [
		...Array.from({length: teamTokens}, (_, i): PlantedToken => ({
			owner: api.teams[i % api.teams.length]!,
			description: `token-${i}`,
			createdAt: at(-30),
			expiredAt: expiry(i),
			lastUsedAt: i % 7 === 0 ? null : at(-1),
		})),
		{owner: api.organization, expiredAt: at(90), lastUsedAt: at(-1)},
		{owner: api.organization, kind: "audit-trail", expiredAt: null, lastUsedAt: at(-1)},
		...api.agentPools.flatMap(pool => Array.from({length: AGENT_TOKENS_PER_POOL}, (_, i): PlantedToken => ({owner: pool, description: `agent-${i}`, expiredAt: null}))),
	];
}

/** One `audit --json` of an organization with this many team tokens, against 30 requests/s per credential. */
async function auditOf(teamTokens: number) {
	return withLocalApi({teams: TEAMS, agentPools: POOLS, rateLimit: RATE_LIMIT}, async api => {
		api.plantTokens(organizationOf(api, teamTokens));
		const pages = (count: number) => Math.max(1, Math.ceil(count / PAGE));
		// Every list page and the two reads: team tokens, teams, agent pools, each pool's tokens, organization and audit-trail tokens.
		const needed = pages(teamTokens) + pages(TEAMS) + pages(POOLS) + POOLS * pages(AGENT_TOKENS_PER_POOL) + 2;
		let json = "";
		const env = {TFE_ADDRESS: api.url, TFE_TOKEN: api.adminToken, HOME: "/nonexistent"};
		const {value: status, ms} = await timed(() => runAuditCommand(["--organization", api.organization, "--json"], {env, out: text => void (json += text), err: text => void (json += text)}));
		const result = JSON.parse(json) as {counts: {total: number}};
		const requests = api.requests();
		const floorMs = needed / RATE_LIMIT * 1000;
		return {
			teamTokens,
			status,
			listed: result.counts.total,
			expected: teamTokens + 2 + POOLS * AGENT_TOKENS_PER_POOL,
			wallMs: Math.round(ms),
			requests: requests.length,
			tooManyRequests: requests.filter(entry => entry.status === 429).length,
			neededRequests: needed,
			floorMs: Math.round(floorMs),
			ratio: ms / floorMs,
		};
	});
}

/** Figure 11: the token audit of an organization with thousands of tokens at the API's rate limit. */
export async function tokenAudit(): Promise<Figure> {
	const runs = [];
	for (const size of SIZES) {
		progress(`${size} team tokens`);
		runs.push(await auditOf(size));
	}
	const rows: Row[] = runs.map(run => ({
		measure: `token audit, ${run.teamTokens} team tokens + ${run.expected - run.teamTokens} others, ${RATE_LIMIT} requests/s: wall, ours / floor`,
		value: `${seconds(run.wallMs)} / ${seconds(run.floorMs)} = ${run.ratio.toFixed(2)}; ${run.requests} requests (${run.tooManyRequests} x 429), `
			+ `floor = ${run.neededRequests} pages / ${RATE_LIMIT} per s; ${run.listed}/${run.expected} tokens listed`,
		goal: `<= ${GOAL_RATIO}, all listed`,
		met: run.ratio <= GOAL_RATIO && run.listed === run.expected && run.status === 0,
	}));
	return {
		id: "11",
		title: "token audit at the rate limit",
		rows,
		notes: [
			`Figure 11: \`audit --organization NAME --json\` run in process (dist/provider/audit-command.js) against a local API limited to ${RATE_LIMIT} `
				+ `requests/s per credential, with ${TEAMS} teams, ${POOLS} agent pools of ${AGENT_TOKENS_PER_POOL} tokens and the organization and audit-trail `
				+ "tokens, all planted. The floor is every page the audit must read (100 a page) at the limit; the client paces to 95% of it.",
		],
		data: {runs},
	};
}
