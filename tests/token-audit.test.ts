// The token audit: statuses at their boundaries, every page of every list followed, arguments refused naming the
// field before any request, and the `audit` command's output and exit statuses, against the local API.
import test, {type ExecutionContext} from "ava";
import {resolveSettings} from "../provider/api/config";
import {createHttp} from "../provider/api/http";
import {everyPage, InvalidListOptionError, type ListPage} from "../provider/api/paging";
import {TeamTokens} from "../provider/api/team-tokens";
import {runAuditCommand} from "../provider/audit-command";
import {classify} from "../provider/engine/audit-status";
import {AuditArgumentError, auditTokens, checkAuditArgs, USER_TOKENS_NOT_LISTED} from "../provider/engine/token-audit";
import {start, type LocalApiOptions, type PlantedToken} from "../provider/local-api";
import {scratchDir} from "./scratch";

const NOW = new Date("2026-11-28T00:00:00.000Z");
const DAY_MS = 86_400_000;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

test("expired at and after the expiry instant, expiring up to N days ahead inclusive, ok beyond", t => {
	const used = NOW.toISOString();
	const flagsAt = (offsetMs: number) => classify({expiredAt: at(offsetMs), lastUsedAt: used}, NOW, 30).flags;
	t.deepEqual(flagsAt(-1), ["expired"]);
	t.deepEqual(flagsAt(0), ["expired"]);
	t.deepEqual(flagsAt(1), ["expiring"]);
	t.deepEqual(flagsAt(30 * DAY_MS), ["expiring"]);
	t.deepEqual(flagsAt(30 * DAY_MS + 1), []);
	t.is(classify({expiredAt: at(30 * DAY_MS + 1), lastUsedAt: used}, NOW, 30).status, "ok");
	t.deepEqual(classify({expiredAt: at(8 * DAY_MS), lastUsedAt: used}, NOW, 7).flags, []);
	t.deepEqual(classify({expiredAt: at(7 * DAY_MS), lastUsedAt: used}, NOW, 7).flags, ["expiring"]);
});

test("a token carries every flag that applies and the first as its status; daysLeft rounds down", t => {
	t.deepEqual(classify({expiredAt: null, lastUsedAt: null}, NOW, 30), {status: "never-expires", flags: ["never-expires", "never-used"]});
	t.deepEqual(classify({expiredAt: at(2.5 * DAY_MS), lastUsedAt: null}, NOW, 30), {status: "expiring", flags: ["expiring", "never-used"], daysLeft: 2});
	t.deepEqual(classify({expiredAt: at(-0.5 * DAY_MS), lastUsedAt: null}, NOW, 30), {status: "expired", flags: ["expired", "never-used"], daysLeft: -1});
	t.deepEqual(classify({expiredAt: at(90 * DAY_MS), lastUsedAt: null}, NOW, 30), {status: "never-used", flags: ["never-used"], daysLeft: 90});
	t.deepEqual(classify({expiredAt: "not a date", lastUsedAt: NOW.toISOString()}, NOW, 30), {status: "ok", flags: []});
});

test("arguments are refused naming the field and what it takes, before any request", t => {
	const refused = (args: Record<string, unknown>, field: string) => {
		const error = t.throws(() => checkAuditArgs(args), {instanceOf: AuditArgumentError});
		t.is(error?.field, field as never);
		t.true(error!.message.startsWith(`${field}: expected`), error!.message);
	};
	refused({}, "organization");
	refused({organization: "../teams"}, "organization");
	refused({organization: "acme", expiringWithinDays: 0}, "expiringWithinDays");
	refused({organization: "acme", expiringWithinDays: 36_501}, "expiringWithinDays");
	refused({organization: "acme", expiringWithinDays: 1.5}, "expiringWithinDays");
	refused({organization: "acme", includeAgentTokens: "yes"}, "includeAgentTokens");
	t.deepEqual(checkAuditArgs({organization: "acme"}), {organization: "acme", expiringWithinDays: 30, includeAgentTokens: true});
	t.deepEqual(checkAuditArgs({organization: "acme", expiringWithinDays: 36_500}).expiringWithinDays, 36_500);
});

