import test from "ava";
import {authenticates, engineStack, requestsOf} from "./harness";

const DAY = 86_400_000;

test("pulumi up rotates a token that is due and leaves one that is not", async t => {
	// The API's clock starts 700 days back, so a token it gives its default two-year lifetime expires in 30 days.
	let shift = -700 * DAY;
	const e = await engineStack(t, {now: () => new Date(Date.now() + shift)});
	const {api} = e;
	e.tokens.due = {teamId: "team-e2e1", rotateBeforeDays: 60};
	e.tokens.fresh = {teamId: "team-e2e2", expiresInDays: 365, rotateBeforeDays: 60};
	const first = await e.up();
	shift = 0;

	const preview = await e.stack.preview();
	t.is(preview.changeSummary.replace, 1, "the preview shows the due token being replaced");
	t.regex(preview.stdout, /rotating the token of team-e2e1: the token expires in (29|30)\.\d days .*fewer than rotateBeforeDays \(60\)/);

	api.clearRequests();
	const second = await e.up();
	t.notDeepEqual(second.dueToken, first.dueToken, "the token with 30 days left was rotated");
	t.is(second.freshToken, first.freshToken, "the token with 365 days left was kept");
	t.false(await authenticates(api, first.dueToken!));
	t.true(await authenticates(api, second.dueToken!));
	t.regex(e.output.join(""), /expires in (29|30)\.\d days .*fewer than rotateBeforeDays \(60\)/);
	t.false(requestsOf(api).some(c => c.includes("team-e2e2") && !c.startsWith("GET")), requestsOf(api).join("\n"));
	const renewed = api.tokens().find(x => x.teamId === "team-e2e1")!;
	t.true(Date.parse(renewed.expiredAt!) - Date.now() > 700 * DAY, "the new token has a full lifetime");

	api.clearRequests();
	const third = await e.stack.up();
	t.deepEqual(third.summary.resourceChanges, {same: 3});
});
