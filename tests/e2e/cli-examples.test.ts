import {randomBytes} from "node:crypto";
import {join, resolve} from "node:path";
import test, {type ExecutionContext} from "ava";
import {start, type LocalApi, type LocalApiOptions} from "../../provider/local-api";
import {PROVIDER_SPECIFIER} from "../../provider/dynamic/serialized-provider";
import {PulumiCli} from "../pulumi-cli";
import {authenticates, requestsOf} from "../probe";
import {scratchDir} from "../scratch";

/*
 * Every example, and the root Pulumi.yaml, through the `pulumi` binary as a user runs it: the CLI starts the Node.js
 * language host, which runs the TypeScript program with ts-node; no Automation API. Each test has its own local API,
 * file backend and stack.
 */

const root = resolve(__dirname, "..", "..");

interface Project {
	cli: PulumiCli;
	api: LocalApi;
	teamId: string;
}

async function project(
	t: ExecutionContext,
	dir: string,
	config: (api: LocalApi) => Record<string, string> = () => ({}),
	apiOptions: LocalApiOptions = {},
): Promise<Project> {
	const api = await start({teams: 1, agentPools: 1, ...apiOptions});
	const cli = new PulumiCli({dir, stack: `cli-${randomBytes(4).toString("hex")}`, scratch: scratchDir("cli"), passphrase: "cli-e2e"});
	// Last registered runs first: the stack is removed while the API still answers.
	t.teardown(() => api.close());
	t.teardown(() => cli.remove());
	const teamId = api.teams[0]!;
	await cli.initStack(api, {teamId, ...config(api)});
	return {cli, api, teamId};
}

/**
 * up, then what a user checks: the API holds exactly the tokens the outputs name, each works, secret outputs show
 * as [secret] and equal the API's tokens with --show-secrets, state holds no token and a small `__provider`, and a
 * second preview and a refresh find nothing to change. Returns the outputs, secrets shown.
 */
async function upAndCheck(t: ExecutionContext, {cli, api}: Project, secretOutputs: string[]): Promise<Record<string, string>> {
	await cli.run(["up", "--yes", "--non-interactive", "--skip-preview"]);
	const shown = await cli.outputs();
	const revealed = await cli.outputs(true);
	const issued = api.tokens().map(x => x.token);
	t.is(issued.length, secretOutputs.length, "one token on the API per token the program declares");
	for (const name of secretOutputs) {
		t.is(shown[name], "[secret]", `${name} is a secret`);
		t.true(issued.includes(revealed[name]), `${name} is a token the API issued`);
		t.true(await authenticates(api, revealed[name]), `${name} works`);
	}

	const exported = await cli.run(["stack", "export"]);
	for (const secret of [...issued, api.adminToken]) {
		t.false(exported.includes(secret), "no token in plain text in state");
	}
	const deployment = JSON.parse(exported) as {deployment: {resources?: {type: string; inputs?: {__provider?: string}}[]}};
	const providers = deployment.deployment.resources!.filter(r => r.type.startsWith("pulumi-nodejs:dynamic/tfe:")).map(r => r.inputs!.__provider!);
	t.true(providers.length > 0);
	for (const text of providers) {
		t.true(text.length <= 1024, `__provider is ${text.length} bytes`);
		t.true(text.includes(JSON.stringify(PROVIDER_SPECIFIER)), text);
	}

	await cli.run(["preview", "--expect-no-changes", "--non-interactive"]);
	await cli.run(["refresh", "--yes", "--non-interactive", "--skip-preview"]);
	await cli.run(["preview", "--expect-no-changes", "--non-interactive"]);
	return revealed;
}

async function destroyAndCheck(t: ExecutionContext, {cli, api}: Project, tokens: string[]): Promise<void> {
	await cli.run(["destroy", "--yes", "--non-interactive", "--skip-preview"]);
	t.deepEqual(api.tokens(), [], "destroy leaves no token on the API");
	for (const token of tokens) {
		t.false(await authenticates(api, token), "every token the stack made is revoked");
	}
}

for (const [title, dir] of [["the root Pulumi.yaml", root], ["examples/basic", join(root, "examples", "basic")]] as const) {
	test(`${title}: pulumi up creates a legacy and a described token; preview, refresh, destroy`, async t => {
		const p = await project(t, dir);
		const outputs = await upAndCheck(t, p, ["ciToken", "deployToken"]);
		const legacy = p.api.tokens().find(x => x.description === null);
		t.is(legacy?.id, outputs.ciTokenId);
		t.is(legacy?.teamId, p.teamId);
		t.is(p.api.tokens().find(x => x.description === "deploy pipeline")?.id, outputs.deployTokenId);
		await destroyAndCheck(t, p, [outputs.ciToken, outputs.deployToken]);
	});
}

