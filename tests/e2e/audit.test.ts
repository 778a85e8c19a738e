import test from "ava";
import {execFile} from "node:child_process";
import {join} from "node:path";
import type {LocalApi, PlantedToken} from "../../provider/local-api";
import {BUILT} from "../installed";
import {scratchDir} from "../scratch";
import {engineStack} from "./harness";
import {languageStack} from "./plugin-harness";

/*
 * The token audit through every front door, on an organization of 1,000 team tokens among which one is expired, one
 * expires within 30 days, one never expires and one was never used: the `audit` command as a CI job runs it, the
 * TypeScript function in a program run by the real CLI, and the plugin's function from a YAML program's fn::invoke.
 */

const DAY_MS = 86_400_000;
const TEAMS = Array.from({length: 20}, (_, i) => `team-audit${i}`);
const PLANTED = ["expired", "expiring", "never-expires", "never-used"] as const;

/** 996 tokens that are fine and one of each status; the ids of the four by status. */
function plant(api: LocalApi): Record<(typeof PLANTED)[number], string> {
	const now = Date.now();
	const at = (days: number) => new Date(now + days * DAY_MS).toISOString();
	const fine = (i: number): PlantedToken => ({owner: TEAMS[i % TEAMS.length]!, description: `fine-${i}`, createdAt: at(-10), expiredAt: at(200), lastUsedAt: at(-1)});
	const flagged: PlantedToken[] = [
		{owner: TEAMS[0]!, description: "expired", createdAt: at(-100), expiredAt: at(-2), lastUsedAt: at(-3)},
		{owner: TEAMS[1]!, description: "expiring", createdAt: at(-100), expiredAt: at(10), lastUsedAt: at(-1)},
		{owner: TEAMS[2]!, description: "never-expires", createdAt: at(-400), expiredAt: null, lastUsedAt: at(-1)},
		{owner: TEAMS[3]!, description: "never-used", createdAt: at(-5), expiredAt: at(200), lastUsedAt: null},
	];
	// The four among the others, not at either end of the list.
	const ids = api.plantTokens([...Array.from({length: 500}, (_, i) => fine(i)), ...flagged, ...Array.from({length: 496}, (_, i) => fine(500 + i))]);
	return Object.fromEntries(PLANTED.map((status, i) => [status, ids[500 + i]!])) as Record<(typeof PLANTED)[number], string>;
}

type Token = {tokenId: string; status: string; flags: string[]; teamName?: string};
type Audit = {counts: Record<string, number>; tokens: Token[]};

/** The audit found exactly the four planted ones, each with its status, among 1,000. */
function foundPlanted(t: import("ava").ExecutionContext, audit: Audit, planted: Record<string, string>) {
	t.deepEqual(audit.counts, {expired: 1, expiring: 1, neverExpires: 1, neverUsed: 1, ok: 996, total: 1000});
	const flagged = audit.tokens.filter(token => token.status !== "ok").map(token => [token.status, token.tokenId, token.flags]);
	t.deepEqual(flagged, PLANTED.map(status => [status, planted[status], [status]]));
	t.true(audit.tokens.every(token => token.teamName?.startsWith("audit")));
}

test("the audit command and the TypeScript function in a program find the planted tokens among 1,000", async t => {
	t.timeout(5 * 60_000);
	const engine = await engineStack(t, {teams: TEAMS});
	const planted = plant(engine.api);

	// The command, as a scheduled CI job runs it: credentials from the environment, JSON, an exit status.
	// Not spawnSync: the local API answers from this process's event loop.
	const audit = (...flags: string[]) => new Promise<{status: number; stdout: string; stderr: string}>(resolve => {
		const args = [join(BUILT, "cli.js"), "audit", "--organization", engine.api.organization, ...flags];
		const env = {PATH: process.env.PATH, HOME: scratchDir("home"), TFE_ADDRESS: engine.api.url, TFE_TOKEN: engine.api.adminToken};
		execFile(process.execPath, args, {env, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) =>
			resolve({status: error ? Number(error.code) : 0, stdout, stderr}));
	});
	const failing = await audit("--json", "--fail-on", "expired,never-expires");
	t.is(failing.status, 1, failing.stderr);
	foundPlanted(t, JSON.parse(failing.stdout) as Audit, planted);
	t.is((await audit("--json")).status, 0);
	const table = await audit("--fail-on", "never-used");
	t.is(table.status, 1);
	t.regex(table.stdout, new RegExp(`never-used\\s+-\\s+team audit3\\s+${planted["never-used"]}`));
	t.is((await audit("--fail-on", "nothing")).status, 2);

	// The function, in a TypeScript program the CLI runs, with the stack's tfe:hostname and secret tfe:token.
	engine.moreOutputs = async installed => ({audit: await installed.auditTokens({organization: engine.api.organization})});
	const outputs = await engine.up() as unknown as {audit: Audit};
	foundPlanted(t, outputs.audit, planted);
	t.false(JSON.stringify(outputs.audit).includes(".atlasv1."));
});

test("yaml: fn::invoke of the plugin's auditTokens finds the planted tokens among 1,000", async t => {
	t.timeout(10 * 60_000);
	const {api, cli, program} = await languageStack(t, "yaml", {teams: TEAMS, agentPools: [], organization: "audit-org"});
	const planted = plant(api);
	program({}, [
		"variables:",
		"  audit:",
		"    fn::invoke:",
		"      function: tfe-tokens:index:auditTokens",
		"      arguments:",
		"        organization: audit-org",
		"        expiringWithinDays: 30",
		"outputs:",
		"  counts: ${audit.counts}",
		"  tokens: ${audit.tokens}",
		"",
	].join("\n"));
	await cli.run(["config", "set", "desc", "unused"]);
	await cli.run(["up", "--yes", "--non-interactive", "--skip-preview"]);
	foundPlanted(t, await cli.outputs() as unknown as Audit, planted);
});
