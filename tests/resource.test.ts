import * as pulumi from "@pulumi/pulumi";
import test from "ava";

const registered: pulumi.runtime.MockResourceArgs[] = [];

pulumi.runtime.setMocks({
	newResource: args => {
		registered.push(args);
		return {id: "team-abc1", state: {...args.inputs, tokenId: "at-mock1", token: "mock-token-value", expiredAt: "2028-11-28T00:00:00.000Z"}};
	},
	call: args => args.inputs,
}, "project", "stack", false);

// Loaded after the mocks are in place, as Pulumi's testing guide asks.
const {TeamToken} = require("../provider") as typeof import("../provider");

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
	return new Promise(done => output.apply(value => done(value)));
}

test("TeamToken registers the dynamic type and exposes every output", async t => {
	const token = new TeamToken("ci", {teamId: "team-abc1", expiresInDays: 30});
	t.is(await resolve(token.tokenId), "at-mock1");
	t.is(await resolve(token.expiredAt), "2028-11-28T00:00:00.000Z", "an output whose input was not given still resolves");
	t.is(await resolve(token.teamId), "team-abc1");
	// The engine applies additionalSecretOutputs, which mocks do not; tests/e2e/scenario-secrets.test.ts checks it.
	t.is(await resolve(token.token), "mock-token-value");
	const [args] = registered;
	t.is(args!.type, "pulumi-nodejs:dynamic/tfe:TeamToken");
	t.is(typeof args!.inputs.__provider, "string");
	t.is(args!.inputs.expiresInDays, 30);
});
