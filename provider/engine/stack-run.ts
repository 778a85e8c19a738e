import type {TtlTokenType} from "../api/token-ttl-policies";
import type {DefaultLifetime} from "./default-lifetime";

/** A token of this stack as the engine showed it to the provider. */
export interface SeenToken {
	tokenId: string;
	/** "OrganizationToken acme", "TeamToken at-...": the class and the resource id. */
	resource: string;
}

/** The lifetime a token of this stack asks for, as its check saw it, for the policy checked after it. */
export interface RequestedLifetime {
	type: TtlTokenType;
	/** "OrganizationToken", "AuditTrailToken", "UserToken". */
	resource: string;
	field: "expiresInDays" | "expiredAt";
	ms: number;
}

/**
 * What one provider process learns during a run, shared by every resource it serves. The dynamic-provider host and
 * the plugin each serve all of a stack's resources (of one provider configuration) in one process, so a token's
 * check can see a TTL policy planned beside it, and a policy's check the tokens the engine has already shown.
 * Keyed by API address and organization: two providers reach two organizations.
 */
export class StackRun {
	private readonly planned = new Map<string, ReadonlyMap<TtlTokenType, number>>();
	private readonly tokens = new Map<string, SeenToken>();
	private readonly requests = new Map<string, RequestedLifetime>();
	private readonly lifetimes = new Map<string, DefaultLifetime>();

	/** Records the maximum lifetime per type that a policy resource will set (every type: unset ones at the default). */
	plan(address: string, organization: string, maxTtlMs: ReadonlyMap<TtlTokenType, number>): void {
		this.planned.set(`${address} ${organization}`, maxTtlMs);
	}

	plannedFor(address: string, organization: string): ReadonlyMap<TtlTokenType, number> | undefined {
		return this.planned.get(`${address} ${organization}`);
	}

	/** Records a token's requested lifetime; the same request twice (a check run again) is kept once. */
	request(address: string, organization: string, requested: RequestedLifetime): void {
		const {type, resource, field, ms} = requested;
		this.requests.set(`${address} ${organization} ${type} ${resource} ${field} ${ms}`, requested);
	}

	requestedIn(address: string, organization: string): RequestedLifetime[] {
		return [...this.requests].filter(([key]) => key.startsWith(`${address} ${organization} `)).map(([, requested]) => requested);
	}

	/** Records the lifetime a new token without an expiry got, keyed by `defaultLifetimeKey`. */
	learnDefaultLifetime(key: string, lifetime: DefaultLifetime): void {
		this.lifetimes.set(key, lifetime);
	}

	defaultLifetime(key: string): DefaultLifetime | undefined {
		return this.lifetimes.get(key);
	}

	see(token: SeenToken): void {
		this.tokens.set(token.tokenId, token);
	}

	/** The stack's token of this id, if the engine has shown it to this process. */
	seen(tokenId: string): SeenToken | undefined {
		return this.tokens.get(tokenId);
	}
}
