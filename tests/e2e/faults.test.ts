import test from "ava";
import {authenticates, engineStack} from "./harness";

test("under 30% injected faults (before and after the effect), two ups converge: every token in state works, none other exists", async t => {
	const e = await engineStack(t, {faults: {failBefore: 0.15, failAfter: 0.15, seed: 5}});
	for (let i = 0; i < 6; i++) {
		e.tokens[`d${i}`] = {teamId: "team-e2e1", description: `d${i}`};
	}
	e.tokens.legacy = {teamId: "team-e2e2"};
	await e.up().catch(() => undefined);
	const outputs = await e.up();
	const faults = e.api.requests().filter(r => r.fault !== undefined).length;
	e.api.setFaults({});
	t.true(faults >= 3, `${faults} faults injected`);
	const inState = (await e.resources()).map(r => r.outputs.tokenId as string).sort();
	t.is(inState.length, 7);
	t.deepEqual(e.api.tokens().map(x => x.id).sort(), inState);
	const issued = Object.entries(outputs).filter(([key]) => key.endsWith("Token")).map(([, value]) => value);
	t.is(issued.length, 7);
	for (const token of issued) {
		t.true(await authenticates(e.api, token));
	}
});
