import test from "ava";
import {cliStack, UP} from "./cli";
import {authenticates} from "./harness";

async function send(url: string, token: string, method: string, path: string) {
	const response = await fetch(`${url}/api/v2/${path}`, {method, headers: {authorization: `Bearer ${token}`, "content-type": "application/vnd.api+json"}});
	return response.status === 204 ? undefined : (await response.json()) as {data: {attributes: {token: string}}};
}

test("refresh and destroy after tfe:token changed: plain ones fail naming --run-program, which then works", async t => {
	const stack = await cliStack(t);
	const {api} = stack;
	// The first API token: a team token, revoked after the first up, as a rotated credential would be.
	const first = (await send(api.url, api.adminToken, "POST", "teams/team-crash1/authentication-token"))!.data.attributes.token;
	await stack.run(["config", "set", "--secret", "tfe:token", first]);
	stack.program({ci: {teamId: "team-crash1", description: "ci"}});
	await stack.run(UP);

	// The engine keeps the provider's configuration, encrypted, as the default provider's inputs.
	const state = await stack.exportText();
	t.regex(state, /"type": "pulumi:providers:pulumi-nodejs"[\s\S]*"tfe:token": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/);
	t.false(state.includes(first));

	await send(api.url, api.adminToken, "DELETE", "teams/team-crash1/authentication-token");
	await stack.run(["config", "set", "--secret", "tfe:token", api.adminToken]);

	const refresh = await stack.attempt(["refresh", "--yes", "--skip-preview", "--non-interactive"]);
	t.not(refresh.code, 0);
	t.regex(refresh.output, /401[\s\S]*`pulumi refresh --run-program`, or `pulumi up` first/);
	const destroy = await stack.attempt(["destroy", "--yes", "--skip-preview", "--non-interactive"]);
	t.not(destroy.code, 0);
	t.regex(destroy.output, /401[\s\S]*`pulumi destroy --run-program`/);
	t.false(`${refresh.output}${destroy.output}`.includes(first), "the old API token is not printed");

	// Running the program hands the provider the current configuration, and stores it for the next commands.
	await stack.run(["refresh", "--run-program", "--yes", "--skip-preview", "--non-interactive"]);
	const [token] = await stack.outputTokens();
	t.true(await authenticates(api, token!));
	await stack.run(["refresh", "--yes", "--skip-preview", "--non-interactive"]);

	// The same for destroy, after one more change of API token.
	const second = (await send(api.url, api.adminToken, "POST", "teams/team-crash1/authentication-token"))!.data.attributes.token;
	await stack.run(["config", "set", "--secret", "tfe:token", second]);
	await stack.run(UP);
	await send(api.url, api.adminToken, "DELETE", "teams/team-crash1/authentication-token");
	await stack.run(["config", "set", "--secret", "tfe:token", api.adminToken]);
	await stack.run(["destroy", "--run-program", "--yes", "--skip-preview", "--non-interactive"]);
	t.false(await authenticates(api, token!));
	t.deepEqual(api.tokens(), []);
});
