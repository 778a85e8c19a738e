import test from "ava";
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