test("examples/rotation: a rotation replaces the token and updates its consumer in the same pulumi up", async t => {
	const p = await project(t, join(root, "examples", "rotation"));
	const first = await upAndCheck(t, p, ["ciToken"]);
	t.is(first.checkedTokenId, first.ciTokenId, "the consumer checked the token the stack made");
	const account = await fetch(`${p.api.url}/api/v2/account/details`, {headers: {authorization: `Bearer ${first.ciToken}`}});
	t.is(first.authenticatesAs, ((await account.json()) as {data: {id: string}}).data.id, "the consumer saw whom the token acts as");

	await p.cli.run(["config", "set", "rotation", "second"]);
	await p.cli.run(["up", "--yes", "--non-interactive", "--skip-preview"]);
	const second = await p.cli.outputs(true);
	t.not(second.ciTokenId, first.ciTokenId);
	t.is(second.checkedTokenId, second.ciTokenId, "the consumer has the new token");
	t.false(await authenticates(p.api, first.ciToken), "the old token is revoked");
	t.true(await authenticates(p.api, second.ciToken));
	await destroyAndCheck(t, p, [second.ciToken]);
});

test("examples/zero-gap: a new rotation creates the new token before it revokes the old one", async t => {
	const p = await project(t, join(root, "examples", "zero-gap"));
	const first = await upAndCheck(t, p, ["deployToken"]);

	p.api.clearRequests();
	await p.cli.run(["config", "set", "rotation", "2027-02"]);
	await p.cli.run(["up", "--yes", "--non-interactive", "--skip-preview"]);
	const second = await p.cli.outputs(true);
	const log = requestsOf(p.api);
	const created = log.findIndex(line => line.startsWith(`POST /teams/${p.teamId}/authentication-tokens 201`));
	const revoked = log.findIndex(line => line.startsWith(`DELETE /authentication-tokens/${first.deployTokenId} 204`));
	t.true(created >= 0 && revoked > created, log.join("\n"));
	t.is(second.deployDescription, "deploy (rotation 2027-02)");
	t.is(p.api.tokens().length, 1);
	t.false(await authenticates(p.api, first.deployToken));
	await destroyAndCheck(t, p, [second.deployToken]);
});

test("examples/automation: an organization's automation credentials, every kind, renewed on schedule; refresh, destroy", async t => {
	const p = await project(t, join(root, "examples", "automation"), api => ({organization: api.organization, agentPoolId: api.agentPools[0]!}));
	const first = await upAndCheck(t, p, ["orgToken", "auditToken", "agentToken", "ciToken"]);
	t.deepEqual(p.api.tokens().map(x => x.kind).sort(), ["agent", "audit-trail", "described", "organization"]);

	// A new agent rotation (as the next quarter brings) makes the new agent token before it revokes the old one.
	p.api.clearRequests();
	await p.cli.run(["config", "set", "agentRotation", "next"]);
	await p.cli.run(["up", "--yes", "--non-interactive", "--skip-preview"]);
	const second = await p.cli.outputs(true);
	const log = requestsOf(p.api);
	const created = log.findIndex(line => line.startsWith(`POST /agent-pools/${p.api.agentPools[0]}/authentication-tokens 201`));
	const revoked = log.findIndex(line => line.startsWith(`DELETE /authentication-tokens/${first.agentTokenId} 204`));
	t.true(created >= 0 && revoked > created, log.join("\n"));
	t.is(second.orgToken, first.orgToken, "the other tokens are untouched");
	t.false(await authenticates(p.api, first.agentToken));
	await destroyAndCheck(t, p, [second.orgToken, second.auditToken, second.agentToken, second.ciToken]);
});

