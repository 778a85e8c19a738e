/*
 * `npm run demo`: examples/basic start to finish, on this machine alone, with the commands a user types. Starts the
 * local team-token API, then runs the `pulumi` CLI in examples/basic against a throw-away file backend: stack init,
 * config, up, stack output (tokens stay secret), a check that the issued token works, a preview that finds nothing
 * to do, destroy, and a check that the token was revoked. Each command is printed before it runs.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {start} from "../provider/local-api";
import {accountStatus} from "../tests/probe";
import {PulumiCli} from "../tests/pulumi-cli";

const root = resolve(__dirname, "..");

async function main(): Promise<void> {
	const api = await start({teams: 1});
	const teamId = api.teams[0]!;
	const scratch = mkdtempSync(join(tmpdir(), "ptt-demo-"));
	const say = (text: string) => process.stdout.write(`${text}\n`);
	const cli = new PulumiCli({
		dir: join(root, "examples", "basic"),
		stack: "demo",
		scratch,
		passphrase: "demo",
		echo: text => process.stdout.write(text),
	});
	say(`# The local team-token API listens on ${api.url} with one team, ${teamId}.`);
	say("# State goes to a throw-away file backend, as these two variables tell the CLI:");
	say(`$ cd examples/basic`);
	say(`$ export PULUMI_BACKEND_URL=file://${scratch} PULUMI_CONFIG_PASSPHRASE=demo`);
	try {
		await cli.initStack(api, {teamId});
		await cli.run(["up", "--yes"]);
		await cli.run(["stack", "output"]);

		const {ciToken} = await cli.outputs(true);
		say(`\n# The ci token authenticates against the API: GET /api/v2/account/details -> ${await accountStatus(api.url, ciToken!)}`);

		await cli.run(["preview", "--expect-no-changes"]);
		await cli.run(["destroy", "--yes"]);
		say(`\n# After destroy the ci token is revoked: GET /api/v2/account/details -> ${await accountStatus(api.url, ciToken!)}`);
		say(`# Tokens left on the API: ${api.tokens().length}`);
	} finally {
		await cli.remove();
		await api.close();
		rmSync(scratch, {recursive: true, force: true});
	}
}

main().catch(error => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
