import test, {type ExecutionContext} from "ava";
import {start, type LocalApiOptions} from "../provider/local-api";
import {parseLocalApiArgs, UsageError} from "../provider/local-api/cli-args";

const ORG = "local-org";
const POOL = "apool-abc1";

async function open(t: ExecutionContext, options: LocalApiOptions = {}) {
	const api = await start({agentPools: [POOL], ...options});
	t.teardown(() => api.close());
	/** One JSON:API request as the admin (or `token`); answers status and parsed body. */
	const send = async (method: string, path: string, body?: object, token: string | null = api.adminToken) => {
		const response = await fetch(`${api.url}/api/v2${path}`, {
			method,
			headers: {
				...(token === null ? {} : {Authorization: `Bearer ${token}`}),
				...(body === undefined ? {} : {"Content-Type": "application/vnd.api+json"}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return {status: response.status, json: text === "" ? undefined : JSON.parse(text)};
	};
	return {api, send};
}

const withAttributes = (attributes: object) => ({data: {type: "authentication-tokens", attributes}});

test("organization token: POST replaces, GET shows without the secret, DELETE revokes; audit-trail token is separate", async t => {
	const {api, send} = await open(t);
	const first = await send("POST", `/organizations/${ORG}/authentication-token`);
	t.is(first.status, 201);
	t.regex(first.json.data.attributes.token, /\.atlasv1\./);
	t.is(first.json.data.relationships.organization.data.id, ORG);
	const second = await send("POST", `/organizations/${ORG}/authentication-token`);
	t.not(second.json.data.id, first.json.data.id);
	const audit = await send("POST", `/organizations/${ORG}/authentication-token?token=audit-trails`);
	t.deepEqual(api.tokens().map(x => x.id).sort(), [second.json.data.id, audit.json.data.id].sort(), "the POST revoked the first");
	const shown = await send("GET", `/organizations/${ORG}/authentication-token?token=audit-trails`);
	t.is(shown.json.data.id, audit.json.data.id);
	t.is(shown.json.data.attributes.token, null);
	t.is((await send("DELETE", `/organizations/${ORG}/authentication-token`)).status, 204);
	t.is((await send("GET", `/organizations/${ORG}/authentication-token`)).status, 404);
	t.deepEqual(api.tokens().map(x => x.kind), ["audit-trail"]);
});

test("organization token: another organization is 404 (no access), an unknown ?token is 422, no credential 401", async t => {
	const {send} = await open(t);
	t.is((await send("POST", "/organizations/other-org/authentication-token")).status, 404);
	t.is((await send("POST", `/organizations/${ORG}/authentication-token?token=users`)).status, 422);
	t.is((await send("POST", `/organizations/${ORG}/authentication-token`, undefined, null)).status, 401);
});

test("agent tokens: a description is required, several per pool, listed by pool, read and revoked by id", async t => {
	const {send} = await open(t);
	t.is((await send("POST", `/agent-pools/${POOL}/authentication-tokens`, withAttributes({}))).status, 422);
	const a = await send("POST", `/agent-pools/${POOL}/authentication-tokens`, withAttributes({description: "runners"}));
	const b = await send("POST", `/agent-pools/${POOL}/authentication-tokens`, withAttributes({description: "runners"}));
	t.is(a.status, 201);
	t.is(b.status, 201, "descriptions may repeat");
	t.is(a.json.data.relationships["agent-pool"].data.id, POOL);
	const list = await send("GET", `/agent-pools/${POOL}/authentication-tokens`);
	t.deepEqual(list.json.data.map((x: {id: string}) => x.id), [a.json.data.id, b.json.data.id]);
	t.is((await send("DELETE", `/authentication-tokens/${a.json.data.id}`)).status, 204);
	t.is((await send("GET", `/authentication-tokens/${a.json.data.id}`)).status, 404);
	const missing = await send("POST", "/agent-pools/apool-none1/authentication-tokens", withAttributes({description: "x"}));
	t.is(missing.status, 404);
	t.regex(missing.json.errors[0].detail, /Agent Pool not found, or user unauthorized/);
});

test("team-token list leaves out the organization's other tokens", async t => {
	const {api, send} = await open(t, {teams: ["team-abc1"]});
	await send("POST", `/organizations/${ORG}/authentication-token`);
	await send("POST", "/teams/team-abc1/authentication-token");
	const list = await send("GET", `/organizations/${ORG}/team-tokens`);
	t.deepEqual(list.json.data.map((x: {id: string}) => x.id), api.tokens().filter(x => x.kind === "legacy").map(x => x.id));
});

test("token TTL policies: 404 unless set; listed in ms; an expiry past one is 422; the default expiry is capped", async t => {
	const now = new Date("2026-11-28T00:00:00.000Z");
	t.is((await (await open(t)).send("GET", `/organizations/${ORG}/token-ttl-policies`)).status, 404);
	const {send} = await open(t, {tokenTtlDays: {organization: 30}, now: () => now});
	const list = await send("GET", `/organizations/${ORG}/token-ttl-policies`);
	t.deepEqual(list.json.data.map((x: {attributes: object}) => x.attributes), [{"token-type": "organization", "max-ttl-ms": 30 * 86_400_000}]);
	const far = await send("POST", `/organizations/${ORG}/authentication-token`, withAttributes({"expired-at": "2027-01-28T00:00:00Z"}));
	t.is(far.status, 422);
	t.regex(far.json.errors[0].detail, /maximum token lifetime of 30 days/);
	const defaulted = await send("POST", `/organizations/${ORG}/authentication-token`);
	t.is(defaulted.json.data.attributes["expired-at"], "2026-12-28T00:00:00.000Z");
	const audit = await send("POST", `/organizations/${ORG}/authentication-token?token=audit-trails`);
	t.is(audit.json.data.attributes["expired-at"], "2028-11-28T00:00:00.000Z", "no policy for audit trails: two years");
});

test("CLI flags: --agent-pools takes ids and counts like --teams; --token-ttl takes type=days pairs", t => {
	const command = parseLocalApiArgs(["--agent-pools", "apool-a1,2", "--token-ttl", "organization=30, audit_trails=7"], {});
	if (command.help) throw new Error("not a help request");
	const pools = command.options.agentPools as string[];
	t.is(pools.length, 3);
	t.is(pools[0], "apool-a1");
	t.regex(pools[2]!, /^apool-[A-Za-z0-9]{16}$/);
	t.deepEqual(command.options.tokenTtlDays, {organization: 30, audit_trails: 7});
	t.throws(() => parseLocalApiArgs(["--token-ttl", "agent=3"], {}), {instanceOf: UsageError, message: /unknown token type "agent"/});
	t.throws(() => parseLocalApiArgs(["--token-ttl", "team=soon"], {}), {instanceOf: UsageError, message: /--token-ttl expects a number/});
});
