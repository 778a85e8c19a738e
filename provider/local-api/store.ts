import {
	generateAgentPoolId,
	generateSecret,
	generateTeamId,
	generateTokenId,
	generateUserId,
	isAgentPoolId,
	isTeamId,
} from "./ids";

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
 * organization) have no description; described team tokens and agent tokens always have one; a user's tokens (several
 * per user, acting as that user) may have one.
 */
export type Identity =
	| {readonly kind: "legacy"; readonly description: null; readonly team: Team}
	| {readonly kind: "described"; readonly description: string; readonly team: Team}
	| {readonly kind: OrganizationTokenKind; readonly description: null; readonly organization: Organization}
	| {readonly kind: "agent"; readonly description: string; readonly pool: AgentPool}
	| {readonly kind: "user"; readonly description: string | null; readonly owner: User};

/** The organization's own tokens, each one per organization: `?token=audit-trails` picks the second. */
export type OrganizationTokenKind = "organization" | "audit-trail";

/** Token types of the organization's TTL policies, spelled as the policies API spells them. */
export type TtlTokenType = "organization" | "team" | "user" | "audit_trails";

export const TTL_TOKEN_TYPES: readonly TtlTokenType[] = ["organization", "team", "user", "audit_trails"];

/**
 * The maximum lifetime an organization created at run time lists for a token type nobody has set: two years of
 * 365.2425 days, the value go-tfe's TTL policy tests name as "Default 2-year TTL used by the API".
 */
export const DEFAULT_TTL_POLICY_MS = 63_113_904_000;

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
	/** Unique within the organization; a team seeded at start-up is named after its id. */
	readonly name: string;
	readonly organization: Organization;
	/** The `organization-access` booleans the team was created with (none for seeded teams). */
	readonly organizationAccess: Readonly<Record<string, boolean>>;
	/** The real service lets a team token act as a service account named after its team. */
	readonly user: User;
	legacy: IssuedToken | undefined;
	/** Current described tokens by description, which the service keeps unique per team. */
	readonly described: Map<string, IssuedToken>;
}

export interface Organization {
	readonly name: string;
	/** The e-mail address given when it was created; null for the one made at start-up. */
	readonly email: string | null;
	readonly createdAt: Date;
	/** Whom the organization's own tokens act as. */
	readonly user: User;
	readonly tokens: Partial<Record<OrganizationTokenKind, IssuedToken>>;
	/** Its teams and agent pools by id; ids are unique across organizations. */
	readonly teams: Map<string, Team>;
	readonly agentPools: Map<string, AgentPool>;
	/**
	 * Maximum lifetime per token type in ms, as set at start-up or by `PATCH .../token-ttl-policies`; only these are
	 * enforced. Null: the policies API is absent (older Terraform Enterprise).
	 */
	ttlPolicies: Map<TtlTokenType, number> | null;
	/**
	 * Whether the policy list shows every token type, those never set at DEFAULT_TTL_POLICY_MS, as HCP Terraform
	 * lists them. True for organizations created at run time; the start-up one lists only what was set.
	 */
	readonly listsDefaultPolicies: boolean;
	/** The feature set of its subscription, once an admin has set one. */
	featureSet: string | undefined;
	/** `user-tokens-enabled`: false refuses user tokens on the organization's routes (403). New organizations allow them. */
	userTokensEnabled: boolean;
}

export interface AgentPool {
	readonly id: string;
	/** Unique within the organization; a pool seeded at start-up is named after its id. */
	readonly name: string;
	readonly createdAt: Date;
	readonly organization: Organization;
	/** Several per pool; descriptions need not be unique (the docs do not say they are). */
	readonly tokens: Set<IssuedToken>;
}

/** A token as `LocalApi.tokens()` reports it, secret included, for tests and demos to inspect. */
export interface TokenRecord {
	readonly id: string;
	/** The team of a team token, null for the other kinds. */
	readonly teamId: string | null;
	/** The team id, organization name, agent pool id or user id the token belongs to. */
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
	/** Unset means the service's default lifetime; null (planted tokens only) a token that never expires. */
	readonly expiredAt: Date | null | undefined;
	/** Planted tokens only: when the token was last used, as if it had been. */
	readonly lastUsedAt?: Date | null;
}

/** What `createOrganization` needs besides the name. */
export interface NewOrganization {
	readonly email: string | null;
	readonly now: Date;
	readonly ttlPolicies: Map<TtlTokenType, number> | null;
	readonly listsDefaultPolicies: boolean;
}

/**
 * Organizations, their teams and agent pools, and every token, indexed for the lookups every request makes: by
 * organization name, team, pool and token id, and by secret. Each organization is isolated: its own teams, pools,
 * tokens and policies. Expired tokens stay stored (they can still be read and deleted, as on the real service) but
 * stop authenticating.
 */
