import {AgentTokens} from "../api/agent-tokens";
import type {Http} from "../api/http";
import type {TokenInputs} from "./token-inputs";
import type {ManySlot} from "./token-slot";
import {validAgentPoolId, validTokenId} from "../api/validation";
import {type TokenKind, unknownImportId} from "./kind";

/**
 * Agent-pool tokens: several per pool, each with a description, revoked by id. The API documents no expiry for
 * them, so `triggers` is their only rotation; descriptions may repeat, so a replacement is created first.
 */
export const agentKind: TokenKind = {
	name: "agent",
	resource: "AgentToken",
	ownerInput: "agentPoolId",
	ownerNoun: "agent pool",
	inputNames: ["agentPoolId", "description", "triggers"],
	checkOwner: value => validAgentPoolId(value)
		? undefined
		: "must be \"apool-\" followed by letters and digits (for example apool-yoGUFz5zcRMMz53i); got {got}",
	requiresDescription: true,
	uniqueDescriptions: false,
	shapeOf: () => "many",
	slot(inputs: TokenInputs, http: Http): ManySlot {
		const api = new AgentTokens(http);
		const agentPoolId = inputs.agentPoolId!;
		const description = inputs.description!;
		return {
			shape: "many",
			owner: `agent pool ${agentPoolId}`,
			description,
			uniqueDescriptions: agentKind.uniqueDescriptions,
			waysOut: "give this AgentToken a new `description`; ",
			create: () => api.generate(agentPoolId, {description}),
			find: since => api.find(agentPoolId, description, since),
			read: tokenId => api.read(tokenId),
			revoke: tokenId => api.delete(tokenId),
			listOwned: () => api.listAll(agentPoolId),
		};
	},
	importIds: "the token id (at-...)",
	async adopt(id, http) {
		if (!validTokenId(id)) {
			throw unknownImportId(agentKind, id);
		}
		const record = await new AgentTokens(http).read(id);
		if (record && !record.agentPoolId) {
			throw new Error(`AgentToken ${id}: the API's answer does not name the token's agent pool, so it cannot be imported.`);
		}
		return record && {inputs: {agentPoolId: record.agentPoolId!, description: record.description ?? ""}, record};
	},
};
