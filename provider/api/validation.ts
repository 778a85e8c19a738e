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

/**
 * A named error class for an identifier refused before it could reach a request path, as go-tfe names one per
 * identifier (ErrInvalidOrg, ErrInvalidAgentPoolID, ...), so callers can tell them apart with `instanceof`.
 */
function invalidValueError(name: string, what: string, expected: string) {
	return class extends Error {
		override name = name;
		constructor() {
			super(`invalid value for ${what}: expected ${expected}`);
		}
	};
}

export const InvalidTeamIdError = invalidValueError("InvalidTeamIdError", "team ID", "`team-` followed by letters and digits");
export const InvalidTokenIdError = invalidValueError("InvalidTokenIdError", "token ID", "`at-` followed by letters and digits");
export const InvalidOrganizationError = invalidValueError("InvalidOrganizationError", "organization", "letters, digits, \"-\" and \"_\", at most 64 characters");
export const InvalidAgentPoolIdError = invalidValueError("InvalidAgentPoolIdError", "agent pool ID", "`apool-` followed by letters and digits");
export const InvalidUserIdError = invalidValueError("InvalidUserIdError", "user ID", "`user-` followed by letters and digits");


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

export function validOrganizationName(value: unknown): value is string {
	return typeof value === "string" && ORGANIZATION_NAME.test(value);
}

export const USER_ID = /^user-[A-Za-z0-9]+$/;

export function validUserId(value: unknown): value is string {
	return typeof value === "string" && value.length <= MAX_TEAM_ID_LENGTH && USER_ID.test(value);
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