test("the team-token list refuses a bad option naming it, and sends the ones given as the API names them", async t => {
	const {api, env} = await open(t);
	const urls: string[] = [];
	const tokens = new TeamTokens(createHttp(resolveSettings(undefined, env), {fetch: async (input, init) => {
		urls.push(input instanceof Request ? input.url : String(input));
		return fetch(input, init);
	}}));
	for (const [options, option] of [[{pageSize: 101}, "pageSize"], [{pageNumber: 0}, "pageNumber"], [{sort: "name"}, "sort"], [{expiryStatus: ["soon"]}, "expiryStatus"]] as const) {
		const error = await t.throwsAsync(tokens.list(api.organization, options as never), {instanceOf: InvalidListOptionError});
		t.is(error?.option, option);
	}
	t.is(api.requests().length, 0);
	await tokens.list(api.organization, {query: "a b", sort: "-expired-at", expiryStatus: ["expired", "no_expiration"], pageNumber: 2, pageSize: 5});
	t.is(urls.length, 1);
	const sent = new URL(urls[0]!);
	t.is(sent.pathname, `/api/v2/organizations/${api.organization}/team-tokens`);
	t.deepEqual(Object.fromEntries(sent.searchParams), {"q": "a b", "sort": "-expired-at", "filter[expiry_status]": "expired,no_expiration", "page[number]": "2", "page[size]": "5"});
});

test("every page is followed: from total-pages, then next-page while the list grows, and never backwards", async t => {
	const asked: number[] = [];
	const pages = (last: number, next: (page: number) => number | null) => async (page: number): Promise<ListPage<number>> => {
		asked.push(page);
		return {items: [page], currentPage: page, nextPage: next(page), totalPages: last};
	};
	t.deepEqual(await everyPage(pages(1, () => null)), [1]);
	asked.length = 0;
	// The first answer said 3 pages; by page 3 the list had grown to 5.
	t.deepEqual(await everyPage(pages(3, page => (page < 5 ? page + 1 : null))), [1, 2, 3, 4, 5]);
	t.deepEqual([...asked].sort(), [1, 2, 3, 4, 5]);
	asked.length = 0;
	// A server whose next-page points back ends the walk instead of looping.
	t.deepEqual(await everyPage(pages(2, () => 1)), [1, 2]);
	t.deepEqual(await everyPage(async () => undefined), []);
});

/** A local API with teams and a pool in the start-up organization, its clock at NOW. */
async function open(t: ExecutionContext, options: LocalApiOptions = {}) {
	const api = await start({teams: ["team-red1", "team-blue1"], agentPools: ["apool-run1"], now: () => NOW, ...options});
	t.teardown(() => api.close());
	return {api, env: {TFE_ADDRESS: api.url, TFE_TOKEN: api.adminToken, HOME: scratchDir("home")}};
}

/** One token of each status, on each kind of owner. */
function planted(organization: string): PlantedToken[] {
	const used = at(-DAY_MS);
	return [
		{owner: "team-red1", description: "expired", expiredAt: at(-DAY_MS), lastUsedAt: used},
		{owner: "team-red1", description: "expiring", expiredAt: at(10 * DAY_MS), lastUsedAt: null},
		{owner: "team-blue1", expiredAt: null, lastUsedAt: used},
		{owner: organization, expiredAt: at(200 * DAY_MS), lastUsedAt: used},
		{owner: organization, kind: "audit-trail", expiredAt: at(200 * DAY_MS), lastUsedAt: used},
		{owner: "apool-run1", description: "runners", expiredAt: null, lastUsedAt: used},
	];
}

test("the audit lists every kind with owner names, statuses and counts, worst first, and no token value", async t => {
	const {api, env} = await open(t);
	const ids = api.plantTokens(planted(api.organization));
	const result = await auditTokens(createHttp(resolveSettings(undefined, env)), checkAuditArgs({organization: api.organization}), NOW);
	t.deepEqual(result.tokens.map(token => [token.status, token.kind, token.teamName ?? token.agentPoolName ?? token.organization]), [
		["expired", "team", "red1"],
		["expiring", "team", "red1"],
		["never-expires", "team", "blue1"],
		["never-expires", "agent", "apool-run1"],
		["ok", "organization", api.organization],
		["ok", "audit-trail", api.organization],
	]);
	t.deepEqual(result.tokens.map(token => token.tokenId).sort(), [...ids].sort());
	t.deepEqual(result.counts, {expired: 1, expiring: 1, neverExpires: 2, neverUsed: 1, ok: 2, total: 6});
	t.deepEqual(result.notListed, [USER_TOKENS_NOT_LISTED]);
	const expiring = result.tokens[1]!;
	t.like(expiring, {teamId: "team-red1", description: "expiring", daysLeft: 10, createdAt: NOW.toISOString(), flags: ["expiring", "never-used"]});
	t.is(expiring.lastUsedAt, undefined);
	t.truthy(expiring.createdBy);
	const secrets = api.tokens().map(token => token.token);
	t.false(secrets.some(secret => JSON.stringify(result).includes(secret)));

	const withoutAgents = await auditTokens(createHttp(resolveSettings(undefined, env)), checkAuditArgs({organization: api.organization, includeAgentTokens: false}), NOW);
	t.is(withoutAgents.counts.total, 5);
	t.true(withoutAgents.notListed.some(note => note.startsWith("agent tokens")));
});

