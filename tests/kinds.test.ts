import test from "ava";
import {UNKNOWN} from "../provider/engine/inputs";
import {authenticates, checked, fakeClock, losingNextPost, requestsOf, setup} from "./helpers";

const ORG = "local-org";
const POOL = "apool-abc1";

/** An organization's single tokens share their route (the audit-trail one with a query the log leaves out). */
function organizationLevel(name: string, kind: string) {
	return {
		name,
		inputs: {kind, organization: ORG},
		id: () => ORG,
		// check reads the organization's TTL policy (cached for the create); the create then looks before it POSTs.
		createRequests: [
			`GET /organizations/${ORG}/token-ttl-policies 404`,
			`GET /organizations/${ORG}/authentication-token 404`,
			`POST /organizations/${ORG}/authentication-token 201`,
			`GET /organizations/${ORG}/authentication-token 200`,
		],
		replaceFirstDeletes: true,
	};
}

/** Each kind's inputs and the API's requests a first create sends. */
const KINDS = [
	organizationLevel("OrganizationToken", "organization"),
	organizationLevel("AuditTrailToken", "audit-trail"),
	{
		name: "AgentToken",
		inputs: {kind: "agent", agentPoolId: POOL, description: "runners"},
		id: (tokenId: string) => tokenId,
		createRequests: [`POST /agent-pools/${POOL}/authentication-tokens 201`],
		replaceFirstDeletes: false,
	},
];

const options = {agentPools: [POOL]};

for (const kind of KINDS) {
	test(`${kind.name}: create sends the fewest requests, returns a working secret token, and records the kind`, async t => {
		const {api, provider} = await setup(t, options);
		const {id, outs} = await provider.create(await checked(provider, {...kind.inputs}));
		t.is(id, kind.id(outs.tokenId));
		t.deepEqual(requestsOf(api), kind.createRequests);
		const [stored] = api.tokens();
		t.is(stored?.kind as string | undefined, kind.inputs.kind);
		t.is(outs.token, stored?.token);
		t.is(outs.kind, kind.inputs.kind);
		t.true(await authenticates(api, outs.token));
	});

	test(`${kind.name}: same inputs are no change; triggers replace it, ${kind.replaceFirstDeletes ? "revoking the old token first" : "the new token first"}`, async t => {
		const {api, provider} = await setup(t, options);
		const inputs = await checked(provider, {...kind.inputs, triggers: [1]});
		const created = await provider.create(inputs);
		api.clearRequests();
		t.false((await provider.diff(created.id, created.outs, inputs)).changes);
		const bumped = await checked(provider, {...kind.inputs, triggers: [2]});
		const diff = await provider.diff(created.id, created.outs, bumped);
		t.deepEqual(diff.replaces, ["triggers"]);
		t.is(diff.deleteBeforeReplace, kind.replaceFirstDeletes);
		t.deepEqual(requestsOf(api), [], "a diff sends nothing");
	});

	test(`${kind.name}: refresh notices the token revoked outside Pulumi and drops it from state`, async t => {
		const {api, provider} = await setup(t, options);
		const created = await provider.create(await checked(provider, {...kind.inputs}));
		t.is((await provider.read(created.id, created.outs)).id, created.id, "still there");
		await fetch(`${api.url}/api/v2/authentication-tokens/${created.outs.tokenId}`, {method: "DELETE", headers: {authorization: `Bearer ${api.adminToken}`}});
		t.is((await provider.read(created.id, created.outs)).id, "");
	});

	test(`${kind.name}: destroy revokes the token; a second destroy succeeds`, async t => {
		const {api, provider} = await setup(t, options);
		const created = await provider.create(await checked(provider, {...kind.inputs}));
		await provider.delete(created.id, created.outs);
		t.deepEqual(api.tokens(), []);
		t.false(await authenticates(api, created.outs.token));
		await t.notThrowsAsync(provider.delete(created.id, created.outs));
	});
}

