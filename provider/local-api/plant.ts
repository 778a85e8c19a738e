import type {Store, User} from "./store";

/**
 * A token stored as if it had been issued and used at set times, so tests and benchmarks can build an organization
 * of thousands of tokens in one call instead of thousands of requests, with ages no request could give them.
 */
export interface PlantedToken {
	/** A team id (`team-...`), an agent pool id (`apool-...`) or an organization's name. */
	owner: string;
	/** For an organization: its `organization` token (default) or its `audit-trail` token. */
	kind?: "organization" | "audit-trail";
	/**
	 * A team's described token when set (unique per team), its single legacy token when not; an agent token's
	 * description (default "planted"). Organization tokens have none.
	 */
	description?: string;
	/** RFC 3339; default now. */
	createdAt?: string;
	/** RFC 3339, or null for a token that never expires; default the server's default lifetime from `createdAt`. */
	expiredAt?: string | null;
	/** RFC 3339, or null (default) for a token never used. */
	lastUsedAt?: string | null;
}

function instant(value: string, field: string): Date {
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) throw new RangeError(`${field}: expected an RFC 3339 instant; got ${JSON.stringify(value)}`);
	return date;
}

/** Stores each token (a legacy or organization token replaces the owner's current one, as a POST does); their ids. */
export function plantTokens(store: Store, tokens: readonly PlantedToken[], now: Date, createdBy: User): string[] {
	return tokens.map((spec, index) => {
		const field = (name: string) => `tokens[${index}].${name}`;
		const createdAt = spec.createdAt === undefined ? now : instant(spec.createdAt, field("createdAt"));
		const request = {
			createdBy,
			now: createdAt,
			expiredAt: spec.expiredAt === undefined || spec.expiredAt === null ? spec.expiredAt : instant(spec.expiredAt, field("expiredAt")),
			lastUsedAt: spec.lastUsedAt == null ? null : instant(spec.lastUsedAt, field("lastUsedAt")),
		};
		const team = store.team(spec.owner);
		if (team !== undefined) {
			if (spec.description === undefined) return store.issueLegacy(team, request).id;
			const token = store.issueDescribed(team, spec.description, request);
			if (token === "duplicate") throw new RangeError(`${field("description")}: team ${team.id} already has a token described ${JSON.stringify(spec.description)}`);
			return token.id;
		}
		const pool = store.agentPool(spec.owner);
		if (pool !== undefined) return store.issueAgentToken(pool, spec.description ?? "planted", request).id;
		const organization = store.organizationNamed(spec.owner);
		if (organization !== undefined) return store.issueOrganizationToken(organization, spec.kind ?? "organization", request).id;
		throw new RangeError(`${field("owner")}: no team, agent pool or organization ${JSON.stringify(spec.owner)}`);
	});
}