test("the audit follows every page of 250 team tokens and 120 teams at 100 a page", async t => {
	const teams = Array.from({length: 120}, (_, i) => `team-many${i}`);
	const {api, env} = await open(t, {teams});
	api.plantTokens(Array.from({length: 250}, (_, i) => ({owner: teams[i % teams.length]!, description: `t${i}`, expiredAt: null, lastUsedAt: at(0)})));
	api.clearRequests();
	const result = await auditTokens(createHttp(resolveSettings(undefined, env)), checkAuditArgs({organization: api.organization, includeAgentTokens: false}), NOW);
	t.is(result.counts.total, 250);
	t.is(new Set(result.tokens.map(token => token.tokenId)).size, 250);
	t.true(result.tokens.every(token => token.teamName === token.teamId!.slice("team-".length)));
	const paths = api.requests().map(request => request.path);
	t.is(paths.filter(path => path.endsWith("/team-tokens")).length, 3);
	t.is(paths.filter(path => path.endsWith("/teams")).length, 2);
});

test("an organization the credential cannot see fails the audit with the API's 404 and its hint", async t => {
	const {env} = await open(t);
	const error = await t.throwsAsync(auditTokens(createHttp(resolveSettings(undefined, env)), checkAuditArgs({organization: "nowhere"}), NOW));
	t.regex(error!.message, /404.*Organization nowhere does not exist, or the API token has no access to it/);
});

async function command(t: ExecutionContext, args: string[], env?: NodeJS.ProcessEnv) {
	const out: string[] = [];
	const err: string[] = [];
	const status = await runAuditCommand(args, {env: env ?? {}, out: text => void out.push(text), err: text => void err.push(text), now: () => NOW});
	return {status, out: out.join(""), err: err.join("")};
}

test("audit: a table by default, JSON with --json, exit 1 when a --fail-on flag is found and 0 when not", async t => {
	const {api, env} = await open(t);
	api.plantTokens(planted(api.organization));
	const table = await command(t, ["--organization", api.organization], env);
	t.is(table.status, 0, table.err);
	t.regex(table.out, /^STATUS\s+ALSO\s+OWNER/);
	t.regex(table.out, /expiring\s+never-used\s+team red1\s+at-\w+\s+expiring\s+user-\w+\s+2026-11-28\s+never\s+2026-12-08/);
	t.regex(table.out, /never-expires\s+-\s+pool apool-run1/);
	t.regex(table.out, /6 tokens; expired 1, expiring within 30 days 1, never expire 2, never used 1, ok 2/);
	t.regex(table.out, /not listed: user tokens/);

	const json = await command(t, ["--organization", api.organization, "--json", "--fail-on", "expired,never-expires"], env);
	t.is(json.status, 1);
	const parsed = JSON.parse(json.out);
	t.is(parsed.counts.total, 6);
	t.deepEqual(parsed.failOn, ["expired", "never-expires"]);
	// A flag that is not a token's status counts too: the only token never used has the status "expiring".
	t.is((await command(t, ["--organization", api.organization, "--fail-on", "never-used", "--no-agent-tokens"], env)).status, 1);
	t.is((await command(t, ["--organization", api.organization, "--expiring-within-days", "5", "--fail-on", "expiring"], env)).status, 0);
	t.is((await command(t, ["--organization", api.organization, "--expiring-within-days", "10", "--fail-on", "expiring"], env)).status, 1);
});