export class Store {
	private readonly organizations = new Map<string, Organization>();
	private readonly teams = new Map<string, Team>();
	private readonly pools = new Map<string, AgentPool>();
	private readonly byId = new Map<string, IssuedToken>();
	/** Each user's current tokens; only the admin is a user here (team and organization tokens act as service accounts). */
	private readonly userTokens = new Map<User, Set<IssuedToken>>();
	private readonly bySecret = new Map<string, IssuedToken>();
	private readonly admin: Credential;

	constructor(
		private readonly adminToken: string,
		teamIds: readonly string[],
		/** The organization made at start-up, which seeded teams and pools and `addTeam` belong to. */
		readonly organization: string,
		/** Lifetime of a token created without `expired-at`; null: it never expires. */
		private readonly defaultLifetimeDays: number | null | "two years",
		agentPoolIds: readonly string[] = [],
		ttlPolicies: ReadonlyMap<TtlTokenType, number> | null = null,
		/** The clock for what is made without a request: the start-up organization, `addAgentPool`. */
		private readonly clock: () => Date = () => new Date(),
	) {
		this.admin = {user: {id: generateUserId(), username: "local-admin", isServiceAccount: false}};
		this.createOrganization(organization, {
			email: null,
			now: clock(),
			ttlPolicies: ttlPolicies === null ? null : new Map(ttlPolicies),
			listsDefaultPolicies: false,
		});
		for (const id of teamIds) this.addTeam(id);
		for (const id of agentPoolIds) this.addAgentPool(id);
	}

	/** The user with this id, if any: the admin, the one person the local API knows. */
	user(id: string): User | undefined {
		return this.admin.user.id === id ? this.admin.user : undefined;
	}

	/** The user's current tokens, oldest first. */
	tokensOfUser(user: User): IssuedToken[] {
		return [...(this.userTokens.get(user) ?? [])];
	}

	/** Whom the admin token acts as. */
	get adminUser(): User {
		return this.admin.user;
	}

	/** Whether the credential is the admin token, the only one the /admin routes answer. */
	isAdmin(credential: Credential): boolean {
		return credential === this.admin;
	}

	/** Creates an organization, or answers "taken" when one of that name exists. */
	createOrganization(name: string, details: NewOrganization): Organization | "taken" {
		if (this.organizations.has(name)) return "taken";
		const user = {id: generateUserId(), username: `api-org-${name}`, isServiceAccount: true};
		const organization: Organization = {
			name,
			email: details.email,
			createdAt: details.now,
			user,
			tokens: {},
			teams: new Map(),
			agentPools: new Map(),
			ttlPolicies: details.ttlPolicies,
			listsDefaultPolicies: details.listsDefaultPolicies,
			featureSet: undefined,
			userTokensEnabled: true,
		};
		this.organizations.set(name, organization);
		return organization;
	}

	organizationNamed(name: string): Organization | undefined {
		return this.organizations.get(name);
	}

	organizationNames(): string[] {
		return [...this.organizations.keys()];
	}

	/** Deletes the organization with its teams, agent pools and every token they hold. */
	deleteOrganization(organization: Organization): void {
		for (const team of [...organization.teams.values()]) this.deleteTeam(team);
		for (const pool of [...organization.agentPools.values()]) this.deleteAgentPool(pool);
		for (const token of Object.values(organization.tokens)) this.revoke(token);
		this.organizations.delete(organization.name);
	}

	/** Adds a team to the start-up organization, named after its id. */
	addTeam(id: string = generateTeamId()): string {
		if (!isTeamId(id))
			throw new RangeError(`invalid team id ${JSON.stringify(id)}: expected "team-" followed by letters and digits`);
		if (this.teams.has(id)) throw new RangeError(`team ${id} already exists`);
		const team = this.createTeam(this.startup(), id.slice("team-".length), {}, id);
		if (team === "taken") throw new RangeError(`a team named ${id.slice("team-".length)} already exists`);
		return id;
	}

	/** Creates a team, or answers "taken" when the organization has one of that name. */
	createTeam(
		organization: Organization,
		name: string,
		organizationAccess: Readonly<Record<string, boolean>>,
		id: string = this.unused(this.teams, generateTeamId),
	): Team | "taken" {
		if ([...organization.teams.values()].some(team => team.name === name)) return "taken";
		const user = {id: generateUserId(), username: `api-${id}`, isServiceAccount: true};
		const team: Team = {id, name, organization, organizationAccess, user, legacy: undefined, described: new Map()};
		this.teams.set(id, team);
		organization.teams.set(id, team);
		return team;
	}

	/** Deletes the team and revokes its tokens. */
	deleteTeam(team: Team): void {
		if (team.legacy !== undefined) this.revoke(team.legacy);
		for (const token of [...team.described.values()]) this.revoke(token);
		this.teams.delete(team.id);
		team.organization.teams.delete(team.id);
	}

	/** Ids of the start-up organization's teams (none once it is deleted). */
	teamIds(): string[] {
		return [...(this.organizations.get(this.organization)?.teams.keys() ?? [])];
	}

