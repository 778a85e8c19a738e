import test from "ava";
import {DEFAULT_MAX_TTL_MS} from "../provider/api/token-ttl-policies";
import {UNKNOWN} from "../provider/engine/inputs";
import {checkPolicyInputs, maxTtlMs, POLICY_KIND} from "../provider/policy/inputs";
import {createProvider} from "../provider/policy/dispatch";
import {start, type LocalApiOptions} from "../provider/local-api";
import {fakeClock} from "./helpers";
import {scratchDir} from "./scratch";

const DAY = 86_400_000;
const ORG = "local-org";
const policy = (props: Record<string, unknown>) => ({kind: POLICY_KIND, organization: ORG, ...props});

/** One provider process as either front door runs it: tokens and the policy, configured through the environment. */
async function provider(t: import("ava").ExecutionContext, options: LocalApiOptions = {}, clock = fakeClock(), answer?: (request: Request) => Response | undefined) {
	// With the policies API, none set (the start-up organization has none otherwise, as an older Terraform Enterprise).
	const api = await start({teams: ["team-abc1", "team-abc2"], now: clock.now, tokenTtlDays: {}, ...options});
	t.teardown(() => api.close());
	const logs: string[] = [];
	const env = {TFE_ADDRESS: api.url, TFE_TOKEN: api.adminToken, HOME: scratchDir("home")};
	// The bodies of the PATCHes sent, as the API received them (its request log holds no bodies).
	const sent: any[] = [];
	const spy: typeof fetch = async (input, init) => {
		const request = new Request(input, init);
		if (request.method === "PATCH") {
			sent.push(await request.clone().json());
		}
		return answer?.(request) ?? fetch(request);
	};
	const p = createProvider({env, now: clock.now, log: message => logs.push(message), http: {sleep: async () => {}, fetch: spy}});
	await p.configure!({config: {get: () => undefined}} as never);
	const patches = () => sent;
	return {api, p, logs, clock, patches};
}

test("every maximum is a whole number of days from 1 to 36500, and each refusal names its field", t => {
	const reasons = (news: Record<string, unknown>) => checkPolicyInputs(news).failures.map(f => f.reason);
	t.deepEqual(reasons(policy({teamTokenMaxDays: 30, userTokenMaxDays: 36_500, organizationTokenMaxDays: 1})), []);
	t.deepEqual(reasons(policy({teamTokenMaxDays: UNKNOWN, organization: UNKNOWN})), [], "unknown at a preview: checked once known");
	for (const bad of [0, 36_501, 1.5, "30", -1]) {
		t.deepEqual(reasons(policy({auditTrailTokenMaxDays: bad})),
			[`auditTrailTokenMaxDays: must be a whole number of days from 1 to 36500 (unset: the two-year default); got ${JSON.stringify(bad)}`]);
	}
	t.deepEqual(reasons(policy({organization: "../x"})), ['organization: must be an organization name: letters, digits, "-" and "_", at most 64 characters; got "../x"']);
	t.regex(reasons(policy({teamTokenMaxDay: 3}))[0]!, /^teamTokenMaxDay: not an input of TokenLifetimePolicy; did you mean teamTokenMaxDays\?/);
});

test("unset types are the API's two-year default", t => {
	t.deepEqual([...maxTtlMs({teamTokenMaxDays: 30})], [["organization", DEFAULT_MAX_TTL_MS], ["team", 30 * DAY], ["user", DEFAULT_MAX_TTL_MS], ["audit_trails", DEFAULT_MAX_TTL_MS]]);
});

