import test from "ava";
import {createImplementation} from "../provider/engine/crud";
import {checked, fakeClock, setup} from "./helpers";

test("expiresInDays sends expired-at that many days after creation", async t => {
	const clock = fakeClock("2026-11-28T10:00:00.000Z");
	const {api, provider} = await setup(t, {now: clock.now}, {now: clock.now});
	const created = await provider.create(await checked(provider, {teamId: "team-abc1", expiresInDays: 90}));
	t.is(created.outs.expiredAt, "2027-02-26T10:00:00.000Z");
	t.is(api.tokens()[0]!.expiredAt, "2027-02-26T10:00:00.000Z");
	t.is(created.outs.expiresInDays, 90);
});

for (const kind of [{}, {description: "ci"}]) {
	const label = kind.description ? "described" : "legacy";

	test(`${label}: no rotation before the threshold, rotation after it, with the reason in the log`, async t => {
		const clock = fakeClock();
		const {provider, logs} = await setup(t, {now: clock.now}, {now: clock.now});
		const inputs = await checked(provider, {teamId: "team-abc1", ...kind, expiresInDays: 90, rotateBeforeDays: 30});
		const created = await provider.create(inputs);

		clock.advanceDays(59);
		t.deepEqual(await provider.diff(created.id, created.outs, inputs), {changes: false, replaces: [], deleteBeforeReplace: false});
		t.deepEqual(logs, []);

		clock.advanceDays(2);
		const due = await provider.diff(created.id, created.outs, inputs);
		t.true(due.changes);
		t.deepEqual(due.replaces, ["rotateBeforeDays"]);
		t.true(due.deleteBeforeReplace, "a rotated token keeps its slot (the legacy token, or the description), so the old one goes first");
		t.regex(logs.join("\n"), /expires in 29\.0 days \(2027-02-26T00:00:00\.000Z\), fewer than rotateBeforeDays \(30\)/);
	});

	test(`${label}: the server's default expiry rotates too`, async t => {
		const clock = fakeClock();
		const {provider} = await setup(t, {now: clock.now}, {now: clock.now});
		const inputs = await checked(provider, {teamId: "team-abc1", ...kind, rotateBeforeDays: 30});
		const created = await provider.create(inputs);
		t.is(created.outs.expiredAt, "2028-11-28T00:00:00.000Z", "two years, as HCP Terraform does");
		clock.advanceDays(690);
		t.false((await provider.diff(created.id, created.outs, inputs)).changes);
		clock.advanceDays(20);
		t.deepEqual((await provider.diff(created.id, created.outs, inputs)).replaces, ["rotateBeforeDays"]);
	});
}

test("an expired token is replaced even without rotateBeforeDays", async t => {
	const clock = fakeClock();
	const {provider, logs} = await setup(t, {now: clock.now}, {now: clock.now});
	const inputs = await checked(provider, {teamId: "team-abc1", expiresInDays: 10});
	const created = await provider.create(inputs);
	clock.advanceDays(9);
	t.false((await provider.diff(created.id, created.outs, inputs)).changes);
	clock.advanceDays(2);
	const diff = await provider.diff(created.id, created.outs, inputs);
	t.deepEqual(diff.replaces, ["rotateBeforeDays"]);
	t.regex(logs.join("\n"), /the token expired at 2026-12-08T00:00:00\.000Z/);
});

test("rotateBeforeDays with a fixed expiredAt is rejected in check, before any request", async t => {
	const {api, provider} = await setup(t);
	const {failures} = await provider.check({}, {teamId: "team-abc1", expiredAt: "2034-01-01T00:00:00Z", rotateBeforeDays: 30});
	t.is(failures!.length, 1);
	t.regex(failures![0]!.reason, /^rotateBeforeDays: /);
	t.regex(failures![0]!.reason, /fixed expiredAt.*use expiresInDays/);
	t.deepEqual(api.requests(), []);
});

test("a replacement after rotation gets a fresh lifetime from the new creation time", async t => {
	const clock = fakeClock();
	const {api, provider} = await setup(t, {now: clock.now}, {now: clock.now});
	const inputs = await checked(provider, {teamId: "team-abc1", expiresInDays: 90, rotateBeforeDays: 30});
	const first = await provider.create(inputs);
	clock.advanceDays(70);
	const diff = await provider.diff(first.id, first.outs, inputs);
	t.true(diff.deleteBeforeReplace);
	await provider.delete(first.id, first.outs);
	const second = await provider.create(inputs);
	t.is(second.outs.expiredAt, "2027-05-07T00:00:00.000Z");
	t.false((await provider.diff(second.id, second.outs, inputs)).changes);
	t.is(api.tokens().length, 1);
});