test("examples/ttl-policy: the policy is set, tokens beyond it fail at preview with the cut-off named, destroy restores the defaults", async t => {
	// The policies API present (any --token-ttl turns it on, as the example's README says); the stack sets all four types.
	const p = await project(t, join(root, "examples", "ttl-policy"), api => ({organization: api.organization}), {tokenTtlDays: {team: 730}});
	const policies = async () => {
		const answer = await fetch(`${p.api.url}/api/v2/organizations/${p.api.organization}/token-ttl-policies`, {headers: {authorization: `Bearer ${p.api.adminToken}`}});
		const body = await answer.json() as {data: {attributes: {"token-type": string; "max-ttl-ms": number}}[]};
		return Object.fromEntries(body.data.map(({attributes: a}) => [a["token-type"], a["max-ttl-ms"] / 86_400_000]));
	};
	const twoYears = 63_113_904_000 / 86_400_000;
	const outputs = await upAndCheck(t, p, ["orgToken", "auditToken"]);
	t.is(outputs.policyOrganization, p.api.organization);
	t.deepEqual(await policies(), {organization: 90, team: 180, user: twoYears, audit_trails: 30});
	const audit = p.api.tokens().find(x => x.kind === "audit-trail")!;
	const lifetime = Date.parse(audit.expiredAt!) - Date.parse(audit.createdAt);
	t.true(lifetime <= 30 * 86_400_000 && lifetime > 30 * 86_400_000 - 60_000, `the audit-trail token lives as long as the policy allows: ${lifetime} ms`);

	await p.cli.run(["config", "set", "orgTokenDays", "120"]);
	const tooLong = await p.cli.spawn(["preview", "--non-interactive"]);
	t.not(tooLong.code, 0);
	t.regex(tooLong.stdout + tooLong.stderr, /expiresInDays: 120 days is too long: the token TTL policy this stack sets .* at most 90 days/);
	await p.cli.run(["config", "set", "orgTokenDays", "60"]);
	await p.cli.run(["config", "set", "organizationTokenMaxDays", "30"]);
	const shorter = await p.cli.spawn(["preview", "--non-interactive"]);
	t.not(shorter.code, 0);
	const org = p.api.tokens().find(x => x.kind === "organization")!;
	t.regex(shorter.stdout + shorter.stderr, new RegExp(`organization tokens from 90 days to 30 days: cuts off 0 of the organization's 1 live organization tokens at once and ends 1 more before their expiry \\(${org.id}\\)`));
	await p.cli.run(["config", "set", "organizationTokenMaxDays", "90"]);
	t.deepEqual(await policies(), {organization: 90, team: 180, user: twoYears, audit_trails: 30}, "a failed preview sends nothing");
	await destroyAndCheck(t, p, [outputs.orgToken!, outputs.auditToken!]);
	t.deepEqual(await policies(), {organization: twoYears, team: twoYears, user: twoYears, audit_trails: twoYears});
});

test("examples/user-token: a CI service user's token, for the user the credential acts as; preview, refresh, destroy", async t => {
	const p = await project(t, join(root, "examples", "user-token"), api => ({organization: api.organization}));
	const outputs = await upAndCheck(t, p, ["ciToken"]);
	const account = await fetch(`${p.api.url}/api/v2/account/details`, {headers: {authorization: `Bearer ${p.api.adminToken}`}});
	const serviceUser = ((await account.json()) as {data: {id: string}}).data.id;
	t.is(outputs.ciUserId, serviceUser, "userId is filled in with the user the credential acts as");
	const [made] = p.api.tokens();
	t.like(made, {id: outputs.ciTokenId, kind: "user", ownerId: serviceUser, description: "ci (managed by Pulumi)"});
	const lifetimeDays = (Date.parse(made!.expiredAt!) - Date.parse(made!.createdAt)) / 86_400_000;
	t.true(Math.abs(lifetimeDays - 90) < 0.01, `expiresInDays 90, got ${lifetimeDays}`);
	await destroyAndCheck(t, p, [outputs.ciToken]);
});

test("examples/audit: the organization's tokens that need a look, as outputs, and nothing created", async t => {
	const p = await project(t, join(root, "examples", "audit"), api => ({organization: api.organization}));
	const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
	const [expired] = p.api.plantTokens([
		{owner: p.teamId, description: "old ci", expiredAt: day(-1), lastUsedAt: day(-2)},
		{owner: p.teamId, description: "fine", expiredAt: day(300), lastUsedAt: day(-1)},
	]);
	await p.cli.run(["up", "--yes", "--non-interactive", "--skip-preview"]);
	const outputs = await p.cli.outputs() as unknown as {counts: Record<string, number>; attention: string[]; notListed: string[]};
	t.like(outputs.counts, {expired: 1, ok: 1, total: 2});
	t.is(outputs.attention.length, 1);
	t.true(outputs.attention[0]!.startsWith(`expired ${expired} team `), outputs.attention[0]);
	t.true(outputs.notListed[0]!.startsWith("user tokens"));
	t.is(p.api.tokens().length, 2, "the audit made no token");
});
