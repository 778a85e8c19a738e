import {readFileSync} from "node:fs";
import {parse as parseYaml} from "yaml";
import {validAgentPoolId, validOrganizationName, validTeamId} from "../api/validation";
import {DURATION_FORMAT, formatDuration, parseDuration} from "./duration";
import {EscError} from "./errors";
import {describeOwner, type Owner} from "./owner";

/**
 * The adapter's authorization: default deny. Pulumi Cloud signs a JWT for any organization whose environment names
 * the adapter's URL, so these grants are all that stands between a stranger and a token. A grant names a Pulumi
 * organization, globs on its environments (`<project>/<env>`), and the tokens they may have.
 */
export interface Grant {
	readonly pulumiOrganization: string;
	readonly environments: readonly string[];
	readonly teams: ReadonlySet<string>;
	/** Teams whose single legacy token may be rotated (regenerated), which ends the one before at once. */
	readonly legacyTeams: ReadonlySet<string>;
	readonly agentPools: ReadonlySet<string>;
	/** HCP Terraform organizations whose organization token may be rotated. */
	readonly organizationTokens: ReadonlySet<string>;
	readonly auditTrailTokens: ReadonlySet<string>;
	readonly userTokens: boolean;
	/** Cap and default of the ttl of a token issued by `/open`, in ms. */
	readonly maxTtlMs: number;
	readonly defaultTtlMs: number;
}

export interface Policy {
	readonly grants: readonly Grant[];
}

/** Without `maxTtl` a grant's opened tokens live at most an hour; without `defaultTtl`, the smaller of an hour and the cap. */
export const DEFAULT_MAX_TTL_MS = 3_600_000;

const GRANT_FIELDS = [
	"pulumiOrganization", "environments", "teams", "legacyTeams", "agentPools", "organizationToken", "auditTrailToken",
	"userTokens", "maxTtl", "defaultTtl",
] as const;

/** A policy file that cannot be used; the message names the field. */
export class PolicyError extends Error {
	override name = "PolicyError";
}

function list(grant: Record<string, unknown>, field: string, where: string, valid: (value: unknown) => boolean, expected: string): Set<string> {
	const value = grant[field];
	if (value === undefined || value === null) {
		return new Set();
	}
	const items = typeof value === "string" ? [value] : value;
	if (!Array.isArray(items)) {
		throw new PolicyError(`${where}.${field} must be a list of ${expected}; got ${JSON.stringify(value)}`);
	}
	items.forEach((item, index) => {
		if (!valid(item)) {
			throw new PolicyError(`${where}.${field}[${index}] must be ${expected}; got ${JSON.stringify(item)}`);
		}
	});
	return new Set(items as string[]);
}

function duration(grant: Record<string, unknown>, field: string, where: string): number | undefined {
	const value = grant[field];
	if (value === undefined || value === null) {
		return undefined;
	}
	const ms = parseDuration(value);
	if (ms === undefined) {
		throw new PolicyError(`${where}.${field} must be ${DURATION_FORMAT}; got ${JSON.stringify(value)}`);
	}
	return ms;
}

const ENVIRONMENT_GLOB = /^[A-Za-z0-9_.*?-]+\/[A-Za-z0-9_.*?-]+$|^\*\*$/;

