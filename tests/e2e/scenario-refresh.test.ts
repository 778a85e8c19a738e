import test from "ava";
import {authenticates, byHand, engineStack} from "./harness";

test("refresh notices a token regenerated or deleted outside Pulumi; up then needs forceRegenerate", async t => {
	const e = await engineStack(t);
	const {api} = e;
	e.tokens.ci = {teamId: "team-e2e1"};
	await e.up();

	// Someone regenerates the team's token by hand, and puts it to use.
	await byHand(api.url, api.adminToken, "POST", "teams/team-e2e1/authentication-token");
	const theirs = api.tokens().find(x => x.teamId === "team-e2e1")!;
	t.true(await authenticates(api, theirs.token));
	await e.stack.refresh({onOutput: text => e.output.push(text)});
	t.deepEqual(await e.resources(), [], "refresh removed the token from state");
	t.regex(e.output.join(""), /regenerated outside Pulumi/);

	// The next up refuses to revoke their token...
	const error = await t.throwsAsync(e.up());
	t.regex(error!.message, /A token already exists for team team-e2e1: at-\w+ \(.*last used at.*forceRegenerate: true/s);
	t.true(await authenticates(api, theirs.token));

	// ...until forceRegenerate says to.
	e.tokens.ci = {teamId: "team-e2e1", forceRegenerate: true};
	const taken = await e.up();
	t.false(await authenticates(api, theirs.token));
	t.true(await authenticates(api, taken.ciToken!));

	// Deleted by hand: refresh drops it, and up creates it again without any flag.
	await byHand(api.url, api.adminToken, "DELETE", "teams/team-e2e1/authentication-token");
	await e.stack.refresh();
	t.deepEqual(await e.resources(), []);
	e.tokens.ci = {teamId: "team-e2e1"};
	const again = await e.up();
	t.true(await authenticates(api, again.ciToken!));
});
