import test from "ava";
import {engineStack} from "./harness";

test("state and CLI output hold no plain token; __provider is small; bad input fails preview without a request", async t => {
	const e = await engineStack(t);
	const {api} = e;
	e.tokens.ci = {teamId: "team-e2e1"};
	e.tokens.deploy = {teamId: "team-e2e1", description: "deploy"};
	const outputs = await e.up();
	await e.stack.refresh();
	await e.up();

	const state = await e.exportState();
	const issued = api.tokens().map(x => x.token);
	t.is(issued.length, 2);
	for (const secret of [...issued, api.adminToken]) {
		const at = state.indexOf(secret);
		t.false(at >= 0, `no plain token in state: ${state.slice(Math.max(0, at - 300), at + 20).replace(secret, "<SECRET>")}`);
		t.false(e.output.join("").includes(secret), "no plain token in CLI output");
	}
	t.deepEqual(issued.sort(), [outputs.ciToken, outputs.deployToken].sort(), "the outputs decrypt to the issued tokens");
	for (const resource of await e.resources()) {
		t.regex(JSON.stringify(resource.outputs.token), /ciphertext/);
		for (const props of [resource.inputs, resource.outputs]) {
			const provider = props.__provider as string;
			t.true(typeof provider === "string" && provider.length > 0);
			t.true(provider.length < 2048, `__provider is ${provider.length} bytes`);
			t.log(`__provider: ${provider.length} bytes`);
		}
	}

	// 9. A malformed expiredAt fails preview, names the field, and nothing reaches the API.
	api.clearRequests();
	e.tokens.ci = {teamId: "team-e2e1", expiredAt: "2027-13-01"};
	const error = await t.throwsAsync(e.stack.preview({onOutput: text => e.output.push(text)}));
	t.regex(error!.message, /expiredAt.*RFC 3339/s);
	t.deepEqual(api.requests(), []);
});
