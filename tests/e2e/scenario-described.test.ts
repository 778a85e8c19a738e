import test from "ava";
import {authenticates, engineStack, requestsOf} from "./harness";

test("described tokens coexist, and a new description replaces create-before-delete", async t => {
	const e = await engineStack(t);
	const {api} = e;
	e.tokens.ci = {teamId: "team-e2e1", description: "ci"};
	e.tokens.deploy = {teamId: "team-e2e1", description: "deploy"};
	const first = await e.up();
	t.is(api.tokens().filter(x => x.teamId === "team-e2e1").length, 2);
	t.true(await authenticates(api, first.ciToken!));
	t.true(await authenticates(api, first.deployToken!));
	t.regex(first.ciId!, /^at-/);

	api.clearRequests();
	e.tokens.ci = {teamId: "team-e2e1", description: "ci-2"};
	const second = await e.up();
	const log = requestsOf(api);
	const created = log.indexOf("POST /teams/team-e2e1/authentication-tokens 201");
	const deleted = log.indexOf(`DELETE /authentication-tokens/${first.ciId} 204`);
	t.true(created >= 0 && deleted > created, `the new token exists before the old one is revoked:\n${log.join("\n")}`);
	t.deepEqual(api.tokens().filter(x => x.teamId === "team-e2e1").map(x => x.description).sort(), ["ci-2", "deploy"]);
	t.true(await authenticates(api, second.ciToken!));
	t.false(await authenticates(api, first.ciToken!));
	t.is(second.deployToken, first.deployToken, "the other token is untouched");

	// Rotating a token in place (same team, same description) has to revoke it first: the API refuses a second
	// token with the same description.
	api.clearRequests();
	e.tokens.deploy = {teamId: "team-e2e1", description: "deploy", triggers: ["rotate-1"]};
	const third = await e.up();
	const rotation = requestsOf(api);
	t.true(rotation.indexOf(`DELETE /authentication-tokens/${first.deployId} 204`) < rotation.indexOf("POST /teams/team-e2e1/authentication-tokens 201"), rotation.join("\n"));
	t.not(third.deployToken, first.deployToken);
	t.true(await authenticates(api, third.deployToken!));
	t.deepEqual(api.tokens().filter(x => x.teamId === "team-e2e1").map(x => x.description).sort(), ["ci-2", "deploy"]);

	await e.stack.destroy();
	t.deepEqual(api.tokens(), []);
});