const WINDOW_REFUSED = /^rotateBeforeDays: (\d+) is not less than the lifetime the server gives a new TeamToken without an expiry \(30\.0 days, seen on (.+)\): every new token would be due at once.*Set rotateBeforeDays below 30/;

test("once a run has made a token without an expiry, a rotateBeforeDays its lifetime cannot clear fails at check, before any request", async t => {
	const {api, provider} = await setup(t, {defaultLifetimeDays: 30});
	t.deepEqual((await provider.check({}, {teamId: "team-abc2", description: "ci", rotateBeforeDays: 30})).failures, [], "nothing learned yet");
	const made = await provider.create(await checked(provider, {teamId: "team-abc1"}));
	const sent = api.requests().length;
	for (const days of [30, 31]) {
		const {failures} = await provider.check({}, {teamId: "team-abc2", description: "ci", rotateBeforeDays: days});
		t.is(failures!.length, 1);
		const [, named, from] = WINDOW_REFUSED.exec(failures![0]!.reason) ?? [];
		t.is(named, String(days), failures![0]!.reason);
		t.is(from, `the new TeamToken token ${made.outs.tokenId}`);
	}
	t.is(api.requests().length, sent, "the refusal costs no request");
	t.deepEqual((await provider.check({}, {teamId: "team-abc2", description: "ci", rotateBeforeDays: 29})).failures, []);
	t.deepEqual((await provider.check({}, {teamId: "team-abc2", description: "ci", expiresInDays: 90, rotateBeforeDays: 30})).failures, [], "an expiry of its own is not the server's");
	t.deepEqual((await provider.check({}, {kind: "organization", organization: api.organization, rotateBeforeDays: 30})).failures, [], "another kind's lifetime is not known yet");
});

test("a refused create teaches the run too: the next token with the same rotateBeforeDays fails at check, not after its create", async t => {
	const {api, provider} = await setup(t, {defaultLifetimeDays: 30});
	await t.throwsAsync(provider.create(await checked(provider, {teamId: "team-abc1", rotateBeforeDays: 40})), {message: /less than rotateBeforeDays \(40\)/});
	const posts = api.requests().filter(request => request.method === "POST").length;
	const {failures} = await provider.check({}, {teamId: "team-abc2", rotateBeforeDays: 40});
	t.regex(failures![0]!.reason, /^rotateBeforeDays: 40 is not less than the lifetime .*\(30\.0 days, seen on the new TeamToken token at-/);
	t.is(api.requests().filter(request => request.method === "POST").length, posts);
});

test("a later run learns the lifetime from a token of the stack at its diff, and refuses at preview what would loop", async t => {
	const {api, provider, env} = await setup(t, {defaultLifetimeDays: 30});
	const inputs = await checked(provider, {teamId: "team-abc1", description: "ci"});
	const made = await provider.create(inputs);
	const imported = await provider.create(await checked(provider, {teamId: "team-abc2", expiresInDays: 5}));
	// The next run: a new process, which knows nothing yet.
	const next = createImplementation({env, http: {sleep: async () => {}}});
	const planned = {teamId: "team-abc2", description: "deploy", rotateBeforeDays: 30};
	t.deepEqual((await next.check({}, planned)).failures, []);
	// An imported token (no value in state) may carry any expiry its maker gave it: it teaches nothing.
	const {token: _, ...importedState} = imported.outs;
	await next.diff(imported.id, importedState as typeof imported.outs, {teamId: "team-abc2"});
	t.deepEqual((await next.check({}, planned)).failures, []);
	t.false((await next.diff(made.id, made.outs, inputs)).changes);
	const [, , from] = WINDOW_REFUSED.exec((await next.check({}, planned)).failures![0]!.reason) ?? [];
	t.is(from, `TeamToken ${made.id}`);
	// Its own rotateBeforeDays raised past the lifetime: the diff refuses rather than replace it by a token refused at once.
	const tokens = api.tokens().length;
	const error = await t.throwsAsync(next.diff(made.id, made.outs, {...inputs, rotateBeforeDays: 30}));
	t.regex(error!.message, /^rotateBeforeDays: 30 is not less than the lifetime .*\(30\.0 days, seen on TeamToken at-/);
	t.is(api.tokens().length, tokens);
});
