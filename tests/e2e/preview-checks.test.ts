import test from "ava";
import type {LocalApi} from "../../provider/local-api";
import {cliStack} from "./cli";

/*
 * What `pulumi preview` finds out before `up` would: a credential the API rejects fails the preview, at the cost of
 * one request per run however many tokens the stack holds.
 */

const sent = (api: LocalApi) => api.requests().map(r => `${r.method} ${r.path} ${r.status}`);

test("pulumi preview fails on an API token the API rejects, naming tfe:token and never the token, with one request", async t => {
	const stack = await cliStack(t);
	const {api} = stack;
	stack.program({legacy: {teamId: "team-crash1"}, described: {teamId: "team-crash1", description: "ci"}});
	api.clearRequests();
	await stack.run(["preview", "--non-interactive"]);
	t.deepEqual(sent(api), ["GET /api/v2/account/details 200"], "two tokens, one check");

	const wrong = "wrong-api-token-0123456789";
	await stack.run(["config", "set", "--secret", "tfe:token", wrong]);
	api.clearRequests();
	const preview = await stack.attempt(["preview", "--non-interactive"]);
	t.not(preview.code, 0, preview.output);
	t.regex(preview.output, /configuration: the API token \(from stack config tfe:token\) was rejected by 127\.0\.0\.1:\d+: GET \/api\/v2\/account\/details answered 401/);
	t.regex(preview.output, /`pulumi config set --secret tfe:token <token>`/);
	t.false(preview.output.includes(wrong), "the token is not printed");
	t.deepEqual(sent(api), ["GET /api/v2/account/details 401"]);
	t.deepEqual(api.tokens(), []);
});
