import test from "ava";
import {authenticates} from "./probe";
import {failingNextDelete, harness, type Harness, issuedTokens, ORG} from "./esc-harness";

type Answer = {token: string; tokenId: string; expiresAt: string | null; description: string; standby: Answer | null};

async function rotate(t: {is: (a: unknown, b: unknown, m?: string) => void}, h: Harness, request: Record<string, unknown>, state: Answer | null): Promise<Answer> {
	const result = await h.call("/rotate", {request, state});
	t.is(result.status, 200, result.shown);
	return result.json as unknown as Answer;
}

for (const [name, request] of [
	["team", {team: "team-abc1", description: "deploy"}],
	["agent pool", {agentPool: "apool-pool1"}],
	["user", {user: true}],
] as const) {
	test(`rotate a ${name}'s token three times: current and standby work, the one before is revoked`, async t => {
		const h = await harness(t);
		const first = await rotate(t, h, request, null);
		t.is(first.standby, null);
		t.true(await authenticates(h.api, first.token));
		t.regex(first.description, new RegExp(`^issued for ESC rotation of ${ORG}/ci/deploy`));
		const second = await rotate(t, h, request, first);
		t.is(second.standby?.tokenId, first.tokenId);
		t.true(await authenticates(h.api, second.token));
		t.true(await authenticates(h.api, first.token), "the standby still works");
		const third = await rotate(t, h, request, second);
		t.is(third.standby?.tokenId, second.tokenId);
		t.is(third.standby?.token, second.token);
		t.true(await authenticates(h.api, third.token));
		t.true(await authenticates(h.api, second.token));
		t.false(await authenticates(h.api, first.token), "the one before the standby is revoked");
		t.is(issuedTokens(h.api).length, 2);
	});
}

test("a rotation that failed halfway is finished by the next: nothing is left orphaned", async t => {
	const faulty = failingNextDelete();
	const h = await harness(t, {adapter: {http: {fetch: faulty.fetch}}});
	const request = {team: "team-abc1"};
	const first = await rotate(t, h, request, null);
	const second = await rotate(t, h, request, first);
	faulty.arm();
	// Creates its token, then fails revoking the one before: ESC keeps the old state.
	const failed = await h.call("/rotate", {request, state: second});
	t.is(failed.status, 502);
	t.is(issuedTokens(h.api).length, 3, "the failed rotation's token exists, its value lost");
	const next = await rotate(t, h, request, second);
	t.is(next.standby?.tokenId, second.tokenId);
	const live = issuedTokens(h.api).map(token => token.id).sort();
	t.deepEqual(live, [next.tokenId, second.tokenId].sort(), "the orphan and the old standby are revoked");
	t.false(await authenticates(h.api, first.token));
});

test("a token the adapter did not issue is never revoked nor handed out, even when the state names it", async t => {
	const h = await harness(t);
	const created = await fetch(`${h.api.url}/api/v2/teams/team-abc1/authentication-tokens`, {
		method: "POST",
		headers: {authorization: `Bearer ${h.api.adminToken}`, "content-type": "application/vnd.api+json"},
		body: JSON.stringify({data: {type: "authentication-tokens", attributes: {description: "someone's"}}}),
	});
	const foreign = ((await created.json()) as {data: {id: string; attributes: {token: string}}}).data;
	const forged: Answer = {token: "forged", tokenId: foreign.id, expiresAt: null, description: "forged", standby: {token: "x", tokenId: foreign.id, expiresAt: null, description: "x", standby: null}};
	const answer = await rotate(t, h, {team: "team-abc1"}, forged);
	t.is(answer.standby, null);
	t.true(await authenticates(h.api, foreign.attributes.token));
	await rotate(t, h, {team: "team-abc1"}, answer);
	t.true(await authenticates(h.api, foreign.attributes.token));
});

test("two rotators of one owner in one environment keep apart by description", async t => {
	const h = await harness(t);
	const a1 = await rotate(t, h, {team: "team-abc1", description: "a"}, null);
	const b1 = await rotate(t, h, {team: "team-abc1", description: "b"}, null);
	const a2 = await rotate(t, h, {team: "team-abc1", description: "a"}, a1);
	const a3 = await rotate(t, h, {team: "team-abc1", description: "a"}, a2);
	t.true(await authenticates(h.api, b1.token));
	t.false(await authenticates(h.api, a1.token));
	t.true(await authenticates(h.api, a3.token));
});

test("single-slot owners are regenerated: the old value stops at once, no standby", async t => {
	const h = await harness(t);
	for (const request of [{organizationToken: "local-org"}, {auditTrailToken: "local-org"}, {team: "team-abc1", legacy: true}]) {
		const first = await rotate(t, h, request, null);
		t.is(first.standby, null);
		t.true(await authenticates(h.api, first.token));
		const second = await rotate(t, h, request, first);
		t.is(second.standby, null);
		t.true(await authenticates(h.api, second.token));
		t.false(await authenticates(h.api, first.token), JSON.stringify(request));
	}
});

test("a single token the adapter did not make is replaced only with replaceExisting", async t => {
	const h = await harness(t);
	const made = await fetch(`${h.api.url}/api/v2/organizations/local-org/authentication-token`, {
		method: "POST",
		headers: {authorization: `Bearer ${h.api.adminToken}`, "content-type": "application/vnd.api+json"},
		body: JSON.stringify({data: {type: "authentication-tokens", attributes: {}}}),
	});
	const existing = ((await made.json()) as {data: {attributes: {token: string}}}).data.attributes.token;
	// Used, so it cannot be taken for the adapter's own lost create.
	t.true(await authenticates(h.api, existing));
	const refused = await h.call("/rotate", {request: {organizationToken: "local-org"}, state: null});
	t.is(refused.status, 409, refused.shown);
	t.regex(String(refused.json.error), /replaceExisting/);
	t.true(await authenticates(h.api, existing));
	await rotate(t, h, {organizationToken: "local-org", replaceExisting: true}, null);
	t.false(await authenticates(h.api, existing));
});

test("expiresInDays sets the expiry, and above the organization's TTL policy is a 400 naming the limit", async t => {
	const h = await harness(t, {api: {tokenTtlDays: {team: 30}}});
	const ok = await rotate(t, h, {team: "team-abc1", expiresInDays: 7}, null);
	t.true(Math.abs(Date.parse(ok.expiresAt!) - Date.now() - 7 * 86_400_000) < 60_000);
	const result = await h.call("/rotate", {request: {team: "team-abc1", expiresInDays: 31}, state: null});
	t.is(result.status, 400);
	t.regex(String(result.json.error), /request\.expiresInDays 31 days is above the token TTL policy .* team tokens live at most 30d/);
});

test("rotate requests are checked: owner, fields, grants", async t => {
	const h = await harness(t);
	const bad = await h.call("/rotate", {request: {team: "team-abc1", expiresInDays: 0}, state: null});
	t.is(bad.status, 400);
	t.regex(String(bad.json.error), /request\.expiresInDays must be a whole number from 1 to 730/);
	const noEnvelope = await h.call("/rotate", {team: "team-abc1"});
	t.is(noEnvelope.status, 400);
	const denied = await h.call("/rotate", {request: {organizationToken: "other-org"}, state: null});
	t.is(denied.status, 403);
	t.regex(String(denied.json.error), /organization token of other-org/);
	t.deepEqual(issuedTokens(h.api), []);
});
