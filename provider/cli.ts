#!/usr/bin/env node
import {runAuditCommand} from "./audit-command";
import {EscUsageError, runEscAdapter} from "./esc-command";
import {TfeConfigError} from "./api/errors";
import {start} from "./local-api";
import {LOCAL_API_USAGE, parseLocalApiArgs, UsageError} from "./local-api/cli-args";
import {formatRequest} from "./local-api/request-log";

const PROGRAM = "pulumi-tfe-team-token";

const USAGE = `Usage: ${PROGRAM} <command> [flags]

Commands:
  local-api   serve a local stand-in of the HCP Terraform team-token API
  audit       list an organization's tokens with their status (expired, expiring, never expires, never used)
  esc-adapter serve Pulumi ESC's fn::open::external and fn::rotate::external with HCP Terraform tokens

Run '${PROGRAM} <command> --help' for a command's flags.
`;

async function main(args: readonly string[]): Promise<void> {
	const [command, ...rest] = args;
	if (command === "--help" || command === "-h") {
		process.stdout.write(USAGE);
		return;
	}
	if (command === "audit") {
		process.exitCode = await runAuditCommand(rest, {env: process.env, out: text => process.stdout.write(text), err: text => process.stderr.write(text)});
		return;
	}
	if (command === "esc-adapter") {
		await runEscCommand(rest);
		return;
	}
	if (command !== "local-api") {
		throw new UsageError(command === undefined ? "missing command" : `unknown command ${JSON.stringify(command)}`);
	}
	await runLocalApi(rest);
}

async function runEscCommand(args: readonly string[]): Promise<void> {
	let server;
	try {
		server = await runEscAdapter(args, {env: process.env, out: text => process.stdout.write(text), err: text => process.stderr.write(text)});
	} catch (error) {
		// A missing credential is a configuration mistake the usage explains, as is a bad flag.
		throw error instanceof TfeConfigError ? new EscUsageError(error.message) : error;
	}
	if (!server) {
		return;
	}
	const stop = (): void => {
		process.off("SIGINT", stop).off("SIGTERM", stop);
		// Requests in flight are answered first; a sweep still waiting on HCP Terraform is abandoned (the next run's finds
		// what it left).
		server.close(() => process.exit(0));
	};
	process.on("SIGINT", stop).on("SIGTERM", stop);
}

async function runLocalApi(args: readonly string[]): Promise<void> {
	const command = parseLocalApiArgs(args, process.env);
	if (command.help) {
		process.stdout.write(LOCAL_API_USAGE);
		return;
	}
	const api = await start(command.options);
	// The URL comes first: scripts and tests read the first line to find the server.
	const lines = [`local team-token API listening on ${api.url}`];
	if (command.printAdminToken) lines.push(`admin token (generated): ${api.adminToken}`);
	lines.push(`teams: ${api.teams.join(",") || "(none)"}`);
	// Always, though it defaults to local-org: an OrganizationToken and the organization's routes need the name.
	lines.push(`organization: ${api.organization}`);
	if (api.agentPools.length > 0) lines.push(`agent pools: ${api.agentPools.join(",")}`);
	process.stdout.write(`${lines.join("\n")}\n`);
	// stderr, so the start-up lines scripts read from stdout stay as they are.
	if (command.logRequests) api.onRequest((entry, query) => process.stderr.write(`${formatRequest(entry, query)}\n`));

	const stop = (): void => {
		process.off("SIGINT", stop).off("SIGTERM", stop);
		// Once closed nothing keeps the event loop alive, so the process exits 0 on its own.
		void api.close();
	};
	process.on("SIGINT", stop).on("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
	const message = error instanceof Error ? error.message : String(error);
	// RangeError is how `start` reports an out-of-range option, which on the command line is a usage mistake too.
	const usageMistake = error instanceof UsageError || error instanceof RangeError || error instanceof EscUsageError;
	process.stderr.write(`${PROGRAM}: ${message}\n${usageMistake ? `Run '${PROGRAM} --help' for usage.\n` : ""}`);
	process.exitCode = usageMistake ? 2 : 1;
});