	team(id: string): Team | undefined {
		return this.teams.get(id);
	}

	/** Adds an agent pool to the start-up organization, named after its id. */
	addAgentPool(id: string = generateAgentPoolId()): string {
		if (!isAgentPoolId(id))
			throw new RangeError(`invalid agent pool id ${JSON.stringify(id)}: expected "apool-" followed by letters and digits`);
		if (this.pools.has(id)) throw new RangeError(`agent pool ${id} already exists`);
		const pool = this.createAgentPool(this.startup(), id, this.clock(), id);
		if (pool === "taken") throw new RangeError(`an agent pool named ${id} already exists`);
		return id;
	}

	/** Creates an agent pool, or answers "taken" when the organization has one of that name. */
	createAgentPool(
		organization: Organization,
		name: string,
		now: Date,
		id: string = this.unused(this.pools, generateAgentPoolId),
	): AgentPool | "taken" {
		if ([...organization.agentPools.values()].some(pool => pool.name === name)) return "taken";
		const pool: AgentPool = {id, name, createdAt: now, organization, tokens: new Set()};
		this.pools.set(id, pool);
		organization.agentPools.set(id, pool);
		return pool;
	}

	/** Deletes the agent pool and revokes its tokens. */
	deleteAgentPool(pool: AgentPool): void {
		for (const token of [...pool.tokens]) this.revoke(token);
		this.pools.delete(pool.id);
		pool.organization.agentPools.delete(pool.id);
	}

	/** Ids of the start-up organization's agent pools (none once it is deleted). */
	agentPoolIds(): string[] {
		return [...(this.organizations.get(this.organization)?.agentPools.keys() ?? [])];
	}

	agentPool(id: string): AgentPool | undefined {
		return this.pools.get(id);
	}

	/** Current tokens of the organization's teams, oldest first, as the organization's team-token list shows them. */
	teamTokens(organization: Organization): IssuedToken[] {
		return [...this.byId.values()].filter(token => "team" in token && token.team.organization === organization);
	}

	token(id: string): IssuedToken | undefined {
		return this.byId.get(id);
	}

	/** The credential a bearer secret stands for, if it is the admin token or a current, unexpired issued token. */
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

	/** Issues one more of the user's tokens, acting as that user. */
	issueUserToken(user: User, description: string | null, request: IssueRequest): IssuedToken {
		const token = this.issue({kind: "user", description, owner: user}, user, request);
		let tokens = this.userTokens.get(user);
		if (tokens === undefined) {
			tokens = new Set();
			this.userTokens.set(user, tokens);
		}
		tokens.add(token);
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
			case "user":
				this.userTokens.get(token.owner)?.delete(token);
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
	maxLifetimeMs(organization: Organization | undefined, kind: IssuedToken["kind"]): number | undefined {
		const type = TTL_TYPES[kind];
		return type === undefined ? undefined : organization?.ttlPolicies?.get(type);
	}

	private startup(): Organization {
		const organization = this.organizations.get(this.organization);
		if (organization === undefined) throw new RangeError(`organization ${this.organization} was deleted`);
		return organization;
	}

	/** A generated id not in use; a collision of 16 random characters is never expected, but costs nothing to rule out. */
	private unused(taken: ReadonlyMap<string, unknown>, generate: () => string): string {
		let id = generate();
		while (taken.has(id)) id = generate();
		return id;
	}

	private issue(identity: Identity, user: User, request: IssueRequest): IssuedToken {
		const limit = this.maxLifetimeMs(organizationOf(identity), identity.kind);
		const token: IssuedToken = {
			...identity,
			id: generateTokenId(),
			user,
			secret: generateSecret(),
			createdAt: request.now,
			expiredAt: request.expiredAt === undefined ? capped(defaultExpiry(request.now, this.defaultLifetimeDays), request.now, limit) : request.expiredAt,
			createdBy: request.createdBy,
			lastUsedAt: request.lastUsedAt ?? null,
		};
		this.byId.set(token.id, token);
		this.bySecret.set(token.secret, token);
		return token;
	}
}

/** The organization a token belongs to, through its team or pool for those kinds; a user's token belongs to none. */
export function organizationOf(identity: Identity): Organization | undefined {
	if ("team" in identity) return identity.team.organization;
	if ("pool" in identity) return identity.pool.organization;
	if ("owner" in identity) return undefined;
	return identity.organization;
}

/**
 * Agent tokens have no TTL policy type in the policies API. A user token belongs to no organization, so no
 * organization's `user` policy caps it here.
 */
const TTL_TYPES: Record<IssuedToken["kind"], TtlTokenType | undefined> = {
	legacy: "team",
	described: "team",
	organization: "organization",
	"audit-trail": "audit_trails",
	agent: undefined,
	user: "user",
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
	if ("owner" in token) return token.owner.id;
	return token.organization.name;
}
