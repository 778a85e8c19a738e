import {generateAgentPoolId, generateSecret, generateTeamId, generateTokenId, generateUserId, isAgentPoolId, isTeamId} from "./ids";

/** The account a request acts as; GET /account/details describes it. */
export interface User {
	readonly id: string;
	readonly username: string;
	readonly isServiceAccount: boolean;
}

/** Anything that authenticates a request. Object identity is stable, so other parts may key state by it. */
export interface Credential {
	readonly user: User;
}

/**
 * What a token belongs to. Legacy team tokens (one per team) and organization and audit-trail tokens (one each per
 * organization) have no description; described team tokens and agent tokens always have one.
 */
type Identity =
	| {readonly kind: "legacy"; readonly description: null; readonly team: Team}
	| {readonly kind: "described"; readonly description: string; readonly team: Team}
	| {readonly kind: OrganizationTokenKind; readonly description: null; readonly organization: Organization}
	| {readonly kind: "agent"; readonly description: string; readonly pool: AgentPool};

/** The organization's own tokens, each one per organization: `?token=audit-trails` picks the second. */
export type OrganizationTokenKind = "organization" | "audit-trail";

/** Token types of the organization's TTL policies, spelled as the policies API spells them. */
export type TtlTokenType = "organization" | "team" | "user" | "audit_trails";

export type IssuedToken = Identity & {
	readonly id: string;
	/** Whom a request made with the token acts as. */
	readonly user: User;
	readonly secret: string;
	readonly createdAt: Date;
	/** Null for a token that never expires. */
	readonly expiredAt: Date | null;
	readonly createdBy: User;
	lastUsedAt: Date | null;
};

export interface Team {
	readonly id: string;
	readonly organization: string;
	/** The real service lets a team token act as a service account named after its team. */
	readonly user: User;
	legacy: IssuedToken | undefined;
	/** Current described tokens by description, which the service keeps unique per team. */
	readonly described: Map<string, IssuedToken>;
}

export interface Organization {
	readonly name: string;
	/** Whom the organization's own tokens act as. */
	readonly user: User;
	readonly tokens: Partial<Record<OrganizationTokenKind, IssuedToken>>;
	readonly agentPools: Map<string, AgentPool>;
	/** Maximum lifetime per token type in ms; null: the policies API is absent (older Terraform Enterprise). */
	readonly ttlPolicies: ReadonlyMap<TtlTokenType, number> | null;
}

export interface AgentPool {
	readonly id: string;
	readonly organization: Organization;
	/** Several per pool; descriptions need not be unique (the docs do not say they are). */
	readonly tokens: Set<IssuedToken>;
}

/** A token as `LocalApi.tokens()` reports it, secret included, for tests and demos to inspect. */
export interface TokenRecord {
	readonly id: string;
	/** The team of a team token, null for the other kinds. */
	readonly teamId: string | null;
	/** The team id, organization name or agent pool id the token belongs to. */
	readonly ownerId: string;
	readonly kind: IssuedToken["kind"];
	readonly description: string | null;
	readonly token: string;
	readonly createdAt: string;
	readonly expiredAt: string | null;
}

export interface IssueRequest {
	readonly createdBy: User;
	readonly now: Date;
	/** Unset means the service's default lifetime. */
	readonly expiredAt: Date | undefined;
}

/**
 * Teams and their tokens, indexed for the lookups every request makes: by team id, by token id and by secret.
 * Expired tokens stay stored (they can still be read and deleted, as on the real service) but stop authenticating.
 */
export class Store {
	private readonly teams = new Map<string, Team>();
	private readonly byId = new Map<string, IssuedToken>();
	private readonly bySecret = new Map<string, IssuedToken>();
	private readonly admin: Credential;
	readonly org: Organization;

	constructor(
		private readonly adminToken: string,
		teamIds: readonly string[],
		readonly organization: string,
		/** Lifetime of a token created without `expired-at`; null: it never expires. */
		private readonly defaultLifetimeDays: number | null | "two years",
		agentPoolIds: readonly string[] = [],
		ttlPolicies: ReadonlyMap<TtlTokenType, number> | null = null,
	) {
		this.admin = {user: {id: generateUserId(), username: "local-admin", isServiceAccount: false}};
		const user = {id: generateUserId(), username: `api-org-${organization}`, isServiceAccount: true};
		this.org = {name: organization, user, tokens: {}, agentPools: new Map(), ttlPolicies};
		for (const id of teamIds) this.addTeam(id);
		for (const id of agentPoolIds) this.addAgentPool(id);
	}

	addAgentPool(id: string = generateAgentPoolId()): string {
		if (!isAgentPoolId(id))
			throw new RangeError(`invalid agent pool id ${JSON.stringify(id)}: expected "apool-" followed by letters and digits`);
		if (this.org.agentPools.has(id)) throw new RangeError(`agent pool ${id} already exists`);
		this.org.agentPools.set(id, {id, organization: this.org, tokens: new Set()});
		return id;
	}

	agentPool(id: string): AgentPool | undefined {
		return this.org.agentPools.get(id);
	}

	/** The organization by name; any other name is one no credential here can see. */
	organizationNamed(name: string): Organization | undefined {
		return name === this.org.name ? this.org : undefined;
	}

