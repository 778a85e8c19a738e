import {randomBytes} from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// Bytes at or above the largest multiple of the alphabet size are skipped, so every character is equally likely.
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/** Letters and digits drawn from the operating system's secure random source. */
export function randomAlphanumeric(length: number): string {
	let out = "";
	while (out.length < length) {
		// A little more than needed, since about 3% of bytes are skipped.
		for (const byte of randomBytes(length - out.length + 8)) {
			if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % ALPHABET.length];
			if (out.length === length) break;
		}
	}
	return out;
}

/** Shaped like the real service's tokens, so clients' format checks and log scrubbers see realistic values. */
export function generateSecret(): string {
	return `${randomAlphanumeric(14)}.atlasv1.${randomAlphanumeric(67)}`;
}

export const generateTeamId = (): string => `team-${randomAlphanumeric(16)}`;
export const generateTokenId = (): string => `at-${randomAlphanumeric(16)}`;
export const generateAgentPoolId = (): string => `apool-${randomAlphanumeric(16)}`;
export const generateUserId = (): string => `user-${randomAlphanumeric(16)}`;

export const TEAM_ID_PATTERN = "team-[A-Za-z0-9]+";
export const TOKEN_ID_PATTERN = "at-[A-Za-z0-9]+";
export const AGENT_POOL_ID_PATTERN = "apool-[A-Za-z0-9]+";
export const USER_ID_PATTERN = "user-[A-Za-z0-9]+";
export const ORGANIZATION_PATTERN = "[A-Za-z0-9_-]+";

const TEAM_ID = new RegExp(`^${TEAM_ID_PATTERN}$`);
export const isTeamId = (value: string): boolean => TEAM_ID.test(value);
const AGENT_POOL_ID = new RegExp(`^${AGENT_POOL_ID_PATTERN}$`);
export const isAgentPoolId = (value: string): boolean => AGENT_POOL_ID.test(value);