test("create and update send the whole policy in one PATCH; delete sends every type back to two years", async t => {
	const {api, p, patches} = await provider(t);
	const created = await p.create(policy({teamTokenMaxDays: 30}));
	t.is(created.id, ORG);
	const entries = (body: any) => body.data.attributes["token-ttl-policies"];
	t.is(patches()[0].data.type, "organization-token-ttl-policies");
	t.deepEqual(entries(patches()[0]), [
		{"token-type": "organization", "max-ttl-ms": DEFAULT_MAX_TTL_MS},
		{"token-type": "team", "max-ttl-ms": 30 * DAY},
		{"token-type": "user", "max-ttl-ms": DEFAULT_MAX_TTL_MS},
		{"token-type": "audit_trails", "max-ttl-ms": DEFAULT_MAX_TTL_MS},
	]);
	t.like(created.outs, {teamTokenMaxDays: 30, teamTokenMaxTtlMs: 30 * DAY, organizationTokenMaxTtlMs: DEFAULT_MAX_TTL_MS, auditTrailTokenMaxTtlMs: DEFAULT_MAX_TTL_MS});

	const diff = await p.diff(ORG, created.outs, policy({teamTokenMaxDays: 7, auditTrailTokenMaxDays: 30}));
	t.deepEqual(diff, {changes: true, replaces: [], deleteBeforeReplace: false});
	t.false((await p.diff(ORG, created.outs, policy({teamTokenMaxDays: 30}))).changes);
	t.deepEqual((await p.diff(ORG, created.outs, {...policy({teamTokenMaxDays: 30}), organization: "other"})).replaces, ["organization"]);
	// Changed by hand and seen by a refresh: set back.
	t.true((await p.diff(ORG, {...created.outs, teamTokenMaxTtlMs: 5 * DAY}, policy({teamTokenMaxDays: 30}))).changes);

	const updated = await p.update(ORG, created.outs, policy({teamTokenMaxDays: 7, auditTrailTokenMaxDays: 30}));
	t.like(updated.outs, {teamTokenMaxTtlMs: 7 * DAY, auditTrailTokenMaxTtlMs: 30 * DAY});

	await p.delete(ORG, updated.outs);
	t.deepEqual(entries(patches().at(-1)).map((e: any) => e["max-ttl-ms"]), Array(4).fill(DEFAULT_MAX_TTL_MS));
	const listed = await fetch(`${api.url}/api/v2/organizations/${ORG}/token-ttl-policies`, {headers: {authorization: `Bearer ${api.adminToken}`}});
	t.deepEqual(((await listed.json()) as any).data.map((d: any) => d.attributes["max-ttl-ms"]), Array(4).fill(DEFAULT_MAX_TTL_MS));
});

