import {parseArgs} from "node:util";
import {generateAgentPoolId, generateTeamId} from "./ids";
import {DEFAULTS, MAX_GENERATED_TEAMS, type LocalApiOptions} from "./options";

/** A mistake in the command line; the CLI prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {}

export const ADMIN_TOKEN_ENV = "TFE_LOCAL_ADMIN_TOKEN";

export const LOCAL_API_USAGE = `Usage: pulumi-tfe-team-token local-api [flags]

Serves a local stand-in of the HCP Terraform team-token API until interrupted (Ctrl-C or SIGTERM).

Flags:
  --host HOST          interface to listen on (default ${DEFAULTS.host})
  --port N             port; 0 picks a free one (default ${DEFAULTS.port})
  --admin-token T      admin bearer token (default: $${ADMIN_TOKEN_ENV}, else a random one, printed)
  --teams LIST         comma-separated team ids (team-<letters/digits>) and counts of teams with generated
                       ids, e.g. --teams team-a1,team-b2,3; repeatable (default ${DEFAULTS.teams} generated team)
  --organization NAME  organization every team and agent pool belongs to (default ${DEFAULTS.organization})
  --agent-pools LIST   comma-separated agent pool ids (apool-<letters/digits>) and counts, like --teams (default none)
  --token-ttl LIST     the organization's maximum token lifetimes, e.g. organization=90,audit_trails=30 (days;
                       types organization, team, user, audit_trails); default: no policies API (404)
  --rate-limit N       accepted requests per second per credential; 0 = off (default ${DEFAULTS.rateLimit})
  --fail-before F      fraction of team-token requests answered 503 before any change (default ${DEFAULTS.faults.failBefore})
  --fail-after F       fraction answered 500 or 502 after the change was made (default ${DEFAULTS.faults.failAfter})
  --latency-ms N       milliseconds added to each team-token request (default ${DEFAULTS.faults.latencyMs})
  --answer-delay-ms N  milliseconds each team-token POST/DELETE answer is held after the change (default ${DEFAULTS.faults.answerDelayMs})
  --seed N             seed deciding which requests fail, for repeatable runs (default ${DEFAULTS.faults.seed})
  --no-bulk-revoke     answer 404 to DELETE /organizations/:name/team-tokens, as a server without the route
  --log-requests       write a line to stderr per answered request: method, path and query (any value that could
                       be a token masked; no header), status and milliseconds
  -h, --help           print this help
`;

export type LocalApiCommand =
	| {readonly help: true}
	| {
			readonly help: false;
			readonly options: LocalApiOptions;
			readonly printAdminToken: boolean;
			readonly logRequests: boolean;
	  };

/** Turns `local-api` arguments into start options; range checks are left to `start`, which throws RangeError. */
export function parseLocalApiArgs(args: readonly string[], env: NodeJS.ProcessEnv): LocalApiCommand {
	const {values} = parseStrict(args);
	if (values.help === true) return {help: true};
	const adminToken = values["admin-token"] ?? (env[ADMIN_TOKEN_ENV] || undefined);
	const options: LocalApiOptions = {
		host: values.host,
		port: numberFlag("port", values.port),
		adminToken,
		teams: values.teams === undefined ? undefined : ids("teams", values.teams, generateTeamId),
		agentPools: values["agent-pools"] === undefined ? undefined : ids("agent-pools", values["agent-pools"], generateAgentPoolId),
		tokenTtlDays: values["token-ttl"] === undefined ? undefined : ttlDays(values["token-ttl"]),
		organization: values.organization,
		rateLimit: numberFlag("rate-limit", values["rate-limit"]),
		faults: {
			failBefore: numberFlag("fail-before", values["fail-before"]),
			failAfter: numberFlag("fail-after", values["fail-after"]),
			latencyMs: numberFlag("latency-ms", values["latency-ms"]),
			answerDelayMs: numberFlag("answer-delay-ms", values["answer-delay-ms"]),
			seed: numberFlag("seed", values.seed),
			bulkRevokeNotFound: values["no-bulk-revoke"] === true ? true : undefined,
		},
	};
	// Only a token nobody chose needs printing; one passed in is already the user's, and printing it would leak it
	// into logs.
	return {help: false, options, printAdminToken: adminToken === undefined, logRequests: values["log-requests"] === true};
}

const text = {type: "string"} as const;

function parseStrict(args: readonly string[]) {
	try {
		return parseArgs({
			args: [...args],
			strict: true,
			allowPositionals: false,
			options: {
				host: text,
				port: text,
				"admin-token": text,
				teams: {type: "string", multiple: true},
				organization: text,
				"agent-pools": {type: "string", multiple: true},
				"token-ttl": text,
				"rate-limit": text,
				"fail-before": text,
				"fail-after": text,
				"latency-ms": text,
				"answer-delay-ms": text,
				seed: text,
				"no-bulk-revoke": {type: "boolean"},
				"log-requests": {type: "boolean"},
				help: {type: "boolean", short: "h"},
			},
		});
	} catch (error) {
		// parseArgs' messages name the offending flag, e.g. "Unknown option '--prot'".
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}
}

function numberFlag(name: string, value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const number = Number(value);
	if (value.trim() === "" || !Number.isFinite(number))
		throw new UsageError(`--${name} expects a number, got ${JSON.stringify(value)}`);
	return number;
}

/** Each value is a comma-separated mix of ids and counts; counts expand to generated ids. */
function ids(flag: string, values: readonly string[], generate: () => string): string[] {
	return values
		.flatMap(value => value.split(","))
		.map(item => item.trim())
		.filter(item => item !== "")
		.flatMap(item => (/^\d+$/.test(item) ? Array.from({length: count(flag, item)}, generate) : [item]));
}

function count(flag: string, item: string): number {
	const n = Number(item);
	if (n > MAX_GENERATED_TEAMS) throw new UsageError(`--${flag} count ${item} is over the maximum of ${MAX_GENERATED_TEAMS}`);
	return n;
}

const TTL_TYPES = ["organization", "team", "user", "audit_trails"] as const;

/** `type=days` pairs, comma-separated; the day counts are range-checked by `start`. */
function ttlDays(value: string): NonNullable<LocalApiOptions["tokenTtlDays"]> {
	const days: NonNullable<LocalApiOptions["tokenTtlDays"]> = {};
	for (const pair of value.split(",").filter(item => item.trim() !== "")) {
		const [type = "", amount = ""] = pair.split("=", 2).map(part => part.trim());
		if (!(TTL_TYPES as readonly string[]).includes(type))
			throw new UsageError(`--token-ttl: unknown token type ${JSON.stringify(type)}; expected one of ${TTL_TYPES.join(", ")}`);
		days[type as (typeof TTL_TYPES)[number]] = numberFlag("token-ttl", amount);
	}
	return days;
}
