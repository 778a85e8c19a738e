import type {Http} from "../api/http";
import type {TokenInputs} from "../kinds/token-inputs";
import type {TokenKind} from "../kinds";
import {DAY_MS} from "./rotation";
import {TokenTtlPolicies} from "../api/token-ttl-policies";
import type {StackRun} from "./stack-run";

/** The organization's maximum lifetime for one kind of token. */
export interface LifetimePolicy {
	/** Named as the policies API names it, for messages: "organization", "audit_trails". */
	type: string;
	organization: string;
	maxMs: number;
	/** Whether it is the limit a policy resource of this stack will set, rather than the API's current one. */
	planned: boolean;
}

/**
 * The organization's TTL policy for a kind: the one a TokenLifetimePolicy of this stack plans, when the provider
 * process has checked one for the organization, else the API's, read once per organization and API address for
 * the life of the process (a stack's check and create share it). Unreadable policies (a 403 or 404: no
 * permission, or a Terraform Enterprise release without the API) and failed reads count as none, so the token
 * behaves as before.
 */
export class PolicyReader {
	private readonly cache = new Map<string, Promise<Map<string, number> | undefined>>();

	constructor(private readonly run: StackRun) {}

	async forKind(kind: TokenKind, inputs: TokenInputs, http: Http, address: string): Promise<LifetimePolicy | undefined> {
		if (!kind.ttl) {
			return undefined;
		}
		const organization = kind.ttl.organization(inputs);
		if (organization === undefined) {
			return undefined;
		}
		const planned = this.run.plannedFor(address, organization)?.get(kind.ttl.type);
		if (planned !== undefined) {
			return {type: kind.ttl.type, organization, maxMs: planned, planned: true};
		}
		const key = `${address} ${organization}`;
		let policies = this.cache.get(key);
		if (!policies) {
			policies = new TokenTtlPolicies(http).list(organization).catch(() => undefined);
			this.cache.set(key, policies);
		}
		const maxMs = (await policies)?.get(kind.ttl.type);
		return maxMs === undefined ? undefined : {type: kind.ttl.type, organization, maxMs, planned: false};
	}
}

/** The lifetime the inputs ask for, in ms from now, and the field that asks; undefined when neither is given or known. */
export function requestedLifetime(inputs: TokenInputs, now: Date): {field: "expiresInDays" | "expiredAt"; ms: number} | undefined {
	if (typeof inputs.expiresInDays === "number") {
		return {field: "expiresInDays", ms: inputs.expiresInDays * DAY_MS};
	}
	const expiry = Date.parse(inputs.expiredAt ?? "");
	return Number.isNaN(expiry) ? undefined : {field: "expiredAt", ms: expiry - now.getTime()};
}

/** Why the requested lifetime breaks the policy, naming it, or undefined when it fits. */
export function lifetimeProblem(policy: LifetimePolicy, inputs: TokenInputs, now: Date): {field: string; reason: string} | undefined {
	const limitDays = policy.maxMs / DAY_MS;
	const whose = policy.planned
		? `the token TTL policy this stack sets for the organization ${policy.organization} (its TokenLifetimePolicy) allows ${policy.type} tokens`
		: `the organization ${policy.organization}'s token TTL policy for ${policy.type} tokens allows`;
	const named = `${whose} at most ${formatDays(limitDays)} days (a longer-lived token stops working)`;
	if (inputs.expiresInDays !== undefined && inputs.expiresInDays * DAY_MS > policy.maxMs) {
		return {field: "expiresInDays", reason: `${inputs.expiresInDays} days is too long: ${named}; ask for ${Math.floor(limitDays)} or fewer`};
	}
	if (inputs.expiredAt !== undefined && Date.parse(inputs.expiredAt) - now.getTime() > policy.maxMs) {
		return {field: "expiredAt", reason: `${inputs.expiredAt} is too far off: ${named}`};
	}
	return undefined;
}

/**
 * How a maximum lifetime treats a token: untouched when its own lifetime fits; else cut off at once when it is
 * already older than the limit, or ended early, at creation plus the limit. A token that never expires has no
 * lifetime that fits. Read from HashiCorp's warning that tokens over a new limit stop working at once.
 */
export function cutOff(token: {createdAt?: string | null; expiredAt?: string | null}, maxMs: number, now: Date): "now" | "early" | undefined {
	const created = Date.parse(token.createdAt ?? "");
	if (Number.isNaN(created)) {
		return undefined;
	}
	const expiry = token.expiredAt ? Date.parse(token.expiredAt) : Number.POSITIVE_INFINITY;
	if (expiry <= now.getTime() || expiry - created <= maxMs) {
		return undefined;
	}
	return now.getTime() - created >= maxMs ? "now" : "early";
}

/**
 * What a token's own diff says when the maximum a policy of this stack plans for its organization and type cuts it
 * short, or undefined. Only kinds with an organization input can be matched to a policy.
 */
export function plannedCutOff(
	kind: TokenKind,
	id: string,
	state: TokenInputs & {tokenId: string; createdAt?: string; expiredAt?: string},
	plannedFor: (organization: string) => ReadonlyMap<string, number> | undefined,
	now: Date,
): string | undefined {
	if (!kind.ttl) {
		return undefined;
	}
	const organization = kind.ttl.organization(state);
	const maxMs = organization === undefined ? undefined : plannedFor(organization)?.get(kind.ttl.type);
	const fate = maxMs === undefined ? undefined : cutOff(state, maxMs, now);
	if (!fate) {
		return undefined;
	}
	return `${kind.resource} ${id} (${state.tokenId}) ${fate === "now" ? "stops working as soon as" : "stops working before its expiry once"} `
		+ `the TokenLifetimePolicy of this stack sets ${kind.ttl.type} tokens to at most ${formatDays(maxMs! / DAY_MS)} days; `
		+ "change its `triggers` to replace it by one within the limit.";
}

export function formatDays(days: number): string {
	return Number.isInteger(days) ? String(days) : days.toFixed(2);
}