	addTeam(id: string = generateTeamId()): string {
		if (!isTeamId(id))
			throw new RangeError(`invalid team id ${JSON.stringify(id)}: expected "team-" followed by letters and digits`);
		if (this.teams.has(id)) throw new RangeError(`team ${id} already exists`);
		const user = {id: generateUserId(), username: `api-${id}`, isServiceAccount: true};
		this.teams.set(id, {id, organization: this.organization, user, legacy: undefined, described: new Map()});
		return id;
	}

	teamIds(): string[] {
		return [...this.teams.keys()];
	}

	team(id: string): Team | undefined {
		return this.teams.get(id);
	}

	/** Current tokens of the organization's teams, oldest first, as the organization's team-token list shows them. */
	organizationTokens(organization: string): IssuedToken[] {
		return organization === this.organization ? [...this.byId.values()].filter(token => "team" in token) : [];
	}

	token(id: string): IssuedToken | undefined {
		return this.byId.get(id);
	}

	/** The credential a bearer secret stands for, if it is the admin token or a current, unexpired team token. */
	authenticate(secret: string | undefined, now: Date): Credential | undefined {
		if (secret === undefined) return undefined;
		if (secret === this.adminToken) return this.admin;
		const token = this.bySecret.get(secret);
		if (token === undefined || (token.expiredAt !== null && token.expiredAt <= now)) return undefined;
		token.lastUsedAt = now;
		return token;
	}

	/** Issues the team's legacy token, revoking the one it replaces. */
	issueLegacy(team: Team, request: IssueRequest): IssuedToken {
		if (team.legacy !== undefined) this.revoke(team.legacy);
		const token = this.issue({kind: "legacy", description: null, team}, team.user, request);
		team.legacy = token;
		return token;
	}

	/** Issues a described token, or answers "duplicate" when the team already has one with this description. */
	issueDescribed(team: Team, description: string, request: IssueRequest): IssuedToken | "duplicate" {
		if (team.described.has(description)) return "duplicate";
		const token = this.issue({kind: "described", description, team}, team.user, request);
		team.described.set(description, token);
		return token;
	}

	/** Issues the organization's token of this kind, revoking the one it replaces. */
	issueOrganizationToken(organization: Organization, kind: OrganizationTokenKind, request: IssueRequest): IssuedToken {
		const previous = organization.tokens[kind];
		if (previous !== undefined) this.revoke(previous);
		const token = this.issue({kind, description: null, organization}, organization.user, request);
		organization.tokens[kind] = token;
		return token;
	}

	issueAgentToken(pool: AgentPool, description: string, request: IssueRequest): IssuedToken {
		const token = this.issue({kind: "agent", description, pool}, pool.organization.user, request);
		pool.tokens.add(token);
		return token;
	}

	revoke(token: IssuedToken): void {
		this.byId.delete(token.id);
		this.bySecret.delete(token.secret);
		switch (token.kind) {
			case "legacy":
				token.team.legacy = undefined;
				break;
			case "described":
				token.team.described.delete(token.description);
				break;
			case "agent":
				token.pool.tokens.delete(token);
				break;
			default:
				delete token.organization.tokens[token.kind];
		}
	}

	records(): TokenRecord[] {
		return Array.from(this.byId.values(), token => ({
			id: token.id,
			teamId: "team" in token ? token.team.id : null,
			ownerId: ownerId(token),
			kind: token.kind,
			description: token.description,
			token: token.secret,
			createdAt: token.createdAt.toISOString(),
			expiredAt: token.expiredAt?.toISOString() ?? null,
		}));
	}

	/** The organization's maximum lifetime for tokens of this kind, if a policy sets one. */
	maxLifetimeMs(kind: IssuedToken["kind"]): number | undefined {
		const type = TTL_TYPES[kind];
		return type === undefined ? undefined : this.org.ttlPolicies?.get(type);
	}

	private issue(identity: Identity, user: User, request: IssueRequest): IssuedToken {
		const token: IssuedToken = {
			...identity,
			id: generateTokenId(),
			user,
			secret: generateSecret(),
			createdAt: request.now,
			expiredAt: request.expiredAt ?? capped(defaultExpiry(request.now, this.defaultLifetimeDays), request.now, this.maxLifetimeMs(identity.kind)),
			createdBy: request.createdBy,
			lastUsedAt: null,
		};
		this.byId.set(token.id, token);
		this.bySecret.set(token.secret, token);
		return token;
	}
}

/** Agent tokens have no TTL policy type in the policies API. */
const TTL_TYPES: Record<IssuedToken["kind"], TtlTokenType | undefined> = {
	legacy: "team",
	described: "team",
	organization: "organization",
	"audit-trail": "audit_trails",
	agent: undefined,
};

/** A policy is enforced at once: the default lifetime never outlasts it. */
function capped(expiry: Date | null, now: Date, limitMs: number | undefined): Date | null {
	if (limitMs === undefined) return expiry;
	const limit = new Date(now.getTime() + limitMs);
	return expiry === null || expiry > limit ? limit : expiry;
}

function defaultExpiry(createdAt: Date, days: number | null | "two years"): Date | null {
	if (days === null) return null;
	if (typeof days === "number") return new Date(createdAt.getTime() + days * 86_400_000);
	const expiry = new Date(createdAt);
	expiry.setUTCFullYear(expiry.getUTCFullYear() + 2);
	return expiry;
}

export function ownerId(token: IssuedToken): string {
	if ("team" in token) return token.team.id;
	if ("pool" in token) return token.pool.id;
	return token.organization.name;
}
