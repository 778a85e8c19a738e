import type {Http} from "../api/http";
import type {TokenInputs} from "../kinds/token-inputs";
import type {TokenKind} from "../kinds";
import {DAY_MS} from "./rotation";
import {TokenTtlPolicies} from "../api/token-ttl-policies";

/** The organization's maximum lifetime for one kind of token. */
export interface LifetimePolicy {
	/** Named as the policies API names it, for messages: "organization", "audit_trails". */
	type: string;
	organization: string;
	maxMs: number;
}

/**
 * Reads the organization's TTL policy for a kind, once per organization and API address for the life of the
 * provider process (a stack's check and create share it). Unreadable policies (a 403 or 404: no permission, or a
 * Terraform Enterprise release without the API) and failed reads count as none, so the token behaves as before.
 */
export class PolicyReader {
	private readonly cache = new Map<string, Promise<Map<string, number> | undefined>>();

	async forKind(kind: TokenKind, inputs: TokenInputs, http: Http, address: string): Promise<LifetimePolicy | undefined> {
		if (!kind.ttl) {
			return undefined;
		}
		const organization = kind.ttl.organization(inputs);
		if (organization === undefined) {
			return undefined;
		}
		const key = `${address} ${organization}`;
		let policies = this.cache.get(key);
		if (!policies) {
			policies = new TokenTtlPolicies(http).list(organization).catch(() => undefined);
			this.cache.set(key, policies);
		}
		const maxMs = (await policies)?.get(kind.ttl.type);
		return maxMs === undefined ? undefined : {type: kind.ttl.type, organization, maxMs};
	}
}

/** Why the requested lifetime breaks the policy, naming it, or undefined when it fits. */
export function lifetimeProblem(policy: LifetimePolicy, inputs: TokenInputs, now: Date): {field: string; reason: string} | undefined {
	const limitDays = policy.maxMs / DAY_MS;
	const named = `the organization ${policy.organization}'s token TTL policy for ${policy.type} tokens allows at most ${formatDays(limitDays)} days`
		+ " (a longer-lived token stops working)";
	if (inputs.expiresInDays !== undefined && inputs.expiresInDays * DAY_MS > policy.maxMs) {
		return {field: "expiresInDays", reason: `${inputs.expiresInDays} days is too long: ${named}; ask for ${Math.floor(limitDays)} or fewer`};
	}
	if (inputs.expiredAt !== undefined && Date.parse(inputs.expiredAt) - now.getTime() > policy.maxMs) {
		return {field: "expiredAt", reason: `${inputs.expiredAt} is too far off: ${named}`};
	}
	return undefined;
}

function formatDays(days: number): string {
	return Number.isInteger(days) ? String(days) : days.toFixed(2);
}
