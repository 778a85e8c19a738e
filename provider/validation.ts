/**
 * Shapes of the identifiers that go into request paths. Checked before any request so that an input such as
 * `../organizations/x` can never address another endpoint.
 */
export const TEAM_ID = /^team-[A-Za-z0-9]+$/;

/**
 * The API documents no length for team ids (they are `team-` and 16 characters today); this cap keeps a pasted
 * blob out of request paths and messages while leaving room for longer ids.
 */
export const MAX_TEAM_ID_LENGTH = 64;
export const TOKEN_ID = /^at-[A-Za-z0-9]+$/;

export class InvalidTeamIdError extends Error {
	override name = "InvalidTeamIdError";
	constructor() {
		super("invalid value for team ID: expected `team-` followed by letters and digits");
	}
}

export class InvalidTokenIdError extends Error {
	override name = "InvalidTokenIdError";
	constructor() {
		super("invalid value for token ID: expected `at-` followed by letters and digits");
	}
}

export function validTeamId(value: unknown): value is string {
	return typeof value === "string" && value.length <= MAX_TEAM_ID_LENGTH && TEAM_ID.test(value);
}

export function validTokenId(value: unknown): value is string {
	return typeof value === "string" && TOKEN_ID.test(value);
}

/**
 * Organization names as go-tfe accepts them in paths: letters, digits, "-" and "_". The API documents no length; 64
 * is this package's cap, well above real names.
 */
export const ORGANIZATION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const AGENT_POOL_ID = /^apool-[A-Za-z0-9]+$/;

export class InvalidOrganizationError extends Error {
	override name = "InvalidOrganizationError";
	constructor() {
		super("invalid value for organization: expected letters, digits, \"-\" and \"_\", at most 64 characters");
	}
}

export class InvalidAgentPoolIdError extends Error {
	override name = "InvalidAgentPoolIdError";
	constructor() {
		super("invalid value for agent pool ID: expected `apool-` followed by letters and digits");
	}
}

export function validOrganizationName(value: unknown): value is string {
	return typeof value === "string" && ORGANIZATION_NAME.test(value);
}

export function validAgentPoolId(value: unknown): value is string {
	return typeof value === "string" && value.length <= MAX_TEAM_ID_LENGTH && AGENT_POOL_ID.test(value);
}

/** The by-id route every kind's tokens share (`GET`/`DELETE /authentication-tokens/:id`). */
export function tokenPath(tokenId: string): string {
	if (!validTokenId(tokenId)) {
		throw new InvalidTokenIdError();
	}
	return `authentication-tokens/${tokenId}`;
}
