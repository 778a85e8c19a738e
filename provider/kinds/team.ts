import type {Http} from "../api/http";
import type {TokenInputs} from "./token-inputs";
import {TeamTokens} from "../api/team-tokens";
import type {TokenSlot} from "./token-slot";
import {MAX_TEAM_ID_LENGTH, validTeamId, validTokenId} from "../api/validation";
import {LIFETIME_INPUTS, type TokenKind, unknownImportId} from "./kind";

/**
 * Team tokens: without a description the team's single legacy token (`/teams/:id/authentication-token`), with one
 * one of its several described tokens (`/teams/:id/authentication-tokens`, descriptions unique per team).
 */
export const teamKind: TokenKind = {
	name: "team",
	resource: "TeamToken",
	ownerInput: "teamId",
	ownerNoun: "team",
	inputNames: ["teamId", "description", "forceRegenerate", ...LIFETIME_INPUTS],
	checkOwner(value) {
		if (typeof value === "string" && value.length > MAX_TEAM_ID_LENGTH) {
			return `must be at most ${MAX_TEAM_ID_LENGTH} characters; got ${value.length}`;
		}
		return validTeamId(value) ? undefined : `must be "team-" followed by letters and digits (for example team-BUHBEM97xboT8TVz); got {got}`;
	},
	requiresDescription: false,
	uniqueDescriptions: true,
	shapeOf: inputs => (inputs.description === undefined || inputs.description === null ? "single" : "many"),
	slot(inputs: TokenInputs, http: Http): TokenSlot {
		const api = new TeamTokens(http);
		const teamId = inputs.teamId!;
		const owner = `team ${teamId}`;
		const description = inputs.description;
		if (teamKind.shapeOf(inputs) === "single" || description === undefined) {
			return {
				shape: "single",
				owner,
				waysOut: "set `forceRegenerate: true` to replace it; or use `description` to create an additional token instead; ",
				revokeRoute: `DELETE /api/v2/teams/${teamId}/authentication-token`,
				generate: expiredAt => api.generateLegacy(teamId, {expiredAt}),
				current: () => api.readLegacy(teamId),
				revoke: () => api.deleteLegacy(teamId),
				revokeById: tokenId => api.delete(tokenId),
			};
		}
		return {
			shape: "many",
			owner,
			description,
			uniqueDescriptions: teamKind.uniqueDescriptions,
			waysOut: "give this TeamToken a new `description`; ",
			create: expiredAt => api.createDescribed(teamId, {description, expiredAt}),
			find: () => api.findDescribed(teamId, description),
			read: tokenId => api.read(tokenId),
			revoke: tokenId => api.delete(tokenId),
		};
	},
	importIds: "the team id (team-...) for the team's legacy token, or the token id (at-...) for a described one",
	async adopt(id, http) {
		const api = new TeamTokens(http);
		if (validTeamId(id)) {
			const record = await api.readLegacy(id);
			return record && {inputs: {teamId: id}, record};
		}
		if (!validTokenId(id)) {
			throw unknownImportId(teamKind, id);
		}
		const record = await api.read(id);
		if (record && !record.teamId) {
			throw new Error(`TeamToken ${id}: the API's answer does not name the token's team, so it cannot be imported.`);
		}
		// A legacy token read by its id has no description: it is adopted as the team's single token.
		return record && {inputs: record.description === null ? {teamId: record.teamId} : {teamId: record.teamId, description: record.description}, record};
	},
};
