import type {Http} from "./http";
import {createBody, findDescribedSince, pageQuery, relatedId, type TokenData, type TokenRecord, toTokenRecord} from "./token-document";
import {everyPage, toListPage} from "./paging";
import {InvalidAgentPoolIdError, tokenPath, validAgentPoolId} from "./validation";

/**
 * Agent-pool tokens (HashiCorp docs "Agent tokens API"; go-tfe agent_token.go): several per pool, each with a
 * description, created on the pool and read and revoked by id. The docs give no `expired-at` for them.
 */
export interface AgentTokenGenerateOptions {
	description: string;
}

/** An agent token with the pool it belongs to, where the answer names it. */
export interface AgentTokenRecord extends TokenRecord {
	agentPoolId: string | null;
}

export class InvalidAgentTokenDescriptionError extends Error {
	override name = "InvalidAgentTokenDescriptionError";
	constructor() {
		super("invalid value for agent token description: the API requires a non-blank description");
	}
}

function poolPath(agentPoolId: string): string {
	if (!validAgentPoolId(agentPoolId)) {
		throw new InvalidAgentPoolIdError();
	}
	return `agent-pools/${agentPoolId}/authentication-tokens`;
}

const notFound = (agentPoolId: string) =>
	`Agent pool ${agentPoolId} does not exist, or the API token has no access to it (the API answers 404 for both).`;

export class AgentTokens {
	constructor(private readonly http: Http) {}

	/**
	 * Creates one more token for the pool. Never retried after a 5xx or network error: if the first attempt took
	 * effect, a second could leave a token that no state knows of.
	 */
	async generate(agentPoolId: string, options: AgentTokenGenerateOptions): Promise<TokenRecord> {
		if (options.description.trim() === "") {
			throw new InvalidAgentTokenDescriptionError();
		}
		const {body} = await this.http.send({
			method: "POST",
			path: poolPath(agentPoolId),
			json: createBody(options),
			idempotent: false,
			notFoundHint: notFound(agentPoolId),
		});
		return toTokenRecord((body as {data?: TokenData})?.data);
	}

	/**
	 * The pool's token with this description created at or after `since`, after a lost answer to a create.
	 * Descriptions may repeat within a pool, so `since` is what tells a lost create from the token it replaces.
	 */
	async find(agentPoolId: string, description: string, since: Date): Promise<TokenRecord | undefined> {
		return findDescribedSince(this.http, poolPath(agentPoolId), description, since, `the agent pool ${agentPoolId}`);
	}

	/** Every token of the pool, all pages; none when the pool is gone (404). */
	async listAll(agentPoolId: string): Promise<AgentTokenRecord[]> {
		return everyPage(async page => {
			const {status, body} = await this.http.send({
				method: "GET",
				path: `${poolPath(agentPoolId)}?${pageQuery(page)}`,
				idempotent: true,
			});
			return status === 404 ? undefined : toListPage(body, page, (data: TokenData) => ({...toTokenRecord(data), agentPoolId}));
		});
	}

	/** A token by id, or undefined when it no longer exists. */
	async read(tokenId: string): Promise<AgentTokenRecord | undefined> {
		const {status, body} = await this.http.send({method: "GET", path: tokenPath(tokenId), idempotent: true});
		const data = (body as {data?: TokenData})?.data;
		return status === 404 ? undefined : {...toTokenRecord(data), agentPoolId: relatedId(data, "agent-pool")};
	}

	/** Revokes a token by id. False when it did not exist. */
	async delete(tokenId: string): Promise<boolean> {
		const {status} = await this.http.send({method: "DELETE", path: tokenPath(tokenId), idempotent: true});
		return status !== 404;
	}
}
