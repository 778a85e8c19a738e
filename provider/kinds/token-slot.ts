import type {TokenRecord} from "../api/token-document";

/**
 * Where one resource's token lives, in the two shapes the API's tokens come in. The engine's create, read and delete
 * (engine/) work on these alone; each kind (kinds/) says which shape it has and which routes serve it.
 */
interface SlotBase {
	/** What the token belongs to, for messages: "team team-...", "organization acme", "agent pool apool-...". */
	readonly owner: string;
	/** The ways out a refused create offers besides revoking by hand, ending in "; ". */
	readonly waysOut: string;
}

/** The only token of its owner: a POST replaces it (legacy team, organization and audit-trail tokens). */
export interface SingleSlot extends SlotBase {
	readonly shape: "single";
	/** The request that revokes it by hand, for messages. */
	readonly revokeRoute: string;
	generate(expiredAt: string | undefined): Promise<TokenRecord>;
	current(): Promise<TokenRecord | undefined>;
	revoke(): Promise<boolean>;
	/**
	 * Revokes the token with this id, where the API accepts it for this kind (the legacy team token): one request
	 * instead of reading the owner's token first, and a token made since has another id, so it is never touched.
	 * False when no token has this id (revoked or replaced already, or a server that refuses the route for it).
	 */
	revokeById?(tokenId: string): Promise<boolean>;
}

/** One of several tokens of its owner, with a description, addressed by id (described team and agent tokens). */
export interface ManySlot extends SlotBase {
	readonly shape: "many";
	readonly description: string;
	/** Whether the API refuses a second token with the same description (422 "already been taken"). */
	readonly uniqueDescriptions: boolean;
	create(expiredAt: string | undefined): Promise<TokenRecord>;
	/** The token with this description made at or after `since`, after a lost answer to a create. */
	find(since: Date): Promise<TokenRecord | undefined>;
	read(tokenId: string): Promise<TokenRecord | undefined>;
	revoke(tokenId: string): Promise<boolean>;
	/**
	 * Every token of the owner, all pages, where the owner has a list of its own (agent pools, users): the reads of
	 * a run are answered from it (engine/owner-token-reads.ts). Team tokens are listed by organization instead.
	 */
	listOwned?(): Promise<TokenRecord[]>;
}

export type TokenSlot = SingleSlot | ManySlot;
