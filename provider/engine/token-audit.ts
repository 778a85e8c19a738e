import {AgentTokens} from "../api/agent-tokens";
import type {TfeSettings} from "../api/config";
import {redact, TfeApiError} from "../api/errors";
import {createHttp, type Http, type HttpOptions} from "../api/http";
import {listNamed, type NamedResource} from "../api/named-resources";
import {MAX_PAGE_SIZE} from "../api/paging";
import {OrganizationTokens} from "../api/organization-tokens";
import {TeamTokens} from "../api/team-tokens";
import type {TokenRecord} from "../api/token-document";
import {validOrganizationName} from "../api/validation";
import {AUDIT_FLAGS, type AuditFlag, type AuditStatus, classify, DEFAULT_EXPIRING_WITHIN_DAYS, MAX_EXPIRING_WITHIN_DAYS} from "./audit-status";

/** What the audit is asked. The function, the plugin's function and the command take these same fields. */
export interface AuditArgs {
	/** The organization's name. */
	organization: string;
	/** A token expiring at most this many days from now is `expiring`. 1-36500, default 30. */
	expiringWithinDays?: number;
	/** Whether to list agent tokens: one more request per agent pool. Default true. */
	includeAgentTokens?: boolean;
}

/** The audit's arguments, in the order every front door lists them. */
export const AUDIT_ARG_NAMES = ["organization", "expiringWithinDays", "includeAgentTokens"] as const satisfies readonly (keyof AuditArgs)[];

/** One token as the audit reports it: metadata only, never its value. */
export interface AuditedToken {
	tokenId: string;
	kind: "team" | "organization" | "audit-trail" | "agent";
	organization: string;
	teamId?: string;
	teamName?: string;
	agentPoolId?: string;
	agentPoolName?: string;
	description?: string;
	/** The id of the user, team or organization that created it. */
	createdBy?: string;
	createdAt?: string;
	lastUsedAt?: string;
	expiredAt?: string;
	status: AuditStatus;
	flags: AuditFlag[];
	daysLeft?: number;
}

export interface AuditResult {
	organization: string;
	expiringWithinDays: number;
	/** The instant the statuses were decided at. */
	checkedAt: string;
	/** Worst status first, then soonest expiry. */
	tokens: AuditedToken[];
	/** Tokens per flag (a token counts under each of its flags), `ok` and `total`. */
	counts: {expired: number; expiring: number; neverExpires: number; neverUsed: number; ok: number; total: number};
	/** What the audit could not see, in words: user tokens always, and anything the credential may not read. */
	notListed: string[];
}

/** A bad audit argument, refused before any request; the message starts with the field's name. */
export class AuditArgumentError extends Error {
	override name = "AuditArgumentError";
	constructor(readonly field: keyof AuditArgs, reason: string) {
		super(`${field}: ${reason}`);
	}
}

/** Checked arguments with their defaults filled in. */
export function checkAuditArgs(args: Partial<Record<keyof AuditArgs, unknown>>): Required<AuditArgs> {
	const {organization, expiringWithinDays = DEFAULT_EXPIRING_WITHIN_DAYS, includeAgentTokens = true} = args;
	if (!validOrganizationName(organization)) {
		throw new AuditArgumentError("organization", `expected the organization's name (letters, digits, "-" and "_", at most 64 characters); got ${JSON.stringify(organization) ?? String(organization)}.`);
	}
	if (typeof expiringWithinDays !== "number" || !Number.isInteger(expiringWithinDays) || expiringWithinDays < 1 || expiringWithinDays > MAX_EXPIRING_WITHIN_DAYS) {
		throw new AuditArgumentError("expiringWithinDays", `expected a whole number of days from 1 to ${MAX_EXPIRING_WITHIN_DAYS}; got ${JSON.stringify(expiringWithinDays) ?? String(expiringWithinDays)}.`);
	}
	if (typeof includeAgentTokens !== "boolean") {
		throw new AuditArgumentError("includeAgentTokens", `expected true or false; got ${JSON.stringify(includeAgentTokens) ?? String(includeAgentTokens)}.`);
	}
	return {organization, expiringWithinDays, includeAgentTokens};
}

export const USER_TOKENS_NOT_LISTED = "user tokens: the API lists a user's tokens only to that user (GET /users/:id/authentication-tokens), never for an organization";

const STATUS_ORDER: readonly AuditStatus[] = [...AUDIT_FLAGS, "ok"];

/**
 * What a credential may not read becomes a line of `notListed` rather than a failed audit: a team token outside the
 * owners team may list team tokens but not read the organization's own tokens (403).
 */
async function readable<T>(read: () => Promise<T>, what: string, notListed: string[], none: T): Promise<T> {
	try {
		return await read();
	} catch (error) {
		if (error instanceof TfeApiError && (error.status === 403 || error.status === 404)) {
			notListed.push(`${what}: the API answered ${error.status} to this credential`);
			return none;
		}
		throw error;
	}
}

