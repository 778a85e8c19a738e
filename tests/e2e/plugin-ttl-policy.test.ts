import test from "ava";
import {languageStack} from "./plugin-harness";
import {type Declared} from "./plugin-programs";

/*
 * TokenLifetimePolicy through the provider plugin, from a YAML program and the real CLI: the same lifecycle as the
 * TypeScript class, plus `pulumi import`, which only the plugin can serve.
 */

const UP = ["up", "--yes", "--non-interactive", "--skip-preview"];
const ORG = "policy-org";
const DAY = 86_400_000;
const TWO_YEARS = 63_113_904_000;

test("yaml: TokenLifetimePolicy creates, changes with the cut-off count at preview, refuses a token beyond it at preview, deletes to the defaults, imports", async t => {
	t.timeout(10 * 60_000);
	const {api, cli, program} = await languageStack(t, "yaml", {teams: [], agentPools: [], organization: ORG, tokenTtlDays: {}});
	const send = async (method: string, body?: object) => {
		const answer = await fetch(`${api.url}/api/v2/organizations/${ORG}/token-ttl-policies`, {
			method,
			headers: {authorization: `Bearer ${api.adminToken}`, "content-type": "application/vnd.api+json"},
			body: body && JSON.stringify(body),
		});
		const listed = await answer.json() as {data: {attributes: {"token-type": string; "max-ttl-ms": number}}[]};
		return Object.fromEntries(listed.data.map(({attributes: a}) => [a["token-type"], a["max-ttl-ms"] % DAY ? a["max-ttl-ms"] : a["max-ttl-ms"] / DAY]));
	};
	const read = () => send("GET");
	const declare = (policy: Record<string, number>, expiresInDays: number): Record<string, Declared> => ({
		policy: {type: "TokenLifetimePolicy", props: {organization: ORG, ...policy}},
		org: {type: "OrganizationToken", props: {organization: ORG, expiresInDays}, after: ["policy"]},
	});
	await cli.run(["config", "set", "desc", "unused"]);

	// Create.
	program(declare({teamTokenMaxDays: 90}, 60));
	await cli.run(UP);
	t.deepEqual(await read(), {organization: TWO_YEARS, team: 90, user: TWO_YEARS, audit_trails: TWO_YEARS});
	await cli.run(["preview", "--expect-no-changes", "--non-interactive"]);

	// A shorter organization-token limit: the preview counts the live token it cuts short and refuses the token that
	// asks for more than the planned limit, before anything is sent.
	const orgToken = api.tokens().find(x => x.kind === "organization")!;
	program(declare({teamTokenMaxDays: 90, organizationTokenMaxDays: 30}, 60));
	const refused = await cli.spawn(["preview", "--non-interactive"]);
	t.not(refused.code, 0);
	const said = refused.stdout + refused.stderr;
	t.regex(said, new RegExp(`organization tokens from 730\\.49 days to 30 days: cuts off 0 of the organization's 1 live organization tokens at once `
		+ `and ends 1 more before their expiry \\(${orgToken.id}\\)`));
	t.regex(said, new RegExp(`expiresInDays: 60 days is too long: the token TTL policy this stack sets for the organization ${ORG} \\(its TokenLifetimePolicy\\) `
		+ "allows organization tokens at most 30 days"));
	t.deepEqual(await read(), {organization: TWO_YEARS, team: 90, user: TWO_YEARS, audit_trails: TWO_YEARS}, "nothing sent");
	program(declare({teamTokenMaxDays: 90, organizationTokenMaxDays: 30}, 20));
	await cli.run(UP);
	t.deepEqual(await read(), {organization: 30, team: 90, user: TWO_YEARS, audit_trails: TWO_YEARS});

	// Delete: every type back at two years.
	await cli.run(["destroy", "--yes", "--non-interactive", "--skip-preview"]);
	t.deepEqual(await read(), {organization: TWO_YEARS, team: TWO_YEARS, user: TWO_YEARS, audit_trails: TWO_YEARS});

	// Import a policy set by hand, by organization name: declared as it is, it is a no-op.
	await send("PATCH", {data: {type: "organization-token-ttl-policies", attributes: {"token-ttl-policies": [{"token-type": "user", "max-ttl-ms": 45 * DAY}]}}});
	program({});
	await cli.run(UP);
	await cli.run(["import", "tfe-tokens:index:TokenLifetimePolicy", "policy", ORG, "--yes", "--protect=false", "--generate-code=false", "--non-interactive"]);
	const state = JSON.parse(await cli.run(["stack", "export"], {quiet: true})) as {deployment: {resources: {type: string; id: string; inputs: Record<string, unknown>}[]}};
	const adopted = state.deployment.resources.find(r => r.type === "tfe-tokens:index:TokenLifetimePolicy")!;
	t.is(adopted.id, ORG);
	t.deepEqual(adopted.inputs, {kind: "token-lifetime-policy", organization: ORG, userTokenMaxDays: 45});
	program({policy: {type: "TokenLifetimePolicy", props: {organization: ORG, userTokenMaxDays: 45}}});
	await cli.run(["preview", "--expect-no-changes", "--non-interactive"]);
	await cli.run(["destroy", "--yes", "--non-interactive", "--skip-preview"]);
	t.deepEqual(await read(), {organization: TWO_YEARS, team: TWO_YEARS, user: TWO_YEARS, audit_trails: TWO_YEARS});
});
