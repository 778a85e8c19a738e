import {resolveSettings} from "./api/config";
import {redact} from "./api/errors";
import type {HttpOptions} from "./api/http";
import {parseFlags} from "./command-flags";
import {AUDIT_FLAGS, type AuditFlag, DEFAULT_EXPIRING_WITHIN_DAYS} from "./engine/audit-status";
import {type AuditResult, type AuditedToken, checkAuditArgs, runAudit} from "./engine/token-audit";

/** Exit statuses of `audit`, for a scheduled CI job to fail on. */
export const AUDIT_EXIT = {clean: 0, found: 1, error: 2} as const;

export const AUDIT_USAGE = `Usage: pulumi-tfe-team-token audit --organization NAME [flags]

Lists every token of the organization the API lists (team, organization, audit-trail and agent tokens; never user
tokens, which only their user can list) with its owner, dates and status: expired, expiring (within N days),
never-expires, never-used or ok. The credential and address come from TFE_TOKEN, TFE_ADDRESS / TFE_HOSTNAME,
TF_TOKEN_<host> or the Terraform CLI credentials file, as for the provider.

Flags:
  --organization NAME          the organization (required)
  --expiring-within-days N     a token expiring within N days is "expiring" (1-36500, default ${DEFAULT_EXPIRING_WITHIN_DAYS})
  --fail-on LIST               exit 1 when any token has one of these flags: ${AUDIT_FLAGS.join(", ")} (comma
                               separated; default none: exit 0 whatever is found)
  --no-agent-tokens            skip agent tokens (they have no expiry, and cost one request per agent pool)
  --json                       print the audit as JSON instead of a table
  -h, --help                   print this help

Exit status: 0 no token has a --fail-on flag, 1 some token has, 2 a usage, configuration or API error.
`;

class AuditUsageError extends Error {}

interface AuditCommand {
	organization: string | undefined;
	expiringWithinDays: number | undefined;
	failOn: AuditFlag[];
	includeAgentTokens: boolean;
	json: boolean;
}

function parse(args: readonly string[]): AuditCommand | "help" {
	const values = parseFlags(args, {
		organization: {type: "string"},
		"expiring-within-days": {type: "string"},
		"fail-on": {type: "string"},
		"no-agent-tokens": {type: "boolean"},
		json: {type: "boolean"},
	}, AuditUsageError);
	if (values === "help") {
		return "help";
	}
	const days = values["expiring-within-days"];
	const failOn = (values["fail-on"] ?? "").split(",").map(flag => flag.trim()).filter(flag => flag !== "");
	const unknown = failOn.find(flag => !(AUDIT_FLAGS as readonly string[]).includes(flag));
	if (unknown !== undefined) {
		throw new AuditUsageError(`--fail-on: unknown flag ${JSON.stringify(unknown)}; expected any of ${AUDIT_FLAGS.join(", ")}, comma separated`);
	}
	return {
		organization: values.organization,
		// Not a number stays a string, which the audit's own check refuses naming the field.
		expiringWithinDays: days === undefined ? undefined : (/^\d+$/.test(days) ? Number(days) : days as never),
		failOn: failOn as AuditFlag[],
		includeAgentTokens: !values["no-agent-tokens"],
		json: values.json ?? false,
	};
}

const FLAG_NAMES: Record<keyof Pick<AuditCommand, "organization" | "expiringWithinDays" | "includeAgentTokens">, string> = {
	organization: "--organization",
	expiringWithinDays: "--expiring-within-days",
	includeAgentTokens: "--no-agent-tokens",
};

const day = (iso: string | undefined) => (iso === undefined ? "-" : iso.slice(0, 10));

function owner(token: AuditedToken): string {
	switch (token.kind) {
		case "team":
			return `team ${token.teamName ?? token.teamId}`;
		case "agent":
			return `pool ${token.agentPoolName ?? token.agentPoolId}`;
		default:
			return `${token.kind} ${token.organization}`;
	}
}

/** The audit as a fixed-width table, a summary line and what it could not list. */
export function auditTable(result: AuditResult): string {
	const header = ["STATUS", "ALSO", "OWNER", "TOKEN", "DESCRIPTION", "CREATED BY", "CREATED", "LAST USED", "EXPIRES"];
	const rows = result.tokens.map(token => [
		token.status,
		token.flags.filter(flag => flag !== token.status).join(",") || "-",
		owner(token),
		token.tokenId,
		token.description === undefined || token.description === "" ? "-" : token.description,
		token.createdBy ?? "-",
		day(token.createdAt),
		token.lastUsedAt === undefined ? "never" : day(token.lastUsedAt),
		token.expiredAt === undefined ? "never" : day(token.expiredAt),
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
	const {counts} = result;
	return [
		line(header),
		...rows.map(line),
		"",
		`${result.organization}: ${counts.total} tokens; expired ${counts.expired}, expiring within ${result.expiringWithinDays} days ${counts.expiring}, `
			+ `never expire ${counts.neverExpires}, never used ${counts.neverUsed}, ok ${counts.ok} (at ${result.checkedAt})`,
		...result.notListed.map(note => `not listed: ${note}`),
	].join("\n") + "\n";
}

export interface AuditIo {
	env: NodeJS.ProcessEnv;
	out: (text: string) => void;
	err: (text: string) => void;
	now?: () => Date;
	http?: Partial<HttpOptions>;
}

/** Runs `audit` with its arguments; answers the exit status (AUDIT_EXIT). */
export async function runAuditCommand(args: readonly string[], io: AuditIo): Promise<number> {
	let secrets: string[] = [];
	try {
		const command = parse(args);
		if (command === "help") {
			io.out(AUDIT_USAGE);
			return AUDIT_EXIT.clean;
		}
		try {
			// Arguments first, so a mistake is named before the configuration is looked at.
			checkAuditArgs(command);
		} catch (error) {
			const field = (error as {field?: keyof typeof FLAG_NAMES}).field;
			throw new AuditUsageError(field ? `${FLAG_NAMES[field]}${(error as Error).message.slice(field.length)}` : (error as Error).message);
		}
		const settings = resolveSettings(undefined, io.env);
		secrets = [settings.token];
		const result = await runAudit(settings, command, {http: io.http, now: io.now?.()});
		io.out(command.json ? `${JSON.stringify({...result, failOn: command.failOn}, null, 2)}\n` : auditTable(result));
		const found = result.tokens.some(token => token.flags.some(flag => command.failOn.includes(flag)));
		return found ? AUDIT_EXIT.found : AUDIT_EXIT.clean;
	} catch (error) {
		const usage = error instanceof AuditUsageError;
		io.err(`pulumi-tfe-team-token audit: ${redact((error as Error).message, secrets)}\n${usage ? "Run 'pulumi-tfe-team-token audit --help' for usage.\n" : ""}`);
		return AUDIT_EXIT.error;
	}
}
