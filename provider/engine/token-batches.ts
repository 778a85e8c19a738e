import type {Http} from "../api/http";
import type {TokenKind} from "../kinds";
import type {TokenInputs} from "../kinds/token-inputs";
import type {TokenSlot} from "../kinds/token-slot";
import type {BatchOptions} from "./batch-options";
import {OwnerTokenReads} from "./owner-token-reads";
import {TeamTokenBatches} from "./team-token-batches";

/**
 * A provider process's gathered reads and revocations, per credential (API address and token): the engine runs up to
 * `--parallel` resources at once, and one process serves them all. Team tokens are read from one listing per
 * organization and revoked in bulk (team-token-batches.ts); agent-pool and user tokens are read from one list per
 * pool or user (owner-token-reads.ts); the organization and audit-trail tokens, one per organization, one by one.
 */
export class TokenBatches {
	private readonly credentials = new Map<string, {team: TeamTokenBatches; owners: OwnerTokenReads}>();

	constructor(private readonly options: BatchOptions = {}) {}

	/**
	 * The slot of a token of this kind, whose reads, revocations and writes go through this process's batches;
	 * `credential` keys them (see ApiSession.withApi). `gather`: whether its reads are gathered and may take a list
	 * (refresh, destroy), or are answered at once (create).
	 */
	slot(kind: TokenKind, inputs: TokenInputs, http: Http, credential: string, gather: boolean): TokenSlot {
		const slot = kind.slot(inputs, http);
		let batches = this.credentials.get(credential);
		if (batches === undefined) {
			batches = {team: new TeamTokenBatches(this.options), owners: new OwnerTokenReads(this.options)};
			this.credentials.set(credential, batches);
		}
		if (kind.name === "team") {
			return batches.team.slot(slot, inputs.teamId!, http, gather);
		}
		if (slot.shape === "many" && slot.listOwned) {
			return batches.owners.slot({...slot, listOwned: slot.listOwned}, http, gather);
		}
		return slot;
	}
}
