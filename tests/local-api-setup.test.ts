// The local API's routes that go-tfe's integration tests call around the token routes: organizations, teams and
// agent pools made and deleted at run time, each organization isolated; the team-token list's q, sort and
// filter[expiry_status]; TTL policy updates; the admin subscription routes; ping; and the credential checked before
// an unknown route is. tests/go-tfe/run.ts runs HashiCorp's tests themselves.
import test, {type ExecutionContext} from "ava";
import {start, type LocalApiOptions} from "../provider/local-api";

const JSON_API = "application/vnd.api+json";
const DEFAULT_TTL_MS = 63_113_904_000;
const DAY_MS = 86_400_000;

interface Answer {
	status: number;
	headers: Headers;
	json: any;
}

async function open(t: ExecutionContext, options: LocalApiOptions = {}) {
	const api = await start({teams: ["team-abc1"], ...options});
	t.teardown(() => api.close());
	/** One JSON:API request as the admin, or as `token` (null: no Authorization header). */
	const send = async (method: string, path: string, body?: object, token: string | null = api.adminToken): Promise<Answer> => {
		const response = await fetch(`${api.url}/api/v2${path}`, {
			method,
			headers: {
				...(token === null ? {} : {Authorization: `Bearer ${token}`}),
				...(body === undefined ? {} : {"Content-Type": JSON_API}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return {status: response.status, headers: response.headers, json: text === "" ? undefined : JSON.parse(text)};
	};
	const resource = (type: string, attributes: object, relationships?: object) => ({data: {type, attributes, relationships}});
	const organization = async (name: string) => {
		const created = await send("POST", "/organizations", resource("organizations", {name, email: `${name}@example.test`}));
		if (created.status !== 201) throw new Error(`organization ${name}: ${created.status}`);
		return name;
	};
	const team = async (org: string, name: string): Promise<string> => {
		const created = await send("POST", `/organizations/${org}/teams`, resource("teams", {name}));
		if (created.status !== 201) throw new Error(`team ${name}: ${created.status}`);
		return created.json.data.id;
	};
	const pool = async (org: string, name: string): Promise<string> => {
		const created = await send("POST", `/organizations/${org}/agent-pools`, resource("agent-pools", {name}));
		if (created.status !== 201) throw new Error(`agent pool ${name}: ${created.status}`);
		return created.json.data.id;
	};
	const token = async (path: string, attributes: object = {}): Promise<{id: string; secret: string}> => {
		const created = await send("POST", path, resource("authentication-tokens", attributes));
		if (created.status !== 201) throw new Error(`token at ${path}: ${created.status} ${JSON.stringify(created.json)}`);
		return {id: created.json.data.id, secret: created.json.data.attributes.token};
	};
	const works = async (secret: string) => (await send("GET", "/account/details", undefined, secret)).status === 200;
	return {api, send, resource, organization, team, pool, token, works};
}

const ids = (answer: Answer): string[] => answer.json.data.map((item: {id: string}) => item.id);

test("POST /organizations: 201 with the name as id; a taken name, a bad name or a bad e-mail is 422", async t => {
	const {api, send, resource} = await open(t);
	const created = await send("POST", "/organizations", resource("organizations", {name: "acme-1", email: "ops@acme.test"}));
	t.is(created.status, 201);
	t.is(created.headers.get("content-type"), JSON_API);
	t.like(created.json.data, {id: "acme-1", type: "organizations", attributes: {name: "acme-1", email: "ops@acme.test"}});
	t.regex(created.json.data.attributes["created-at"], /^\d{4}-\d{2}-\d{2}T/);
	t.deepEqual([...api.organizations()].sort(), ["acme-1", "local-org"]);

	const taken = await send("POST", "/organizations", resource("organizations", {name: "acme-1", email: "x@acme.test"}));
	t.is(taken.status, 422);
	t.is(taken.json.errors[0].detail, "Validation failed: Name has already been taken");
	t.is((await send("POST", "/organizations", resource("organizations", {name: "local-org", email: "x@y.test"}))).status, 422, "the start-up one is taken too");
	for (const attributes of [{email: "x@y.test"}, {name: "a/b", email: "x@y.test"}, {name: "", email: "x@y.test"}, {name: "ok"}, {name: "ok", email: "nope"}]) {
		const refused = await send("POST", "/organizations", resource("organizations", attributes));
		t.is(refused.status, 422, JSON.stringify(attributes));
	}
	t.is((await send("POST", "/organizations", {data: []})).status, 400);
	t.is((await send("POST", "/organizations", resource("organizations", {name: "x1", email: "x@y.test"}), null)).status, 401);
	t.deepEqual([...api.organizations()].sort(), ["acme-1", "local-org"], "nothing refused was created");
});

test("teams and agent pools are created in an organization, named uniquely there, and deleted with their tokens", async t => {
	const {api, send, resource, organization, token, works} = await open(t);
	const acme = await organization("acme");
	const other = await organization("other");

	const created = await send(
		"POST",
		`/organizations/${acme}/teams`,
		resource("teams", {name: "deployers", "organization-access": {"manage-policies": true, "manage-modules": false, stray: "x"}}),
	);
	t.is(created.status, 201);
	const teamId: string = created.json.data.id;
	t.regex(teamId, /^team-[A-Za-z0-9]{16}$/);
	t.like(created.json.data, {
		type: "teams",
		attributes: {name: "deployers", "organization-access": {"manage-policies": true, "manage-modules": false}},
		relationships: {organization: {data: {id: acme, type: "organizations"}}},
	});
	t.false("stray" in created.json.data.attributes["organization-access"]);
	t.is((await send("GET", `/teams/${teamId}`)).json.data.attributes.name, "deployers");
	t.is((await send("POST", `/organizations/${acme}/teams`, resource("teams", {name: "deployers"}))).status, 422, "names are unique in an organization");
	t.is((await send("POST", `/organizations/${other}/teams`, resource("teams", {name: "deployers"}))).status, 201, "but not across them");
	t.is((await send("POST", `/organizations/${acme}/teams`, resource("teams", {name: "  "}))).status, 422);
	t.is((await send("POST", `/organizations/${acme}/teams`, resource("teams", {name: "t", "organization-access": 3}))).status, 422);
	t.is((await send("POST", "/organizations/nowhere/teams", resource("teams", {name: "t"}))).status, 404);
	t.false(api.teams.includes(teamId), "api.teams lists the start-up organization's teams");

	const legacy = await token(`/teams/${teamId}/authentication-token`);
	const described = await token(`/teams/${teamId}/authentication-tokens`, {description: "ci"});
	t.true(await works(legacy.secret));
	t.is((await send("DELETE", `/teams/${teamId}`)).status, 204);
	t.false(await works(legacy.secret), "deleting a team revokes its tokens");
	t.false(await works(described.secret));
	t.is((await send("GET", `/teams/${teamId}`)).status, 404);
	t.is((await send("DELETE", `/teams/${teamId}`)).status, 404);
	t.is((await send("GET", `/authentication-tokens/${described.id}`)).status, 404);

	const pooled = await send("POST", `/organizations/${acme}/agent-pools`, resource("agent-pools", {name: "runners"}));
	t.is(pooled.status, 201);
	t.like(pooled.json.data, {type: "agent-pools", attributes: {name: "runners", "agent-count": 0}});
	t.regex(pooled.json.data.id, /^apool-[A-Za-z0-9]{16}$/);
	t.is((await send("POST", `/organizations/${acme}/agent-pools`, resource("agent-pools", {name: "runners"}))).status, 422);
	t.is((await send("POST", `/organizations/${acme}/agent-pools`, resource("agent-pools", {}))).status, 422);
	const agent = await token(`/agent-pools/${pooled.json.data.id}/authentication-tokens`, {description: "a"});
	t.true(await works(agent.secret));
	t.is((await send("DELETE", `/agent-pools/${pooled.json.data.id}`)).status, 204);
	t.false(await works(agent.secret), "deleting a pool revokes its tokens");
	t.is((await send("GET", `/agent-pools/${pooled.json.data.id}/authentication-tokens`)).status, 404);
	t.is((await send("DELETE", `/agent-pools/${pooled.json.data.id}`)).status, 404);
});

test("each organization is isolated: its own team tokens, policies and stacks; deleting it revokes everything in it", async t => {
	const {api, send, resource, organization, team, pool, token, works} = await open(t);
	const a = await organization("org-a");
	const b = await organization("org-b");
	const teamA = await team(a, "alpha");
	const teamB = await team(b, "beta");
	const inA = [await token(`/teams/${teamA}/authentication-token`), await token(`/teams/${teamA}/authentication-tokens`, {description: "d"})];
	const inB = await token(`/teams/${teamB}/authentication-token`);
	t.deepEqual(ids(await send("GET", `/organizations/${a}/team-tokens`)), inA.map(x => x.id));
	t.deepEqual(ids(await send("GET", `/organizations/${b}/team-tokens`)), [inB.id]);
	t.deepEqual(ids(await send("GET", "/organizations/local-org/team-tokens")), [], "the start-up organization has its own");

	const patched = await send(
		"PATCH",
		`/organizations/${a}/token-ttl-policies`,
		resource("organization-token-ttl-policies", {"token-ttl-policies": [{"token-type": "team", "max-ttl-ms": DAY_MS}]}),
	);
	t.is(patched.status, 200);
	const policyOf = async (org: string) =>
		(await send("GET", `/organizations/${org}/token-ttl-policies`)).json.data.find((p: any) => p.attributes["token-type"] === "team").attributes["max-ttl-ms"];
	t.is(await policyOf(a), DAY_MS);
	t.is(await policyOf(b), DEFAULT_TTL_MS, "another organization's policy is untouched");

	const stacks = await send("GET", `/organizations/${a}/stacks?page[size]=100`);
	t.is(stacks.status, 200);
	t.deepEqual(stacks.json.data, []);
	t.is(stacks.json.meta.pagination["total-count"], 0);
	t.is((await send("GET", "/organizations/nowhere/stacks")).status, 404);

	const poolA = await pool(a, "p");
	const organizationToken = await token(`/organizations/${a}/authentication-token`);
	const auditToken = await token(`/organizations/${a}/authentication-token?token=audit-trails`);
	const agentToken = await token(`/agent-pools/${poolA}/authentication-tokens`, {description: "x"});
	t.is((await send("DELETE", `/organizations/${a}`)).status, 204);
	for (const gone of [...inA, organizationToken, auditToken, agentToken]) t.false(await works(gone.secret));
	t.true(await works(inB.secret), "the other organization's tokens still work");
	t.deepEqual([...api.organizations()].sort(), ["local-org", b]);
	for (const path of [`/organizations/${a}/team-tokens`, `/organizations/${a}/token-ttl-policies`, `/teams/${teamA}`, `/agent-pools/${poolA}/authentication-tokens`]) {
		t.is((await send("GET", path)).status, 404, path);
	}
	t.is((await send("DELETE", `/organizations/${a}`)).status, 404);
	t.deepEqual(api.tokens().map(x => x.id), [inB.id]);
	t.is((await send("POST", "/organizations", resource("organizations", {name: a, email: "a@b.test"}))).status, 201, "the name is free again");
});

test("the start-up organization keeps its options and can be deleted; addTeam then refuses", async t => {
	const {api, send, team} = await open(t, {organization: "acme", agentPools: ["apool-abc1"], tokenTtlDays: {organization: 30}});
	t.deepEqual(api.organizations(), ["acme"]);
	const added = await team("acme", "made-later");
	t.deepEqual(api.teams, ["team-abc1", added], "teams made through the API in it are listed too");
	const listed = await send("GET", "/organizations/acme/token-ttl-policies");
	t.deepEqual(listed.json.data.map((p: any) => p.attributes), [{"token-type": "organization", "max-ttl-ms": 30 * DAY_MS}], "only what was set");
	t.is((await send("DELETE", "/organizations/acme")).status, 204);
	t.deepEqual(api.teams, []);
	t.deepEqual(api.agentPools, []);
	t.deepEqual(api.organizations(), []);
	t.throws(() => api.addTeam(), {instanceOf: RangeError, message: /acme was deleted/});
	t.throws(() => api.addAgentPool(), {instanceOf: RangeError});
});

test("team-token list: q picks teams by part of their name, any case", async t => {
	const {send, organization, team, token} = await open(t);
	const org = await organization("acme");
	const blue = await token(`/teams/${await team(org, "Blue-Deployers")}/authentication-token`);
	const green = await token(`/teams/${await team(org, "green-deployers")}/authentication-token`);
	t.deepEqual(ids(await send("GET", `/organizations/${org}/team-tokens?q=blue`)), [blue.id]);
	t.deepEqual(ids(await send("GET", `/organizations/${org}/team-tokens?q=DEPLOY`)), [blue.id, green.id]);
	t.deepEqual(ids(await send("GET", `/organizations/${org}/team-tokens?q=red`)), []);
	t.deepEqual(ids(await send("GET", `/organizations/${org}/team-tokens?q=`)), [blue.id, green.id], "an empty q is no filter");
});

test("team-token list: sort by expired-at, team-name, created-at and last-used-at; missing values sort last, first descending", async t => {
	// Tokens created without expired-at never expire here, so the sort meets a missing value; the clock moves a
	// second between creations.
	let now = new Date("2026-06-01T00:00:00.000Z");
	const tick = () => (now = new Date(now.getTime() + 1000));
	const {send, organization, team, token, works} = await open(t, {defaultLifetimeDays: null, now: () => now});
	const org = await organization("acme");
	const later = await token(`/teams/${await team(org, "b-team")}/authentication-token`, {"expired-at": "2099-01-02T00:00:00Z"});
	tick();
	const never = await token(`/teams/${await team(org, "C-team")}/authentication-token`);
	tick();
	const sooner = await token(`/teams/${await team(org, "a-team")}/authentication-token`, {"expired-at": "2099-01-01T00:00:00Z"});
	const list = async (sort: string) => ids(await send("GET", `/organizations/${org}/team-tokens?sort=${encodeURIComponent(sort)}`));
	t.deepEqual(await list("expired-at"), [sooner.id, later.id, never.id]);
	t.deepEqual(await list("-expired-at"), [never.id, later.id, sooner.id]);
	t.deepEqual(await list("team-name"), [sooner.id, later.id, never.id], "names compare in any case");
	t.deepEqual(await list("-team-name"), [never.id, later.id, sooner.id]);
	t.deepEqual(await list("created-at"), [later.id, never.id, sooner.id]);
	t.deepEqual(await list("-created-at"), [sooner.id, never.id, later.id]);
	t.deepEqual(await list("created-by"), [later.id, never.id, sooner.id], "one creator: ties keep creation order");
	tick();
	t.true(await works(never.secret));
	t.deepEqual(await list("last-used-at"), [never.id, later.id, sooner.id], "the only one used comes first");
	t.deepEqual(await list("-last-used-at"), [later.id, sooner.id, never.id]);

	const bad = await send("GET", `/organizations/${org}/team-tokens?sort=colour`);
	t.is(bad.status, 400);
	t.deepEqual(bad.json.errors[0].source, {parameter: "sort"});
	t.is((await send("GET", `/organizations/${org}/team-tokens?sort=-`)).status, 400);
});

test("team-token list: filter[expiry_status] by the injected clock, values ORed, paged after filtering", async t => {
	let now = new Date("2026-06-01T00:00:00.000Z");
	const {send, organization, team, token} = await open(t, {now: () => now, defaultLifetimeDays: null});
	const org = await organization("acme");
	const teamId = await team(org, "t");
	const inDays = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();
	const expiring = await token(`/teams/${teamId}/authentication-tokens`, {description: "5d", "expired-at": inDays(5)});
	const month = await token(`/teams/${teamId}/authentication-tokens`, {description: "20d", "expired-at": inDays(20)});
	const far = await token(`/teams/${teamId}/authentication-tokens`, {description: "90d", "expired-at": inDays(90)});
	const never = await token(`/teams/${teamId}/authentication-tokens`, {description: "never"});
	const expired = await token(`/teams/${teamId}/authentication-tokens`, {description: "1h", "expired-at": new Date(now.getTime() + 3_600_000).toISOString()});
	now = new Date(now.getTime() + 2 * 3_600_000);

	const filtered = async (statuses: string, extra = "") =>
		ids(await send("GET", `/organizations/${org}/team-tokens?filter[expiry_status]=${statuses}${extra}`));
	t.deepEqual(await filtered("expired"), [expired.id]);
	t.deepEqual(await filtered("no_expiration"), [never.id]);
	t.deepEqual(await filtered("expiring_in_7_days"), [expiring.id]);
	t.deepEqual(await filtered("expiring_in_30_days"), [expiring.id, month.id]);
	t.deepEqual(await filtered("active"), [expiring.id, month.id, far.id, never.id]);
	t.deepEqual(await filtered("expired,no_expiration"), [never.id, expired.id]);
	t.deepEqual(await filtered("expired,no_expiration", "&sort=expired-at"), [expired.id, never.id], "combines with sort");

	const paged = await send("GET", `/organizations/${org}/team-tokens?filter[expiry_status]=active&page[size]=3&page[number]=2`);
	t.deepEqual(ids(paged), [never.id]);
	t.like(paged.json.meta.pagination, {"current-page": 2, "total-count": 4, "total-pages": 2});

	const bad = await send("GET", `/organizations/${org}/team-tokens?filter[expiry_status]=active,soon`);
	t.is(bad.status, 400);
	t.regex(bad.json.errors[0].detail, /"soon"/);
	t.is((await send("GET", "/organizations/nowhere/team-tokens")).status, 404);
});

test("TTL policies of a created organization: all four listed at the default; PATCH sets some, answers all, and is enforced", async t => {
	const now = new Date("2026-12-03T00:00:00.000Z");
	const {send, resource, organization, team} = await open(t, {now: () => now});
	const org = await organization("acme");
	const list = async () => (await send("GET", `/organizations/${org}/token-ttl-policies`)).json.data;
	const byType = (data: any[]) => Object.fromEntries(data.map(p => [p.attributes["token-type"], p.attributes["max-ttl-ms"]]));
	t.deepEqual(byType(await list()), {organization: DEFAULT_TTL_MS, team: DEFAULT_TTL_MS, user: DEFAULT_TTL_MS, audit_trails: DEFAULT_TTL_MS});
	t.true((await list()).every((p: any) => p.type === "organization-token-ttl-policies" && p.id !== ""));

	// Two calendar years from this date span 29 February 2028, longer than the listed default: a default nobody set
	// does not cap, so the service's two-year default expiry stands, as go-tfe's tests expect.
	const teamId = await team(org, "t");
	const defaulted = await send("POST", `/teams/${teamId}/authentication-token`);
	t.is(defaulted.json.data.attributes["expired-at"], "2028-12-03T00:00:00.000Z");

	const patch = (policies: unknown) =>
		send("PATCH", `/organizations/${org}/token-ttl-policies`, resource("organization-token-ttl-policies", {"token-ttl-policies": policies}));
	const updated = await patch([
		{"token-type": "team", "max-ttl-ms": 30 * DAY_MS},
		{"token-type": "organization", "max-ttl-ms": 3_600_000},
	]);
	t.is(updated.status, 200);
	t.deepEqual(byType(updated.json.data), {organization: 3_600_000, team: 30 * DAY_MS, user: DEFAULT_TTL_MS, audit_trails: DEFAULT_TTL_MS});
	t.deepEqual(byType(await list()), byType(updated.json.data));

	const capped = await send("POST", `/teams/${teamId}/authentication-tokens`, resource("authentication-tokens", {description: "capped"}));
	t.is(capped.json.data.attributes["expired-at"], "2027-01-02T00:00:00.000Z", "a set policy caps the default expiry");
	const tooLong = await send("POST", `/organizations/${org}/authentication-token`, resource("authentication-tokens", {"expired-at": "2026-12-03T02:00:00Z"}));
	t.is(tooLong.status, 422);
	t.regex(tooLong.json.errors[0].detail, /3600000 ms/);

	for (const bad of [[], "x", [{"token-type": "metrics", "max-ttl-ms": 1}], [{"token-type": "team", "max-ttl-ms": 0}], [{"token-type": "team", "max-ttl-ms": 1.5}], [{"token-type": "team"}], [7]]) {
		t.is((await patch(bad)).status, 422, JSON.stringify(bad));
	}
	t.is((await patch([{"token-type": "user", "max-ttl-ms": DAY_MS}, {"token-type": "bogus", "max-ttl-ms": DAY_MS}])).status, 422);
	t.is(byType(await list()).user, DEFAULT_TTL_MS, "a refused PATCH changes nothing, not even its valid entries");
	t.is((await send("PATCH", "/organizations/nowhere/token-ttl-policies", resource("x", {"token-ttl-policies": [{"token-type": "team", "max-ttl-ms": 1}]}))).status, 404);
});

test("TTL policies of the start-up organization: PATCH is 404 without --token-ttl, as GET is; with it, PATCH updates what it lists", async t => {
	const body = {data: {type: "organization-token-ttl-policies", attributes: {"token-ttl-policies": [{"token-type": "team", "max-ttl-ms": DAY_MS}]}}};
	const bare = await open(t);
	t.is((await bare.send("PATCH", "/organizations/local-org/token-ttl-policies", body)).status, 404);
	t.is((await bare.send("GET", "/organizations/local-org/token-ttl-policies")).status, 404);

	const withPolicies = await open(t, {tokenTtlDays: {organization: 30}});
	const patched = await withPolicies.send("PATCH", "/organizations/local-org/token-ttl-policies", body);
	t.is(patched.status, 200);
	t.deepEqual(
		patched.json.data.map((p: any) => p.attributes),
		[
			{"token-type": "organization", "max-ttl-ms": 30 * DAY_MS},
			{"token-type": "team", "max-ttl-ms": DAY_MS},
		],
	);
	const far = await withPolicies.send("POST", "/teams/team-abc1/authentication-token", {data: {attributes: {"expired-at": "2099-01-01T00:00:00Z"}}});
	t.is(far.status, 422, "the patched team policy is enforced");
});

test("admin routes: feature sets by q, and a subscription naming one; admin token only", async t => {
	const {send, resource, organization, team, token} = await open(t);
	const org = await organization("acme");
	const business = await send("GET", "/admin/feature-sets?q=Business");
	t.is(business.status, 200);
	t.is(business.json.data.length, 1);
	t.like(business.json.data[0], {type: "feature-sets", attributes: {name: "Business"}});
	t.is((await send("GET", "/admin/feature-sets")).json.data.length, 3);
	t.deepEqual((await send("GET", "/admin/feature-sets?q=nothing-like-it")).json.data, []);

	const subscribe = (to: string, featureSet: unknown, as?: string) =>
		send(
			"POST",
			`/admin/organizations/${to}/subscription`,
			resource("subscription", {"runs-ceiling": 10}, {"feature-set": {data: {id: featureSet, type: "feature-sets"}}}),
			as,
		);
	const subscribed = await subscribe(org, business.json.data[0].id);
	t.is(subscribed.status, 201);
	t.deepEqual(subscribed.json.data.relationships["feature-set"].data, {id: business.json.data[0].id, type: "feature-sets"});
	t.is((await subscribe(org, "fs-nope")).status, 422);
	t.is((await subscribe(org, undefined)).status, 422);
	t.is((await subscribe("nowhere", business.json.data[0].id)).status, 404);

	// Every issued token is a credential here, but not an admin one.
	const teamToken = await token(`/teams/${await team(org, "t")}/authentication-token`);
	t.is((await send("GET", "/admin/feature-sets?q=Business", undefined, teamToken.secret)).status, 404);
	t.is((await subscribe(org, business.json.data[0].id, teamToken.secret)).status, 404);
});

test("ping answers anyone with headers only; every other path checks the credential before the route", async t => {
	const {api, send} = await open(t);
	const ping = await fetch(`${api.url}/api/v2/ping`);
	t.is(ping.status, 204);
	t.is(ping.headers.get("tfp-appname"), "HCP Terraform");
	t.is(await ping.text(), "");
	t.is((await send("GET", "/ping", undefined, "bogus")).status, 204);
	t.is((await send("POST", "/ping")).status, 405);

	for (const path of ["/nothing", "/organizations/x/nothing", "/teams/team-abc1/authentication-token"]) {
		t.is((await send("GET", path, undefined, "bogus")).status, 401, `bad token: ${path}`);
		t.is((await send("GET", path, undefined, null)).status, 401, `no token: ${path}`);
	}
	t.is((await send("PUT", "/organizations", undefined, "bogus")).status, 401, "before the method, too");
	t.is((await send("GET", "/nothing")).status, 404);
	t.is((await send("PUT", "/organizations")).status, 405);
	t.is((await send("DELETE", "/teams/team-abc1")).status, 204, "seeded teams can be deleted like any other");
	t.deepEqual(api.teams, []);
});

test("GET /organizations/:name reports max-ttl-enabled where the policies API is, and nothing where it is not", async t => {
	const withPolicies = await open(t, {tokenTtlDays: {}});
	const shown = await withPolicies.send("GET", `/organizations/${withPolicies.api.organization}`);
	t.is(shown.status, 200);
	t.like(shown.json.data, {id: withPolicies.api.organization, type: "organizations", attributes: {name: withPolicies.api.organization, "max-ttl-enabled": true}});
	const made = await withPolicies.organization("made-at-run-time");
	t.true((await withPolicies.send("GET", `/organizations/${made}`)).json.data.attributes["max-ttl-enabled"]);
	t.is((await withPolicies.send("GET", "/organizations/no-such-org")).status, 404);
	const without = await open(t);
	const older = await without.send("GET", `/organizations/${without.api.organization}`);
	t.false("max-ttl-enabled" in older.json.data.attributes, "an older Terraform Enterprise has no such attribute");
});