for (const kind of KINDS.filter(k => k.replaceFirstDeletes)) {
	test(`${kind.name}: refresh notices a token regenerated outside Pulumi; create then refuses it; destroy leaves it alone`, async t => {
		const {api, provider, logs} = await setup(t, options);
		const ours = await provider.create(await checked(provider, {...kind.inputs}));
		const theirs = await provider.create(await checked(provider, {...kind.inputs, forceRegenerate: true}));
		t.true(await authenticates(api, theirs.outs.token), "someone uses it");
		t.is((await provider.read(ours.id, ours.outs)).id, "");
		t.regex(logs.join("\n"), new RegExp(`regenerated outside Pulumi .*the organization now has ${theirs.outs.tokenId}`));
		const error = await t.throwsAsync(provider.create(await checked(provider, {...kind.inputs})));
		t.regex(error!.message, new RegExp(`A token already exists for .*organization ${ORG}: ${theirs.outs.tokenId} .*set \`forceRegenerate: true\``));
		t.notRegex(error!.message, /description/, "an organization has no described tokens to point to");
		await provider.delete(ours.id, ours.outs);
		t.true(await authenticates(api, theirs.outs.token));
	});
}

test("organization and audit-trail tokens are separate: one of each per organization", async t => {
	const {api, provider} = await setup(t);
	const organization = await provider.create(await checked(provider, {kind: "organization", organization: ORG}));
	const audit = await provider.create(await checked(provider, {kind: "audit-trail", organization: ORG}));
	t.deepEqual(api.tokens().map(x => x.kind).sort(), ["audit-trail", "organization"]);
	await provider.delete(audit.id, audit.outs);
	t.true(await authenticates(api, organization.outs.token));
	t.false(await authenticates(api, audit.outs.token));
});

test("agent tokens: several per pool, even with the same description; a new description replaces the new token first", async t => {
	const {api, provider} = await setup(t, options);
	const inputs = await checked(provider, {kind: "agent", agentPoolId: POOL, description: "runners"});
	const a = await provider.create(inputs);
	const b = await provider.create(inputs);
	t.not(a.outs.tokenId, b.outs.tokenId);
	t.is(api.tokens().length, 2);
	const diff = await provider.diff(a.id, a.outs, {...inputs, description: "runners 2"});
	t.deepEqual(diff.replaces, ["description"]);
	t.false(diff.deleteBeforeReplace);
});

test("a 404 on an organization or agent pool says it may be missing access", async t => {
	const {provider} = await setup(t, options);
	const org = await t.throwsAsync(provider.create(await checked(provider, {kind: "organization", organization: "other-org", forceRegenerate: true})));
	t.regex(org!.message, /Organization other-org does not exist, or the API token has no access to it/);
	const pool = await t.throwsAsync(provider.create(await checked(provider, {kind: "agent", agentPoolId: "apool-missing1", description: "x"})));
	t.regex(pool!.message, /Agent pool apool-missing1 does not exist, or the API token has no access to it/);
});

test("check: each kind takes its own inputs, names the resource, and requires an agent token's description", async t => {
	const {provider} = await setup(t, options);
	const reasons = async (news: Record<string, unknown>) => ((await provider.check({}, news)).failures ?? []).map(f => f.reason);
	t.deepEqual(await reasons({kind: "agent", agentPoolId: POOL}), ["description: is required: the API needs one for every AgentToken"]);
	t.regex((await reasons({kind: "agent", agentPoolId: POOL, description: "x", expiresInDays: 30}))[0]!, /^expiresInDays: not an input of AgentToken/);
	t.regex((await reasons({kind: "organization", organization: ORG, description: "x"}))[0]!, /^description: not an input of OrganizationToken/);
	t.regex((await reasons({kind: "organization", organization: "../teams"}))[0]!, /^organization: must be an organization name.*got "..\/teams"/);
	t.regex((await reasons({kind: "agent", agentPoolId: "pool-1", description: "x"}))[0]!, /^agentPoolId: must be "apool-"/);
	await t.throwsAsync(provider.check({}, {kind: "robot", organization: ORG}), {message: /unknown token kind "robot"/});
});

