import test from "ava";
import {authenticates, engineStack, requestsOf} from "./harness";

test("legacy token: up, no-op up, replace on expiredAt, move to another team, destroy", async t => {
	const e = await engineStack(t);
	const {api} = e;

	// 1. up creates the team's token; the output is the team's current token and it authenticates.
	e.tokens.ci = {teamId: "team-e2e1", expiredAt: "2034-06-01T00:00:00Z"};
	const first = await e.up();
	const [current] = api.tokens().filter(x => x.teamId === "team-e2e1");
	t.is(first.ciToken, current!.token);
	t.is(first.ciId, current!.id);
	t.true(await authenticates(api, first.ciToken!));

	// 2. a second up with no change (the same instant written differently) changes nothing and sends no POST.
	api.clearRequests();
	e.tokens.ci = {teamId: "team-e2e1", expiredAt: "2034-06-01T02:00:00+02:00"};
	const same = await e.stack.up({onOutput: text => e.output.push(text)});
	t.deepEqual(same.summary.resourceChanges, {same: 2});
	t.false(requestsOf(api).some(c => c.startsWith("POST")), requestsOf(api).join("\n"));

	// 3. a new expiredAt replaces: delete first, then the POST, so the new token is never revoked.
	api.clearRequests();
	e.tokens.ci = {teamId: "team-e2e1", expiredAt: "2034-07-01T00:00:00Z"};
	const replaced = await e.up();
	const log = requestsOf(api);
	t.true(log.indexOf(`DELETE /authentication-tokens/${first.ciId} 204`) < log.indexOf("POST /teams/team-e2e1/authentication-token 201"), log.join("\n"));
	t.is(log.filter(c => c.startsWith("DELETE")).length, 1);
	const after = api.tokens().filter(x => x.teamId === "team-e2e1");
	t.is(after.length, 1);
	t.is(after[0]!.token, replaced.ciToken);
	t.is(after[0]!.expiredAt, "2034-07-01T00:00:00.000Z");
	t.true(await authenticates(api, replaced.ciToken!));
	t.false(await authenticates(api, first.ciToken!));

	// 4. a new teamId moves the token.
	e.tokens.ci = {teamId: "team-e2e2", expiredAt: "2034-07-01T00:00:00Z"};
	const moved = await e.up();
	t.deepEqual(api.tokens().filter(x => x.teamId === "team-e2e1"), []);
	t.is(api.tokens().find(x => x.teamId === "team-e2e2")?.token, moved.ciToken);
	t.true(await authenticates(api, moved.ciToken!));

	// 7. destroy revokes what the stack made.
	await e.stack.destroy();
	t.deepEqual(api.tokens(), []);
	t.false(await authenticates(api, moved.ciToken!));
});
