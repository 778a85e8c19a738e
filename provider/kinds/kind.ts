import type {Account} from "../api/account";
import type {Http} from "../api/http";
import type {OrganizationSettings} from "../api/organizations";
import type {TokenRecord} from "../api/token-document";
import type {TokenInputs} from "./token-inputs";
import type {TtlTokenType} from "../api/token-ttl-policies";
import type {TokenSlot} from "./token-slot";

/**
 * The thin description of one kind of API token: its resource, its inputs, what it belongs to, and the slot
 * (routes and shape) a resource's token occupies. Everything else, the lifecycle, is the one engine in engine/.
 */
export interface TokenKind {
	/** Recorded as the `kind` input by every resource class but TeamToken, whose state predates it. */
	readonly name: "team" | "organization" | "audit-trail" | "agent" | "user";
	readonly resource: string;
	/** The input naming what the token belongs to; a single token's resource id is its value. */
	readonly ownerInput: "teamId" | "organization" | "agentPoolId" | "userId";
	/** "team", "organization", "agent pool", "user". */
	readonly ownerNoun: string;
	/** Every input the kind takes; anything else is a typo and fails `check`. */
	readonly inputNames: readonly string[];
	/** Why the owner input is refused ("{got}" stands for the quoted value), or undefined when it is valid. */
	checkOwner(value: unknown): string | undefined;
	readonly requiresDescription: boolean;
	/** Whether the API refuses a second token with the same description on one owner. */
	readonly uniqueDescriptions: boolean;
	/** Which shape a resource with these inputs has (`slot` builds it). */
	shapeOf(inputs: TokenInputs): TokenSlot["shape"];
	/**
	 * The organization's TTL policy that bounds this kind's lifetime, and the organization it is read from; none
	 * when the inputs name no organization (a user token belongs to none).
	 */
	readonly ttl?: {readonly type: TtlTokenType; organization(inputs: TokenInputs): string | undefined};
	/**
	 * For a kind whose tokens only their own user may manage (user tokens): the owner input may be left out, and is
	 * then the account the API token acts as; `problem` says, before any write, why the credential or the inputs
	 * cannot work. `organization` reads an organization's settings (cached by the engine).
	 */
	readonly ownedByAccount?: {
		problem(inputs: TokenInputs, account: Account, organization: (name: string) => Promise<OrganizationSettings | undefined>):
			Promise<{field: string; reason: string} | undefined>;
	};
	slot(inputs: TokenInputs, http: Http): TokenSlot;
	/** The ids `adopt` takes, for messages: "a team id (team-...) ...". */
	readonly importIds: string;
	/**
	 * An existing token by the id `pulumi import` was given, with the inputs that describe it; undefined when no
	 * such token exists. Throws when the id has none of the shapes in `importIds`.
	 */
	adopt(id: string, http: Http): Promise<{inputs: TokenInputs; record: TokenRecord} | undefined>;
}

/** The error for an import id of no shape the kind knows. */
export function unknownImportId(kind: Pick<TokenKind, "resource" | "importIds">, id: string): Error {
	return new Error(`${kind.resource} cannot import ${JSON.stringify(id)}: give ${kind.importIds}.`);
}

/** The outputs every kind reports besides its inputs, none of which an input may set. */
export const TOKEN_OUTPUTS = ["tokenId", "token", "createdAt", "createdBy"] as const;

/** The inputs shared by every kind whose tokens expire. */
export const LIFETIME_INPUTS = ["expiredAt", "expiresInDays", "rotateBeforeDays", "triggers"] as const;
