import {generateAgentPoolId, generateSecret, generateTeamId} from "./ids";
import type {TtlTokenType} from "./store";

/** Faults injected into team-token routes; every field is off (0) unless set. */
export interface FaultOptions {
	/** Fraction (0..1) of team-token requests answered 503 before anything happens. */
	failBefore?: number;
	/** Fraction (0..1) of team-token requests whose change is kept but whose answer is replaced by a 500 or 502. */
	failAfter?: number;
	/** Milliseconds added before every team-token request is handled. */
	latencyMs?: number;
	/**
	 * Milliseconds the answer to every team-token POST and DELETE is held after its change was made, so a test can
	 * kill a client while the API has acted and the answer is still on its way.
	 */
	answerDelayMs?: number;
	/** Seed of the pseudo-random generator deciding which requests fail, so a run can be repeated. */
	seed?: number;
	/**
	 * `DELETE /organizations/:name/team-tokens` (the bulk revocation) answers 404 and revokes nothing, as a server
	 * without the route would (an older Terraform Enterprise).
	 */
	bulkRevokeNotFound?: boolean;
}

export interface LocalApiOptions {
	host?: string;
	port?: number;
	adminToken?: string;
	/** Team ids to seed, or how many teams with generated ids to seed. */
	teams?: readonly string[] | number;
	/** Accepted requests per second per credential; 0 or undefined turns the limit off. */
	rateLimit?: number;
	faults?: FaultOptions;
	/** Request bodies larger than this are answered 413. */
	maxBodyBytes?: number;
	/**
	 * Lifetime in days of a token created without `expired-at`. Unset: two calendar years, as HCP Terraform does
	 * today. Null: such tokens never expire, as on older Terraform Enterprise releases.
	 */
	defaultLifetimeDays?: number | null;
	/** Name of the organization every team and agent pool belongs to. */
	organization?: string;
	/** Agent pool ids to seed, or how many pools with generated ids to seed. */
	agentPools?: readonly string[] | number;
	/**
	 * The organization's maximum token lifetime per token type, in days. Unset: `GET .../token-ttl-policies` answers
	 * 404, as on a Terraform Enterprise release without the policies API.
	 */
	tokenTtlDays?: Partial<Record<TtlTokenType, number>>;
	/** Clock deciding creation and expiry times; tests inject one to make tokens expire. */
	now?: () => Date;
}

/** The one place defaults live; `adminToken` (random) and `now` (the system clock) are computed in `resolveOptions`. */
export const DEFAULTS = {
	host: "127.0.0.1",
	port: 0,
	teams: 1,
	agentPools: 0,
	organization: "local-org",
	defaultLifetimeDays: "two years",
	rateLimit: 0,
	maxBodyBytes: 64 * 1024,
	faults: {failBefore: 0, failAfter: 0, latencyMs: 0, answerDelayMs: 0, seed: 1, bulkRevokeNotFound: false},
	/** The request log keeps only this many latest entries, so a long-running server does not grow without bound. */
	requestLogLimit: 10_000,
} as const;

/** Upper bound on a count of generated teams, so a typo cannot exhaust memory. */
export const MAX_GENERATED_TEAMS = 100_000;

export type ResolvedFaults = Required<FaultOptions>;

export interface ResolvedOptions {
	readonly host: string;
	readonly port: number;
	readonly adminToken: string;
	readonly teams: readonly string[];
	readonly agentPools: readonly string[];
	readonly ttlPolicies: ReadonlyMap<TtlTokenType, number> | null;
	readonly organization: string;
	readonly defaultLifetimeDays: number | null | "two years";
	readonly rateLimit: number;
	readonly faults: ResolvedFaults;
	readonly maxBodyBytes: number;
	readonly now: () => Date;
}

export function resolveOptions(options: LocalApiOptions = {}): ResolvedOptions {
	const port = options.port ?? DEFAULTS.port;
	requireInteger("port", port, 0, 65_535);
	const maxBodyBytes = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
	requireInteger("maxBodyBytes", maxBodyBytes, 1, Number.MAX_SAFE_INTEGER);
	if (options.adminToken !== undefined && options.adminToken.trim() === "") {
		throw new RangeError("adminToken must not be empty");
	}
	return {
		host: options.host ?? DEFAULTS.host,
		port,
		adminToken: options.adminToken ?? generateSecret(),
		teams: resolveIds("teams", options.teams ?? DEFAULTS.teams, generateTeamId),
		agentPools: resolveIds("agentPools", options.agentPools ?? DEFAULTS.agentPools, generateAgentPoolId),
		ttlPolicies: resolveTtlPolicies(options.tokenTtlDays),
		organization: resolveOrganization(options.organization ?? DEFAULTS.organization),
		defaultLifetimeDays: resolveLifetime(
			options.defaultLifetimeDays === undefined ? DEFAULTS.defaultLifetimeDays : options.defaultLifetimeDays,
		),
		rateLimit: resolveRateLimit(options.rateLimit),
		faults: resolveFaults(options.faults),
		maxBodyBytes,
		now: options.now ?? (() => new Date()),
	};
}

function resolveIds(name: string, ids: readonly string[] | number, generate: () => string): readonly string[] {
	if (typeof ids === "number") {
		requireInteger(name, ids, 0, MAX_GENERATED_TEAMS);
		return Array.from({length: ids}, generate);
	}
	// Ids are checked where they are added, in the store.
	return ids;
}

function resolveTtlPolicies(days: LocalApiOptions["tokenTtlDays"]): ReadonlyMap<TtlTokenType, number> | null {
	if (days === undefined) return null;
	const entries = Object.entries(days).filter(([, value]) => value !== undefined) as [TtlTokenType, number][];
	for (const [type, value] of entries) requireInteger(`tokenTtlDays.${type}`, value, 1, 36_500);
	return new Map(entries.map(([type, value]) => [type, value * 86_400_000]));
}

function resolveLifetime(days: number | null | "two years"): number | null | "two years" {
	if (typeof days === "number") requireInteger("defaultLifetimeDays", days, 1, 36_500);
	return days;
}

function resolveOrganization(name: string): string {
	if (!/^[A-Za-z0-9_-]+$/.test(name))
		throw new RangeError(`invalid organization name ${JSON.stringify(name)}: expected letters, digits, "-" and "_"`);
	return name;
}

export function resolveRateLimit(perSecond: number | undefined): number {
	const limit = perSecond ?? DEFAULTS.rateLimit;
	// Whole numbers only: the limiter remembers exactly this many recent requests per credential.
	requireInteger("rateLimit", limit, 0, 1_000_000);
	return limit;
}

/** Omitted fields fall back to the defaults (off), so `setFaults({})` switches every fault off. */
export function resolveFaults(faults: FaultOptions = {}): ResolvedFaults {
	const resolved = {...DEFAULTS.faults, ...withoutUndefined(faults)};
	requireFraction("failBefore", resolved.failBefore);
	requireFraction("failAfter", resolved.failAfter);
	if (resolved.failBefore + resolved.failAfter > 1) {
		throw new RangeError("failBefore + failAfter must not exceed 1");
	}
	requireInteger("latencyMs", resolved.latencyMs, 0, 60_000);
	requireInteger("answerDelayMs", resolved.answerDelayMs, 0, 600_000);
	requireInteger("seed", resolved.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
	return resolved;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function requireInteger(name: string, value: number, min: number, max: number): void {
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
	}
}

function requireFraction(name: string, value: number): void {
	if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be a fraction from 0 to 1, got ${value}`);
}