function parseGrant(raw: unknown, index: number): Grant {
	const where = `grants[${index}]`;
	if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
		throw new PolicyError(`${where} must be a mapping with pulumiOrganization and environments`);
	}
	const grant = raw as Record<string, unknown>;
	const unknown = Object.keys(grant).find(key => !(GRANT_FIELDS as readonly string[]).includes(key));
	if (unknown !== undefined) {
		throw new PolicyError(`${where}.${unknown} is not a grant field; the fields are ${GRANT_FIELDS.join(", ")}`);
	}
	if (typeof grant.pulumiOrganization !== "string" || grant.pulumiOrganization.trim() === "") {
		throw new PolicyError(`${where}.pulumiOrganization must be the Pulumi organization's name (the JWT's org claim)`);
	}
	const environments = [...list(grant, "environments", where, value => typeof value === "string" && ENVIRONMENT_GLOB.test(value),
		"globs on <project>/<env> (letters, digits, . _ - and the wildcards * and ?, e.g. \"ci/*\"), or \"**\" for every environment")];
	if (environments.length === 0) {
		throw new PolicyError(`${where}.environments must list at least one glob on <project>/<env>, e.g. ["ci/*"]`);
	}
	if (grant.userTokens !== undefined && typeof grant.userTokens !== "boolean") {
		throw new PolicyError(`${where}.userTokens must be true or false; got ${JSON.stringify(grant.userTokens)}`);
	}
	const maxTtlMs = duration(grant, "maxTtl", where) ?? DEFAULT_MAX_TTL_MS;
	const defaultTtlMs = duration(grant, "defaultTtl", where) ?? Math.min(DEFAULT_MAX_TTL_MS, maxTtlMs);
	if (defaultTtlMs > maxTtlMs) {
		throw new PolicyError(`${where}.defaultTtl (${formatDuration(defaultTtlMs)}) must not exceed maxTtl (${formatDuration(maxTtlMs)})`);
	}
	const teamIds = "team ids (team-...)";
	const organizations = "HCP Terraform organization names";
	return {
		pulumiOrganization: grant.pulumiOrganization,
		environments,
		teams: list(grant, "teams", where, validTeamId, teamIds),
		legacyTeams: list(grant, "legacyTeams", where, validTeamId, teamIds),
		agentPools: list(grant, "agentPools", where, validAgentPoolId, "agent pool ids (apool-...)"),
		organizationTokens: list(grant, "organizationToken", where, validOrganizationName, organizations),
		auditTrailTokens: list(grant, "auditTrailToken", where, validOrganizationName, organizations),
		userTokens: grant.userTokens === true,
		maxTtlMs,
		defaultTtlMs,
	};
}

/** Reads a policy from YAML (or JSON, which is YAML); throws PolicyError naming the field at fault. */
export function parsePolicy(text: string): Policy {
	let document: unknown;
	try {
		document = parseYaml(text);
	} catch (error) {
		throw new PolicyError(`not YAML or JSON: ${(error as Error).message.split("\n")[0]}`);
	}
	if (typeof document !== "object" || document === null || Array.isArray(document)) {
		throw new PolicyError("must be a mapping with a grants list");
	}
	const unknown = Object.keys(document).find(key => key !== "grants");
	if (unknown !== undefined) {
		throw new PolicyError(`${unknown} is not a policy field; the only one is grants`);
	}
	const grants = (document as {grants?: unknown}).grants;
	if (!Array.isArray(grants)) {
		throw new PolicyError("grants must be a list (an empty one denies everything)");
	}
	return {grants: grants.map(parseGrant)};
}

export function loadPolicy(file: string): Policy {
	let text: string;
	try {
		text = readFileSync(file, "utf8");
	} catch (error) {
		throw new PolicyError(`policy ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
	}
	try {
		return parsePolicy(text);
	} catch (error) {
		throw new PolicyError(`policy ${file}: ${(error as Error).message}`);
	}
}

/** A glob on `<project>/<env>`: `*` any run of characters but `/`, `?` one of them, `**` everything. */
export function globMatches(glob: string, environment: string): boolean {
	if (glob === "**") {
		return true;
	}
	const pattern = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
	return new RegExp(`^${pattern}$`).test(environment);
}

function grants(grant: Grant, owner: Owner): boolean {
	switch (owner.kind) {
		case "team":
			return grant.teams.has(owner.teamId);
		case "legacyTeam":
			return grant.legacyTeams.has(owner.teamId);
		case "agentPool":
			return grant.agentPools.has(owner.agentPoolId);
		case "user":
			return grant.userTokens;
		case "organizationToken":
			return grant.organizationTokens.has(owner.organization);
		case "auditTrailToken":
			return grant.auditTrailTokens.has(owner.organization);
	}
}

/**
 * The first grant, in the file's order, that gives this organization's environment the token; it also decides the
 * ttl of an open. None: 403 naming the organization, environment and token, before anything is sent.
 */
export function authorize(policy: Policy, caller: {org: string; environment: string}, owner: Owner): Grant {
	const grant = policy.grants.find(candidate => candidate.pulumiOrganization === caller.org
		&& candidate.environments.some(glob => globMatches(glob, caller.environment))
		&& grants(candidate, owner));
	if (!grant) {
		throw new EscError(403, `no grant gives ${describeOwner(owner)} to environment ${caller.environment} of Pulumi organization ${caller.org}`);
	}
	return grant;
}
