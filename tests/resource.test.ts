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
const {AgentToken, AuditTrailToken, OrganizationToken, TeamToken} = require("../provider") as typeof import("../provider");

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
	const args = registered.find(x => x.type === "pulumi-nodejs:dynamic/tfe:TeamToken" && x.name === "ci");
	t.is(typeof args!.inputs.__provider, "string");
	t.is(args!.inputs.expiresInDays, 30);
	t.false("kind" in args!.inputs, "TeamToken's inputs stay as they were");
});

test("an output given as an input (no type check in JavaScript) reaches the check instead of vanishing", async t => {
	const token = new TeamToken("pasted", {teamId: "team-abc1", tokenId: "at-given", token: "given"} as never);
	await resolve(token.tokenId);
	const args = registered.find(x => x.name === "pasted");
	t.is(args!.inputs.tokenId, "at-given");
	t.is(args!.inputs.token, "given");
});

test("each other kind registers its own dynamic type, records its kind, and shares the one provider", async t => {
	new OrganizationToken("org", {organization: "acme"});
	new AuditTrailToken("audit", {organization: "acme", expiresInDays: 30});
	const agent = new AgentToken("agent", {agentPoolId: "apool-abc1", description: "runners"});
	t.is(await resolve(agent.tokenId), "at-mock1");
	// Registration is asynchronous and the other test registers a TeamToken meanwhile: compare as a set.
	const others = registered.filter(args => !args.type.endsWith(":TeamToken"));
	t.deepEqual(others.map(args => [args.type, args.inputs.kind]).sort(), [
		["pulumi-nodejs:dynamic/tfe:AgentToken", "agent"],
		["pulumi-nodejs:dynamic/tfe:AuditTrailToken", "audit-trail"],
		["pulumi-nodejs:dynamic/tfe:OrganizationToken", "organization"],
	]);
	t.is(new Set(registered.map(args => args.inputs.__provider)).size, 1);
});
