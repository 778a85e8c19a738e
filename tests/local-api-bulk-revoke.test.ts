import test, {type ExecutionContext} from "ava";
import {start, type LocalApiOptions} from "../provider/local-api";
import {createHttp} from "../provider/api/http";
import {Organizations} from "../provider/api/organizations";
import {MAX_BULK_REVOKE, TeamTokens} from "../provider/api/team-tokens";
import {resolveSettings} from "../provider/api/config";
import {authenticates} from "./probe";

/*
 * `DELETE /organizations/:name/team-tokens` on the local API (all or none; an unknown or foreign id is a 404) and
 * `GET /organizations`, through the API layer's services that send them.
 */

async function open(t: ExecutionContext, options: LocalApiOptions = {}) {
	const api = await start({teams: ["team-a1", "team-a2", "team-a3"], ...options});
	t.teardown(() => api.close());
	const http = createHttp(resolveSettings(undefined, {TFE_ADDRESS: api.url, TFE_TOKEN: api.adminToken}), {sleep: async () => {}});
	const call = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${api.url}/api/v2/${path}`, {
			method,
			headers: {authorization: `Bearer ${api.adminToken}`, "content-type": "application/vnd.api+json"},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return {status: response.status, json: text ? JSON.parse(text) as {data?: {attributes: {token: string}; id: string}; errors?: {detail?: string}[]} : undefined};
	};
	const legacy = async (teamId: string) => (await call("POST", `teams/${teamId}/authentication-token`)).json!.data!;
	return {api, http, call, legacy, tokens: new TeamTokens(http)};
}

const body = (...ids: string[]) => ({data: ids.map(id => ({type: "authentication-tokens", id}))});

test("bulk revocation revokes every listed team token of the organization, legacy and described, in one request", async t => {
	const {api, call, legacy, tokens} = await open(t);
	const a = await legacy("team-a1");
	const b = await legacy("team-a2");
	const described = (await call("POST", "teams/team-a3/authentication-tokens", {data: {type: "authentication-tokens", attributes: {description: "ci"}}})).json!.data!;
	const kept = await legacy("team-a3");
	api.clearRequests();
	await tokens.revokeMany("local-org", {tokenIds: [a.id, b.id, described.id, a.id]});
	t.deepEqual(api.requests().map(r => `${r.method} ${r.path} ${r.status}`), ["DELETE /api/v2/organizations/local-org/team-tokens 204"]);
	t.deepEqual(api.tokens().map(token => token.id), [kept.id]);
	t.false(await authenticates(api, a.attributes.token));
	t.true(await authenticates(api, kept.attributes.token));
});

test("bulk revocation with an unknown or foreign id is a 404 naming it, and revokes nothing", async t => {
	const {api, call, legacy, tokens} = await open(t);
	const ours = await legacy("team-a1");
	t.is((await call("POST", "organizations", {data: {attributes: {name: "other-org", email: "o@example.com"}}})).status, 201);
	const team = (await call("POST", "organizations/other-org/teams", {data: {attributes: {name: "other"}}})).json!.data!;
	const foreign = await legacy(team.id);
	const organizationToken = (await call("POST", "organizations/local-org/authentication-token")).json!.data!;

	for (const stranger of ["at-unknown1", foreign.id, organizationToken.id]) {
		const error = await t.throwsAsync(tokens.revokeMany("local-org", {tokenIds: [ours.id, stranger]}));
		t.regex(error!.message, new RegExp(`DELETE organizations/local-org/team-tokens failed \\(404 not found\\).*${stranger}.*None was revoked`));
	}
	t.is(api.tokens().length, 3, "nothing was revoked");
	t.true(await authenticates(api, ours.attributes.token));
});

test("bulk revocation refuses a body of another shape, an empty list and one over the limit; the API layer checks ids first", async t => {
	const {api, call, tokens} = await open(t);
	t.is((await call("DELETE", "organizations/local-org/team-tokens", {data: {id: "at-x1"}})).status, 400);
	t.is((await call("DELETE", "organizations/local-org/team-tokens", {data: []})).status, 422);
	t.is((await call("DELETE", "organizations/local-org/team-tokens", {data: [{type: "authentication-tokens"}]})).status, 422);
	const tooMany = Array.from({length: MAX_BULK_REVOKE + 1}, (_, i) => `at-x${i}`);
	t.is((await call("DELETE", "organizations/local-org/team-tokens", body(...tooMany))).status, 422);
	t.is((await call("DELETE", "organizations/nowhere/team-tokens", body("at-x1"))).status, 404);

	api.clearRequests();
	await t.throwsAsync(tokens.revokeMany("local-org", {tokenIds: tooMany}), {message: /tokenIds: expected 1 to 100 token ids; got 101/});
	await t.throwsAsync(tokens.revokeMany("local-org", {tokenIds: []}), {message: /tokenIds/});
	await t.throwsAsync(tokens.revokeMany("local-org", {tokenIds: ["../teams"]}), {message: /token ID/});
	t.deepEqual(api.requests(), [], "refused before any request");
});

test("fault bulkRevokeNotFound: the bulk route answers 404 as where it does not exist, and revokes nothing", async t => {
	const {api, legacy, tokens} = await open(t, {faults: {bulkRevokeNotFound: true}});
	const a = await legacy("team-a1");
	await t.throwsAsync(tokens.revokeMany("local-org", {tokenIds: [a.id]}), {message: /\(404 not found\)/});
	t.true(await authenticates(api, a.attributes.token));
	api.setFaults({});
	await tokens.revokeMany("local-org", {tokenIds: [a.id]});
	t.false(await authenticates(api, a.attributes.token));
});

test("GET /organizations lists every organization, paged", async t => {
	const {call, http} = await open(t);
	for (let i = 0; i < 3; i++) {
		t.is((await call("POST", "organizations", {data: {attributes: {name: `org-${i}`, email: "o@example.com"}}})).status, 201);
	}
	const organizations = new Organizations(http);
	const first = await organizations.list({pageSize: 2});
	t.deepEqual(first.items, ["local-org", "org-0"]);
	t.is(first.nextPage, 2);
	t.deepEqual(await organizations.listAllNames(), ["local-org", "org-0", "org-1", "org-2"]);
});
