/*
 * `npm run demo`: the example program, start to finish, on this machine alone. Starts the local team-token API,
 * runs `pulumi up` on examples/basic with a temporary file backend, shows the outputs (tokens stay secret), proves
 * the issued token works against the API, then `pulumi destroy` and proves it was revoked.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {LocalWorkspace} from "@pulumi/pulumi/automation";
import {start} from "../provider/local-api";
import {accountStatus} from "../tests/probe";

const root = resolve(__dirname, "..");

async function main(): Promise<void> {
	const api = await start({teams: 1});
	const [teamId] = api.teams;
	const scratch = mkdtempSync(join(tmpdir(), "ptt-demo-"));
	console.log(`local team-token API on ${api.url}, team ${teamId}; state in ${scratch}`);
	try {
		const example = require.resolve(join(root, "examples", "basic"));
		// Each operation runs the program anew, so the module must be loaded afresh every time.
		const program = async () => {
			delete require.cache[example];
			return require(example);
		};
		const stack = await LocalWorkspace.createOrSelectStack(
			{stackName: "demo", projectName: "tfe-team-token-example", program},
			{
				// Stack settings (Pulumi.demo.yaml) go to the scratch directory, not into the checkout.
				workDir: scratch,
				pulumiHome: join(scratch, "home"),
				envVars: {
					PULUMI_BACKEND_URL: `file://${scratch}`,
					PULUMI_CONFIG_PASSPHRASE: "demo",
					PULUMI_SKIP_UPDATE_CHECK: "true",
					PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
				},
			},
		);
		await stack.setConfig("teamId", {value: teamId!});
		await stack.setConfig("tfe:hostname", {value: api.url});
		await stack.setConfig("tfe:token", {value: api.adminToken, secret: true});

		console.log("\n$ pulumi up");
		const up = await stack.up({onOutput: text => process.stdout.write(text)});

		console.log("\nOutputs (secrets stay hidden, as in `pulumi stack output`):");
		for (const [name, output] of Object.entries(up.outputs)) {
			console.log(`  ${name.padEnd(14)} ${output.secret ? "[secret]" : String(output.value)}`);
		}
		const ciToken = up.outputs.ciToken!.value as string;
		console.log(`\nThe ci token authenticates against the API: GET /api/v2/account/details -> ${await accountStatus(api.url, ciToken)}`);

		console.log("\n$ pulumi preview   (nothing changed, nothing to do)");
		const preview = await stack.preview();
		console.log(`  ${JSON.stringify(preview.changeSummary)}`);

		console.log("\n$ pulumi destroy");
		await stack.destroy({onOutput: text => process.stdout.write(text)});
		console.log(`\nAfter destroy the ci token is revoked: GET /api/v2/account/details -> ${await accountStatus(api.url, ciToken)}`);
		console.log(`Tokens left on the API: ${api.tokens().length}`);
	} finally {
		await api.close();
		rmSync(scratch, {recursive: true, force: true});
	}
}

main().catch(error => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
