import {UserTokens} from "../api/user-tokens";
import type {Http} from "../api/http";
import type {TokenInputs} from "./token-inputs";
import type {ManySlot} from "./token-slot";
import {validOrganizationName, validTokenId, validUserId} from "../api/validation";
import {LIFETIME_INPUTS, type TokenKind, unknownImportId} from "./kind";

const NOT_A_USER_TOKEN = "UserToken needs a user token: only a user's own user token may create, read and revoke that user's tokens. "
	+ "Set the provider's `token` to a user token of the user whose tokens this stack manages (HCP Terraform: User Settings > Tokens)";

/**
 * User tokens: several per user, each with a description that may repeat, revoked by id. Only the user's own user
 * token may manage them, so `userId` defaults to the account the API token acts as and another user's id is refused
 * at preview. A user token belongs to no organization: `organization`, when given, is where the stack uses it, and
 * names the organization whose `user-tokens-enabled` and `user` TTL policy are checked at preview.
 */
export const userKind: TokenKind = {
	name: "user",
	resource: "UserToken",
	ownerInput: "userId",
	ownerNoun: "user",
	inputNames: ["userId", "organization", "description", ...LIFETIME_INPUTS],
	checkOwner: value => value === undefined || value === null || validUserId(value)
		? undefined
		: "must be \"user-\" followed by letters and digits (for example user-MA4GL63FmYRpSFxa), or left out for the user the API token acts as; got {got}",
	requiresDescription: true,
	uniqueDescriptions: false,
	shapeOf: () => "many",
	ttl: {type: "user", organization: inputs => inputs.organization},
	ownedByAccount: {
		async problem(inputs, account, organization) {
			if (account.isServiceAccount) {
				return {
					field: "configuration",
					reason: `the API token acts as ${account.username ?? account.id}, a service account (GET /api/v2/account/details answers `
						+ `is-service-account: true), so it is a team or organization token. ${NOT_A_USER_TOKEN}.`,
				};
			}
			if (typeof inputs.userId === "string" && validUserId(inputs.userId) && inputs.userId !== account.id) {
				return {
					field: "userId",
					reason: `${inputs.userId} is another user: the API token acts as ${account.id}${account.username ? ` (${account.username})` : ""}, and `
						+ `only a user's own user token may manage its tokens. Leave userId out (it defaults to ${account.id}), or use a user token of ${inputs.userId}.`,
				};
			}
			if (!validOrganizationName(inputs.organization)) {
				return undefined;
			}
			const settings = await organization(inputs.organization);
			if (settings && !settings.userTokensEnabled) {
				return {
					field: "organization",
					reason: `${inputs.organization} has switched user tokens off (user-tokens-enabled is false), so a user token cannot reach it. `
						+ "Use a TeamToken or OrganizationToken there, ask an owner to turn user tokens on, or remove `organization` if the token is for elsewhere.",
				};
			}
			return undefined;
		},
	},
	slot(inputs: TokenInputs, http: Http): ManySlot {
		const api = new UserTokens(http);
		const userId = inputs.userId!;
		const description = inputs.description!;
		return {
			shape: "many",
			owner: `user ${userId}`,
			description,
			uniqueDescriptions: userKind.uniqueDescriptions,
			waysOut: "give this UserToken a new `description`; ",
			create: expiredAt => api.create(userId, {description, expiredAt}),
			find: since => api.find(userId, description, since),
			read: tokenId => api.read(tokenId),
			revoke: tokenId => api.delete(tokenId),
			listOwned: () => api.listAll(userId),
		};
	},
	importIds: "the token id (at-...)",
	async adopt(id, http) {
		if (!validTokenId(id)) {
			throw unknownImportId(userKind, id);
		}
		const record = await new UserTokens(http).read(id);
		if (record && (record.hasOtherOwner || !validUserId(record.createdBy))) {
			throw new Error(`UserToken ${id}: the API's answer names a team, organization or agent pool, or no user, so it is not a user token; `
				+ "import it as the resource of its kind.");
		}
		// A user makes its own tokens, so the maker is the user the token belongs to.
		return record && {inputs: {userId: record.createdBy!, description: record.description ?? ""}, record};
	}
};