/**
 * Every token of the organization the API lists: its team tokens (`GET /organizations/:name/team-tokens`, every page),
 * its organization and audit-trail tokens, and unless turned off its agent pools' tokens (one list per pool), with the
 * names of their teams and pools. Lists are read side by side; the HTTP client keeps them within the rate limit.
 */
export async function auditTokens(http: Http, args: Required<AuditArgs>, now: Date): Promise<AuditResult> {
	const {organization, expiringWithinDays, includeAgentTokens} = args;
	const notListed = [USER_TOKENS_NOT_LISTED];
	const agents = new AgentTokens(http);
	const agentTokens = async () => {
		const pools = await readable(() => listNamed(http, organization, "agent-pools"), "agent tokens", notListed, [] as NamedResource[]);
		const perPool = await Promise.all(pools.map(async pool => (await agents.listAll(pool.id)).map(record => ({record, pool}))));
		return perPool.flat();
	};
	// Page 1 of the team tokens alone first: a missing organization then costs one request, and the answer tells the
	// client the rate limit before the other lists start (requests sent before it is known arrive unpaced).
	const teamTokenList = new TeamTokens(http);
	const firstPage = await teamTokenList.list(organization, {pageNumber: 1, pageSize: MAX_PAGE_SIZE});
	const [teamTokens, teams, organizationToken, auditTrailToken, poolTokens] = await Promise.all([
		teamTokenList.listAll(organization, {}, firstPage),
		readable(() => listNamed(http, organization, "teams"), "team names", notListed, [] as NamedResource[]),
		readable(() => new OrganizationTokens(http, "organization").read(organization), "the organization token", notListed, undefined),
		readable(() => new OrganizationTokens(http, "audit-trails").read(organization), "the audit-trail token", notListed, undefined),
		includeAgentTokens ? agentTokens() : Promise.resolve([]),
	]);
	if (!includeAgentTokens) {
		notListed.push("agent tokens: not asked for (includeAgentTokens false)");
	}

	const teamNames = new Map(teams.map(team => [team.id, team.name]));
	const entries: Array<readonly [TokenRecord, Owner]> = [
		...teamTokens.map(record => [record, {kind: "team", organization, teamId: record.teamId, teamName: teamNames.get(record.teamId) ?? undefined}] as const),
		...(organizationToken ? [[organizationToken, {kind: "organization", organization}] as const] : []),
		...(auditTrailToken ? [[auditTrailToken, {kind: "audit-trail", organization}] as const] : []),
		...poolTokens.map(({record, pool}) => [record, {kind: "agent", organization, agentPoolId: pool.id, agentPoolName: pool.name ?? undefined}] as const),
	];

	const seen = new Set<string>();
	const tokens: AuditedToken[] = [];
	for (const [record, owner] of entries) {
		// A list that shifts while it is walked can show a token twice.
		if (seen.has(record.id)) {
			continue;
		}
		seen.add(record.id);
		tokens.push(withoutUnset({
			tokenId: record.id,
			...owner,
			description: record.description ?? undefined,
			createdBy: record.createdBy ?? undefined,
			createdAt: record.createdAt ?? undefined,
			lastUsedAt: record.lastUsedAt ?? undefined,
			expiredAt: record.expiredAt ?? undefined,
			...classify(record, now, expiringWithinDays),
		}));
	}
	tokens.sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || expiryOrder(a) - expiryOrder(b));

	const flagged = (flag: AuditFlag) => tokens.filter(token => token.flags.includes(flag)).length;
	return {
		organization,
		expiringWithinDays,
		checkedAt: now.toISOString(),
		tokens,
		counts: {
			expired: flagged("expired"),
			expiring: flagged("expiring"),
			neverExpires: flagged("never-expires"),
			neverUsed: flagged("never-used"),
			ok: tokens.filter(token => token.status === "ok").length,
			total: tokens.length,
		},
		notListed,
	};
}

/** Whom a token belongs to, in the audit's words. */
type Owner = Pick<AuditedToken, "kind" | "organization" | "teamId" | "teamName" | "agentPoolId" | "agentPoolName">;

const expiryOrder = (token: AuditedToken) => (token.expiredAt === undefined ? Number.MAX_VALUE : Date.parse(token.expiredAt) || Number.MAX_VALUE);

/** Leaves out fields the API gave no value for, so the plugin's answer carries no nulls. */
function withoutUnset<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The audit as every front door runs it: the arguments checked (an AuditArgumentError before any request), then the
 * lists read with the settings' credential, which no error that leaves here carries.
 */
export async function runAudit(
	settings: TfeSettings,
	args: Partial<Record<keyof AuditArgs, unknown>>,
	options: {http?: Partial<HttpOptions>; now?: Date} = {},
): Promise<AuditResult> {
	const checked = checkAuditArgs(args);
	try {
		return await auditTokens(createHttp(settings, options.http), checked, options.now ?? new Date());
	} catch (error) {
		const e = error as Error;
		e.message = redact(e.message, [settings.token]);
		e.stack = redact(e.stack ?? "", [settings.token]);
		throw e;
	}
}
