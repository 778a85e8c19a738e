import test from "ava";
import {authenticates, byHand, engineStack, requestsOf} from "./harness";

const POOL = "apool-e2e1";

test("organization, audit-trail and agent tokens: create, no-op, replace in each kind's order, refresh after changes by hand, destroy", async t => {
	const e = await engineStack(t);
	const {api} = e;
	const org = api.organization;
	const declare = (rotation: string, forceRegenerate?: boolean) => {
		e.tokens.org = {resource: "OrganizationToken", organization: org, expiresInDays: 30, triggers: [rotation], forceRegenerate};
		e.tokens.audit = {resource: "AuditTrailToken", organization: org, triggers: [rotation]};
		e.tokens.agent = {resource: "AgentToken", agentPoolId: POOL, description: "runners", triggers: [rotation]};
	};

	// Create.
	declare("1");
	const first = await e.up();
	t.deepEqual(api.tokens().map(x => x.kind).sort(), ["agent", "audit-trail", "organization"]);
	for (const name of ["org", "audit", "agent"]) {
		t.true(await authenticates(api, first[`${name}Token`]!), name);
	}
	const state = await e.exportState();
	for (const name of ["org", "audit", "agent"]) {
		t.false(state.includes(first[`${name}Token`]!), `${name}: the token is a secret in state`);
	}
	t.deepEqual((await e.resources()).map(r => [r.type.split(":").pop(), r.id]).sort(), [
		["AgentToken", first.agentId], ["AuditTrailToken", org], ["OrganizationToken", org],
	]);

	// No-op.
	api.clearRequests();
	await e.stack.preview({expectNoChanges: true});
	await e.stack.up({expectNoChanges: true});
	t.false(requestsOf(api).some(line => /^(POST|DELETE)/.test(line)), "nothing created or revoked");

	// Replace: the single tokens are revoked first (a POST would replace them anyway), the agent token made first.
	api.clearRequests();
	declare("2");
	const second = await e.up();
	const log = requestsOf(api);
	const agentCreated = log.indexOf(`POST /agent-pools/${POOL}/authentication-tokens 201`);
	const agentRevoked = log.indexOf(`DELETE /authentication-tokens/${first.agentId} 204`);
	t.true(agentCreated >= 0 && agentRevoked > agentCreated, `agent: new before old\n${log.join("\n")}`);
	t.is(log.filter(line => line === `DELETE /organizations/${org}/authentication-token 204`).length, 2, "both single tokens revoked before their POST");
	for (const name of ["org", "audit", "agent"]) {
		t.false(await authenticates(api, first[`${name}Token`]!), `old ${name}`);
		t.true(await authenticates(api, second[`${name}Token`]!), `new ${name}`);
	}

	// Changes by hand: the organization token regenerated, the audit-trail and agent tokens revoked. Refresh drops
	// all three from state.
	await byHand(api.url, api.adminToken, "POST", `organizations/${org}/authentication-token`);
	await byHand(api.url, api.adminToken, "DELETE", `organizations/${org}/authentication-token?token=audit-trails`);
	await byHand(api.url, api.adminToken, "DELETE", `authentication-tokens/${second.agentId}`);
	const theirs = api.tokens().find(x => x.kind === "organization")!;
	t.true(await authenticates(api, theirs.token), "someone uses it");
	await e.stack.refresh({onOutput: text => e.output.push(text)});
	t.deepEqual(await e.resources(), []);
	t.regex(e.output.join(""), /regenerated outside Pulumi.*the organization now has/);

	// The regenerated organization token may be in use: up refuses it until forceRegenerate; the others are made again.
	const refused = await t.throwsAsync(e.up());
	t.regex(refused!.message, new RegExp(`A token already exists for organization ${org}: at-\\w+ .*forceRegenerate: true`, "s"));
	declare("2", true);
	const third = await e.up();
	t.true(await authenticates(api, third.orgToken!));
	t.false(await authenticates(api, theirs.token));
	t.true(await authenticates(api, third.agentToken!));
	t.true(await authenticates(api, third.auditToken!));
	t.false(await authenticates(api, second.auditToken!));

	// Destroy.
	await e.stack.destroy();
	t.deepEqual(api.tokens(), []);
});

test("the organization's TTL policy fails a preview whose expiresInDays exceeds it, naming the policy", async t => {
	const e = await engineStack(t, {tokenTtlDays: {organization: 30}});
	e.tokens.org = {resource: "OrganizationToken", organization: e.api.organization, expiresInDays: 90};
	const error = await t.throwsAsync(e.stack.preview({onOutput: text => e.output.push(text)}));
	t.regex(`${error!.message}${e.output.join("")}`, /expiresInDays: 90 days is too long: the organization local-org's token TTL policy for organization tokens allows at most 30 days/);
	t.deepEqual(e.api.tokens(), []);
});
