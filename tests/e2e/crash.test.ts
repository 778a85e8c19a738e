import test, {type ExecutionContext} from "ava";
import {type CliStack, cliStack, UP} from "./cli";
import {authenticates} from "./harness";

/*
 * Crash recovery through the real engine: `pulumi up` is killed by its PID after the API made a token but while
 * the API still holds the answer, so the engine never records it. The next `pulumi up` must end with the
 * program's tokens in state, each working, and no other token on the API.
 */

const HOLD_MS = 4000;

async function converged(t: ExecutionContext, stack: CliStack, expected: number): Promise<void> {
	const inState = await stack.stateTokenIds();
	t.is(inState.length, expected, "every token of the program is in state");
	t.deepEqual(stack.api.tokens().map(x => x.id).sort(), inState, "no token on the API that the state does not hold");
	for (const token of await stack.outputTokens()) {
		t.true(await authenticates(stack.api, token), "every token in state works");
	}
}

test("up killed after the API created a legacy and a described token: the next up recovers both", async t => {
	const stack = await cliStack(t);
	stack.program({ci: {teamId: "team-crash1"}, deploy: {teamId: "team-crash1", description: "deploy"}});
	stack.api.setFaults({answerDelayMs: HOLD_MS});
	await stack.killDuring(UP, () => stack.api.tokens().length === 2);
	t.deepEqual(await stack.stateTokenIds(), [], "the engine recorded neither");

	const output = await stack.run(UP);
	t.regex(output, /replacing at-\w+ .*on team team-crash1: it was made by .* so it is taken to be this stack's own create/);
	t.regex(output, /revoked at-\w+ .*on team team-crash1: it was made by .* so it is taken to be this stack's own create whose answer was lost/);
	await converged(t, stack, 2);
});

test("up killed during replacements (legacy and described, same and new description): the next up recovers", async t => {
	const stack = await cliStack(t);
	stack.program({
		ci: {teamId: "team-crash1", expiresInDays: 30},
		same: {teamId: "team-crash1", description: "same", expiresInDays: 30},
		moved: {teamId: "team-crash1", description: "moved-1"},
	});
	await stack.run(UP);
	const before = stack.api.tokens().map(x => x.id);
	stack.program({
		ci: {teamId: "team-crash1", expiresInDays: 60},
		same: {teamId: "team-crash1", description: "same", expiresInDays: 60},
		moved: {teamId: "team-crash1", description: "moved-2"},
	});
	stack.api.setFaults({answerDelayMs: HOLD_MS});
	await stack.killDuring(UP, () => stack.api.tokens().filter(x => !before.includes(x.id)).length === 3);
	await stack.run(UP);
	await converged(t, stack, 3);
	t.deepEqual(stack.api.tokens().map(x => x.description ?? "(legacy)").sort(), ["(legacy)", "moved-2", "same"]);
});

test("destroy killed after the API revoked the tokens: the next destroy finishes with nothing left", async t => {
	const stack = await cliStack(t);
	stack.program({ci: {teamId: "team-crash1"}, deploy: {teamId: "team-crash1", description: "deploy"}});
	await stack.run(UP);
	stack.api.setFaults({answerDelayMs: HOLD_MS});
	await stack.killDuring(["destroy", "--yes", "--skip-preview", "--non-interactive"], () => stack.api.tokens().length === 0);
	await stack.run(["destroy", "--yes", "--skip-preview", "--non-interactive"]);
	t.deepEqual(await stack.stateTokenIds(), []);
	t.deepEqual(stack.api.tokens(), []);
});
