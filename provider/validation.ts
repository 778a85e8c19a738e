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