test("import by organization name: the inputs that reproduce the API's policy, defaults left unset", async t => {
	const {p} = await provider(t, {tokenTtlDays: {team: 30, organization: 730}});
	const adopted = await p.read(ORG, {kind: POLICY_KIND});
	t.is(adopted.id, ORG);
	t.deepEqual((adopted as any).inputs, {kind: POLICY_KIND, organization: ORG, teamTokenMaxDays: 30, organizationTokenMaxDays: 730});
	await t.throwsAsync(p.read("../x", {kind: POLICY_KIND}), {message: /cannot import "..\/x": give the organization's name/});
});

test("a token checked after the policy beside it is held to the planned limit, not the API's", async t => {
	const {p, logs} = await provider(t);
	const token = {kind: "organization", organization: ORG, expiresInDays: 90};
	t.deepEqual((await p.check({}, policy({organizationTokenMaxDays: 30}))).failures, []);
	const refused = await p.check({}, token);
	t.deepEqual(refused.failures?.map(f => f.reason), [
		"expiresInDays: 90 days is too long: the token TTL policy this stack sets for the organization local-org (its TokenLifetimePolicy) allows "
			+ "organization tokens at most 30 days (a longer-lived token stops working); ask for 30 or fewer",
	]);
	t.deepEqual((await p.check({}, {...token, expiresInDays: 30})).failures, []);
	t.deepEqual((await p.check({}, {kind: "audit-trail", organization: ORG, expiresInDays: 700})).failures, [], "unset: the two-year default");
	t.is(logs.length, 1, logs.join("\n"));
	t.is(logs[0], `pulumi-tfe-team-token: TokenLifetimePolicy ${ORG}: organization tokens from 730.49 days to 30 days: none of the organization's 0 live organization tokens outlives it.`);
});

test("a shorter limit counts the live tokens it cuts off at once or ends early, and names those the stack manages", async t => {
	const clock = fakeClock();
	const {api, p, logs} = await provider(t, {defaultLifetimeDays: null}, clock);
	const byHand = (path: string, body: object = {data: {attributes: {}}}) => fetch(`${api.url}/api/v2/${path}`,
		{method: "POST", headers: {authorization: `Bearer ${api.adminToken}`, "content-type": "application/vnd.api+json"}, body: JSON.stringify(body)});
	// 40 days old, never expiring: cut off at once by 30 days; 10 days old with 90 to go: ended early; 5 of 20: untouched.
	await byHand("teams/team-abc1/authentication-tokens", {data: {attributes: {description: "old"}}});
	clock.advanceDays(30);
	const managed = await p.create({teamId: "team-abc2", description: "ours", expiresInDays: 100});
	clock.advanceDays(5);
	await byHand("teams/team-abc1/authentication-tokens", {data: {attributes: {description: "short", "expired-at": new Date(clock.now().getTime() + 15 * DAY).toISOString()}}});
	clock.advanceDays(5);
	const old = api.tokens().find(x => x.description === "old")!;
	t.is(old.expiredAt, null);
	logs.length = 0;
	await p.check({}, policy({teamTokenMaxDays: 30}));
	t.deepEqual(logs, [`pulumi-tfe-team-token: TokenLifetimePolicy ${ORG}: team tokens from 730.49 days to 30 days: cuts off 1 of the organization's `
		+ `3 live team tokens at once (${old.id}) and ends 1 more before their expiry (${managed.outs.tokenId}); of these, this stack manages `
		+ `${managed.outs.tokenId} (TeamToken ${managed.id}).`]);
	// The managed token's own diff, which runs after the policy's check when it depends on it, says so too.
	logs.length = 0;
	await p.diff(managed.id, managed.outs, {teamId: "team-abc2", description: "ours", expiresInDays: 100});
	t.deepEqual(logs, [], "TeamToken has no organization input, so its own diff cannot link it to the policy");
	const org = await p.create({kind: "organization", organization: ORG});
	await p.check({}, policy({organizationTokenMaxDays: 1}));
	clock.advanceDays(2);
	logs.length = 0;
	await p.diff(ORG, org.outs, {kind: "organization", organization: ORG});
	t.deepEqual(logs, [`pulumi-tfe-team-token: OrganizationToken ${ORG} (${org.outs.tokenId}) stops working as soon as the TokenLifetimePolicy `
		+ "of this stack sets organization tokens to at most 1 days; change its `triggers` to replace it by one within the limit."]);
});

test("user tokens are not counted: the API lists them only for the credential's own user", async t => {
	const {p, logs} = await provider(t);
	await p.check({}, policy({userTokenMaxDays: 10}));
	t.deepEqual(logs, [`pulumi-tfe-team-token: TokenLifetimePolicy ${ORG}: user tokens from 730.49 days to 10 days: not counted, the API lists user `
		+ "tokens only for the credential's own user, not for an organization."]);
});

test("an organization with max-ttl-enabled off is told that the policy is stored but not enforced", async t => {
	const off = (request: Request) => (request.method === "GET" && new URL(request.url).pathname === `/api/v2/organizations/${ORG}`
		? Response.json({data: {id: ORG, type: "organizations", attributes: {name: ORG, "max-ttl-enabled": false}}})
		: undefined);
	const {p, logs} = await provider(t, {}, fakeClock(), off);
	await p.check({}, policy({}));
	t.deepEqual(logs, [`pulumi-tfe-team-token: TokenLifetimePolicy ${ORG}: the organization's max-ttl-enabled is off, so the API stores this policy `
		+ "but enforces none of it until it is turned on (an organization setting: terraform-provider-tfe's `tfe_organization.max_ttl_enabled`, or the organization's settings page)."]);
	const on = await provider(t);
	await on.p.check({}, policy({}));
	t.deepEqual(on.logs, [], "on (the local API's answer), and nothing shortened: nothing said");
});

test("a policy checked after a token it does not bound first fails when the token asks for more than it sets", async t => {
	const {p} = await provider(t);
	const expiry = new Date(fakeClock().now().getTime() + 45 * DAY).toISOString();
	t.deepEqual((await p.check({}, {kind: "audit-trail", organization: ORG, expiredAt: expiry})).failures, [], "the API's policy is two years");
	t.deepEqual((await p.check({}, {kind: "organization", organization: ORG, expiresInDays: 90})).failures, []);
	const refused = await p.check({}, policy({organizationTokenMaxDays: 30, auditTrailTokenMaxDays: 60}));
	t.deepEqual(refused.failures?.map(f => f.reason), [
		"organizationTokenMaxDays: 30 days is shorter than the 90 days the OrganizationToken of local-org in this stack asks for (its expiresInDays); "
			+ "shorten that, or allow at least 90 days",
	], "the audit-trail token's 45 days fit the 60 allowed");
	t.deepEqual((await p.check({}, policy({organizationTokenMaxDays: 90, auditTrailTokenMaxDays: 60}))).failures, []);
	t.deepEqual((await p.check({}, policy({organization: "other-org", organizationTokenMaxDays: 30}))).failures, [], "another organization's tokens do not count");
});
