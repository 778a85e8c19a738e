import {generateSecret, generateTeamId, generateTokenId, generateUserId, isTeamId} from "./ids";

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

/** Legacy tokens (one per team) have no description; described tokens always have one. */
type Identity =
	{readonly kind: "legacy"; readonly description: null} | {readonly kind: "described"; readonly description: string};

export type IssuedToken = Identity & {
	readonly id: string;
	readonly team: Team;
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

/** A token as `LocalApi.tokens()` reports it, secret included, for tests and demos to inspect. */
export interface TokenRecord {
	readonly id: string;
	readonly teamId: string;
	readonly kind: IssuedToken["kind"];
	readonly description: string | null;
	readonly token: string;
	readonly createdAt: string;
	readonly expiredAt: string | null;
}

export interface IssueRequest {
	readonly team: Team;
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

	constructor(
		private readonly adminToken: string,
		teamIds: readonly string[],
		readonly organization: string,
		/** Lifetime of a token created without `expired-at`; null: it never expires. */
		private readonly defaultLifetimeDays: number | null | "two years",
	) {
		this.admin = {user: {id: generateUserId(), username: "local-admin", isServiceAccount: false}};
		for (const id of teamIds) this.addTeam(id);
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

	/** Current tokens of the organization's teams, oldest first, as the organization's token list shows them. */
	organizationTokens(organization: string): IssuedToken[] {
		return organization === this.organization ? [...this.byId.values()] : [];
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
	issueLegacy(request: IssueRequest): IssuedToken {
		const previous = request.team.legacy;
		if (previous !== undefined) this.revoke(previous);
		const token = this.issue({kind: "legacy", description: null}, request);
		request.team.legacy = token;
		return token;
	}

	/** Issues a described token, or answers "duplicate" when the team already has one with this description. */
	issueDescribed(description: string, request: IssueRequest): IssuedToken | "duplicate" {
		if (request.team.described.has(description)) return "duplicate";
		const token = this.issue({kind: "described", description}, request);
		request.team.described.set(description, token);
		return token;
	}

	revoke(token: IssuedToken): void {
		this.byId.delete(token.id);
		this.bySecret.delete(token.secret);
		if (token.kind === "legacy") token.team.legacy = undefined;
		else token.team.described.delete(token.description);
	}

	records(): TokenRecord[] {
		return Array.from(this.byId.values(), token => ({
			id: token.id,
			teamId: token.team.id,
			kind: token.kind,
			description: token.description,
			token: token.secret,
			createdAt: token.createdAt.toISOString(),
			expiredAt: token.expiredAt?.toISOString() ?? null,
		}));
	}

	private issue(identity: Identity, request: IssueRequest): IssuedToken {
		const token: IssuedToken = {
			...identity,
			id: generateTokenId(),
			team: request.team,
			user: request.team.user,
			secret: generateSecret(),
			createdAt: request.now,
			expiredAt: request.expiredAt ?? defaultExpiry(request.now, this.defaultLifetimeDays),
			createdBy: request.createdBy,
			lastUsedAt: null,
		};
		this.byId.set(token.id, token);
		this.bySecret.set(token.secret, token);
		return token;
	}
}

function defaultExpiry(createdAt: Date, days: number | null | "two years"): Date | null {
	if (days === null) return null;
	if (typeof days === "number") return new Date(createdAt.getTime() + days * 86_400_000);
	const expiry = new Date(createdAt);
	expiry.setUTCFullYear(expiry.getUTCFullYear() + 2);
	return expiry;
}
