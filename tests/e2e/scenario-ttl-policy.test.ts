import test from "ava";
import {engineStack} from "./harness";

const DAY = 86_400_000;
const TWO_YEARS = 63_113_904_000;

/** The organization's policies as the API lists them, in days (ms for the two-year default). */
async function policies(url: string, adminToken: string, organization: string): Promise<Record<string, number>> {
	const answer = await fetch(`${url}/api/v2/organizations/${organization}/token-ttl-policies`, {headers: {authorization: `Bearer ${adminToken}`}});
	const body = await answer.json() as {data: {attributes: {"token-type": string; "max-ttl-ms": number}}[]};
	return Object.fromEntries(body.data.map(({attributes}) => [attributes["token-type"], attributes["max-ttl-ms"] % DAY === 0 ? attributes["max-ttl-ms"] / DAY : attributes["max-ttl-ms"]]));
}

test("TokenLifetimePolicy (TypeScript): create, shorten with the cut-off count at preview, a token beyond the planned policy fails at preview, destroy restores the defaults", async t => {
	// The policies API present and nothing set, as on HCP Terraform.
	const e = await engineStack(t, {tokenTtlDays: {}});
	const {api} = e;
	const org = api.organization;
	const read = () => policies(api.url, api.adminToken, org);
	const output = () => e.output.join("");

	// Create: the audit-trail token declared first and on its own, the organization token depending on the policy.
	e.tokens.audit = {resource: "AuditTrailToken", organization: org};
	e.tokens.policy = {resource: "TokenLifetimePolicy", organization: org, organizationTokenMaxDays: 365};
	e.tokens.org = {resource: "OrganizationToken", organization: org, expiresInDays: 300, after: ["policy"]};
	await e.up();
	t.deepEqual(await read(), {organization: 365, team: TWO_YEARS, user: TWO_YEARS, audit_trails: TWO_YEARS});
	const [policyState] = (await e.resources()).filter(r => r.type.endsWith(":TokenLifetimePolicy"));
	t.is(policyState!.id, org);
	t.like(policyState!.outputs, {organizationTokenMaxTtlMs: 365 * DAY, auditTrailTokenMaxTtlMs: TWO_YEARS});
	await e.stack.preview({expectNoChanges: true});

	// Shorten: the preview counts the live tokens each shorter limit cuts off, naming the stack's own.
	const audit = api.tokens().find(x => x.kind === "audit-trail")!;
	const orgToken = api.tokens().find(x => x.kind === "organization")!;
	e.tokens.policy = {resource: "TokenLifetimePolicy", organization: org, organizationTokenMaxDays: 200, auditTrailTokenMaxDays: 10};
	// Its 300 days would now fail the preview (below); 150 fit the new limit.
	e.tokens.org = {resource: "OrganizationToken", organization: org, expiresInDays: 150, after: ["policy"]};
	e.output.length = 0;
	await e.stack.preview({onOutput: text => e.output.push(text)});
	t.regex(output(), new RegExp(`audit_trails tokens from 730\\.49 days to 10 days: cuts off 0 of the organization's 1 live audit_trails tokens at once `
		+ `and ends 1 more before their expiry \\(${audit.id}\\)`));
	// The stack's own audit-trail token, which does not depend on the policy, is named as the stack's either in that
	// sentence (when the engine showed it to the provider before the policy's check) or by its own diff (after).
	t.regex(output(), new RegExp(`this stack manages ${audit.id} \\(AuditTrailToken ${org}\\)|AuditTrailToken ${org} \\(${audit.id}\\) stops working before its expiry`));
	t.regex(output(), new RegExp(`organization tokens from 365 days to 200 days: cuts off 0 of the organization's 1 live organization tokens at once `
		+ `and ends 1 more before their expiry \\(${orgToken.id}\\)`));
	// The organization token depends on the policy, so the engine shows it after the policy's check: its own diff says it.
	t.regex(output(), new RegExp(`OrganizationToken ${org} \\(${orgToken.id}\\) stops working before its expiry once the TokenLifetimePolicy of this stack `
		+ "sets organization tokens to at most 200 days"));
	t.deepEqual(await read(), {organization: 365, team: TWO_YEARS, user: TWO_YEARS, audit_trails: TWO_YEARS}, "a preview changes nothing");
	await e.up();
	t.deepEqual(await read(), {organization: 200, team: TWO_YEARS, user: TWO_YEARS, audit_trails: 10});

	// A token beyond the policy planned beside it fails at preview, though the API's current policy (200) allows it.
	e.tokens.policy = {resource: "TokenLifetimePolicy", organization: org, organizationTokenMaxDays: 100, auditTrailTokenMaxDays: 10};
	e.tokens.org = {resource: "OrganizationToken", organization: org, expiresInDays: 150, triggers: ["renew"], after: ["policy"]};
	e.output.length = 0;
	const refused = await t.throwsAsync(e.stack.preview({onOutput: text => e.output.push(text)}));
	t.regex(`${refused!.message}${output()}`, new RegExp("expiresInDays: 150 days is too long: the token TTL policy this stack sets for the organization "
		+ `${org} \\(its TokenLifetimePolicy\\) allows organization tokens at most 100 days`));
	t.deepEqual(await read(), {organization: 200, team: TWO_YEARS, user: TWO_YEARS, audit_trails: 10}, "nothing sent");
	e.tokens.org = {resource: "OrganizationToken", organization: org, expiresInDays: 90, triggers: ["renew"], after: ["policy"]};
	await e.up();
	t.deepEqual(await read(), {organization: 100, team: TWO_YEARS, user: TWO_YEARS, audit_trails: 10});

	// Destroy: every type back at two years.
	await e.stack.destroy();
	t.deepEqual(await read(), {organization: TWO_YEARS, team: TWO_YEARS, user: TWO_YEARS, audit_trails: TWO_YEARS});
	t.deepEqual(api.tokens(), []);
});