test("TTL policy: expiresInDays above it fails at preview naming the policy; within it passes", async t => {
	const {api, provider} = await setup(t, {tokenTtlDays: {organization: 30, audit_trails: 7}});
	const failures = (await provider.check({}, {kind: "organization", organization: ORG, expiresInDays: 60})).failures ?? [];
	t.is(failures.length, 1);
	t.regex(failures[0]!.reason, /^expiresInDays: 60 days is too long: the organization local-org's token TTL policy for organization tokens allows at most 30 days.*30 or fewer/);
	const audit = (await provider.check({}, {kind: "audit-trail", organization: ORG, expiresInDays: 8})).failures ?? [];
	t.regex(audit[0]!.reason, /policy for audit_trails tokens allows at most 7 days/);
	t.deepEqual((await provider.check({}, {kind: "organization", organization: ORG, expiresInDays: 30})).failures, []);
	t.is(requestsOf(api).filter(r => r.includes("token-ttl-policies")).length, 1, "read once per organization");
});

test("TTL policy: without an expiry the token gets the policy's limit, and rotateBeforeDays renews before it", async t => {
	const clock = fakeClock();
	const {provider} = await setup(t, {tokenTtlDays: {organization: 30}, now: clock.now}, {now: clock.now});
	const inputs = await checked(provider, {kind: "organization", organization: ORG, rotateBeforeDays: 7});
	const created = await provider.create(inputs);
	t.is(created.outs.expiredAt, new Date(clock.now().getTime() + 30 * 86_400_000).toISOString());
	clock.advanceDays(22);
	t.false((await provider.diff(created.id, created.outs, inputs)).changes);
	clock.advanceDays(2);
	t.deepEqual((await provider.diff(created.id, created.outs, inputs)).replaces, ["rotateBeforeDays"]);
});

test("TTL policy: an organization not known yet (a preview) is not looked up", async t => {
	const {api, provider} = await setup(t, {tokenTtlDays: {organization: 30}});
	t.deepEqual((await provider.check({}, {kind: "organization", organization: UNKNOWN, expiresInDays: 60})).failures, []);
	t.deepEqual(requestsOf(api), []);
});

test("TTL policy unreadable (older Terraform Enterprise: 404): checks pass silently and the server's default stands", async t => {
	const {api, provider, logs} = await setup(t);
	t.deepEqual((await provider.check({}, {kind: "organization", organization: ORG, expiresInDays: 3650})).failures, []);
	const created = await provider.create(await checked(provider, {kind: "organization", organization: ORG}));
	t.true(Date.parse(created.outs.expiredAt) - Date.parse(created.outs.createdAt) > 700 * 86_400_000, "two years");
	t.deepEqual(logs, []);
	t.true(requestsOf(api).includes(`GET /organizations/${ORG}/token-ttl-policies 404`));
});

test("agent token whose create answer is lost: its own token is revoked and made again; an older one with the same description is left", async t => {
	const clock = fakeClock();
	const lost = losingNextPost("/agent-pools/");
	const {api, provider, logs} = await setup(t, {...options, now: clock.now}, {now: clock.now, http: {fetch: lost.fetch}});
	const inputs = await checked(provider, {kind: "agent", agentPoolId: POOL, description: "runners"});
	const older = await provider.create(inputs);
	clock.advanceDays(1 / 24);
	lost.arm();
	const created = await provider.create(inputs);
	t.deepEqual(api.tokens().map(x => x.id).sort(), [older.outs.tokenId, created.outs.tokenId].sort(), "the lost one was revoked, the older one kept");
	t.regex(logs.join("\n"), /revoked at-\w+ on agent pool apool-abc1: it was made by user-\w+ \(the user this API token acts as\) at \S+, since this create began .*, and never used, so it is taken to be this stack's own create whose answer was lost/);
	t.notRegex(logs.join("\n"), new RegExp(older.outs.tokenId));
});