test("audit: usage, configuration and API errors exit 2 naming the flag, without the token", async t => {
	const {api, env} = await open(t);
	const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
		[[], env, /--organization: expected the organization's name/],
		[["--organization", api.organization, "--expiring-within-days", "soon"], env, /--expiring-within-days: expected a whole number of days from 1 to 36500; got "soon"/],
		[["--organization", api.organization, "--fail-on", "old"], env, /--fail-on: unknown flag "old"; expected any of expired, expiring, never-expires, never-used/],
		[["--organisation", "x"], env, /Unknown option '--organisation'/],
		[["--organization", api.organization], {HOME: env.HOME, TFE_ADDRESS: api.url}, /No API token for 127\.0\.0\.1/],
		[["--organization", api.organization], {...env, TFE_TOKEN: "abcdefghij.atlasv1.wrongwrongwrongwrong"}, /401/],
		[["--organization", "nowhere"], env, /404/],
	];
	for (const [args, environment, message] of cases) {
		const result = await command(t, args, environment);
		t.is(result.status, 2, args.join(" "));
		t.regex(result.err, message);
		t.false(result.err.includes(api.adminToken));
		t.false(result.err.includes("wrongwrongwrong"));
	}
	t.is((await command(t, ["--help"])).status, 0);
});

test("local API: plantTokens stores set ages at once, naming the entry and field it refuses", async t => {
	const {api} = await open(t);
	t.throws(() => api.plantTokens([{owner: "team-red1"}, {owner: "team-none1"}]), {instanceOf: RangeError, message: /^tokens\[1\]\.owner: no team, agent pool or organization "team-none1"/});
	t.throws(() => api.plantTokens([{owner: "team-red1", description: "x", lastUsedAt: "yesterday"}]), {message: /^tokens\[0\]\.lastUsedAt: expected an RFC 3339 instant/});
	const [first, second] = api.plantTokens([{owner: "team-blue1", createdAt: "2020-01-01T00:00:00Z", expiredAt: null}, {owner: "team-blue1", expiredAt: "2030-01-01T00:00:00Z"}]);
	// A second legacy token replaces the first, as a POST does.
	const blue = api.tokens().filter(token => token.teamId === "team-blue1");
	t.deepEqual(blue.map(token => [token.id, token.expiredAt]), [[second, "2030-01-01T00:00:00.000Z"]]);
	t.not(first, second);
	t.is(api.requests().length, 0, "no request made");
});

test("local API: the organization's teams and agent pools are listed, paged", async t => {
	const {api, env} = await open(t, {teams: 3, agentPools: 2});
	const get = async (path: string) => (await fetch(`${api.url}/api/v2/${path}`, {headers: {authorization: `Bearer ${env.TFE_TOKEN}`}})).json() as Promise<any>;
	const teams = await get(`organizations/${api.organization}/teams?page%5Bsize%5D=2&page%5Bnumber%5D=2`);
	t.deepEqual(teams.data.map((team: any) => team.id), [api.teams[2]]);
	t.like(teams.meta.pagination, {"current-page": 2, "total-pages": 2, "total-count": 3});
	const pools = await get(`organizations/${api.organization}/agent-pools`);
	t.deepEqual(pools.data.map((pool: any) => [pool.id, pool.attributes.name]), api.agentPools.map(id => [id, id]));
});

test("what the credential may not read (403) is named in notListed, and the audit goes on", async t => {
	const {api, env} = await open(t);
	api.plantTokens(planted(api.organization));
	const forbidden: typeof fetch = async (input, init) => {
		const url = input instanceof Request ? input.url : String(input);
		return /authentication-token(\?|$)|agent-pools\?/.test(url)
			? new Response(JSON.stringify({errors: [{status: "403", title: "forbidden"}]}), {status: 403, headers: {"content-type": "application/vnd.api+json"}})
			: fetch(input, init);
	};
	const result = await auditTokens(createHttp(resolveSettings(undefined, env), {fetch: forbidden}), checkAuditArgs({organization: api.organization}), NOW);
	t.deepEqual(result.tokens.map(token => token.kind), ["team", "team", "team"]);
	t.deepEqual(result.notListed.slice(1).sort(), [
		"agent tokens: the API answered 403 to this credential",
		"the audit-trail token: the API answered 403 to this credential",
		"the organization token: the API answered 403 to this credential",
	]);
});
