import {randomBytes} from "node:crypto";
import test from "ava";
import {PROVIDER_SPECIFIER} from "../../provider/dynamic/serialized-provider";
import {engineStack, requestsOf} from "./harness";

// Serial: an engine stack moves the process into its project folder, and the program's __provider depends on it.

test.serial("state and CLI output hold no plain token; __provider is small; bad input fails preview without a request", async t => {
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
			// The portable form, a require of the package: 83 bytes.
			t.is(provider, `exports.handler = () => require(${JSON.stringify(PROVIDER_SPECIFIER)});`);
		}
	}

	// 9. A malformed expiredAt fails preview, names the field, and nothing reaches the API.
	api.clearRequests();
	e.tokens.ci = {teamId: "team-e2e1", expiredAt: "2027-13-01"};
	const error = await t.throwsAsync(e.stack.preview({onOutput: text => e.output.push(text)}));
	t.regex(error!.message, /expiredAt.*RFC 3339/s);
	t.deepEqual(requestsOf(api), [], "no token request; the other resource's credential check is all");

	// An API token pasted into teamId: the check failure names the field, and neither we nor the engine echo it.
	const pasted = `${"AbCdEf123456"}.atlasv1.${randomBytes(30).toString("hex")}`.slice(0, 60);
	const output: string[] = [];
	e.tokens.ci = {teamId: pasted};
	await t.throwsAsync(e.stack.preview({onOutput: text => output.push(text)}));
	t.regex(output.join(""), /resource 'ci' has a problem: teamId: must be "team-"/);
	t.false(output.join("").includes(pasted));
	t.false(output.join("").includes("atlasv1"));
});

test.serial("what Pulumi's --debug prints: the SDK's RegisterResource debug line holds each issued token, never the API token", async t => {
	const e = await engineStack(t);
	e.tokens.ci = {teamId: "team-e2e1"};
	const plain: string[] = [];
	await e.stack.up({onOutput: text => plain.push(text)});
	const debug: string[] = [];
	await e.stack.up({debug: true, onOutput: text => debug.push(text)});
	const [issued] = e.api.tokens().map(x => x.token);
	t.false(plain.join("").includes(issued!), "no token without --debug");
	const lines = debug.join("").split("\n").filter(line => line.includes(issued!));
	t.true(lines.length >= 1, "--debug prints the issued token");
	t.true(lines.every(line => /RegisterResource RPC finished: resource:ci\[pulumi-nodejs:dynamic\/tfe:TeamToken\]|^\s*,createdAt,/.test(line)),
		lines.map(line => line.replace(issued!, "<ISSUED>").slice(0, 160)).join("\n"));
	t.false(`${plain.join("")}${debug.join("")}`.includes(e.api.adminToken), "the API token is never printed");
});
