import {performance} from "node:perf_hooks";
import type {Http} from "../api/http";
import type {TokenRecord} from "../api/token-document";
import type {ManySlot} from "../kinds/token-slot";
import {type BatchOptions, GatherGate, LIST_THRESHOLD} from "./batch-options";
import {type Gathered, Gatherer, GATHER_DEFAULTS} from "./gatherer";
import {SNAPSHOT_MAX_AGE_MS} from "./team-token-snapshot";
import {WriteLedger} from "./write-ledger";

/** A gathered read of a token by id, of the owner its slot names. */
type Read = {owner: string; tokenId: string; list: () => Promise<TokenRecord[]>; single: () => Promise<TokenRecord | undefined>};

/** One owner's tokens, as one list found them. */
interface Listing {
	readonly startedAt: number;
	/** The point in this process's writes when the list began (WriteLedger). */
	readonly mark: number;
	readonly byId: ReadonlyMap<string, TokenRecord>;
}

/**
 * One credential's reads of tokens whose owner has a list of its own (an agent pool's tokens, a user's), answered
 * from one list per owner (`GET /agent-pools/:id/authentication-tokens`, `GET /users/:id/authentication-tokens`,
 * 100 to a page) on the terms the organizations' listing of team tokens keeps (team-token-snapshot.ts): a list
 * answers for 30 s from its first request, only what it shows (a token it does not show is read on its own), and
 * never for an owner this process wrote since it began. These tokens have no bulk revocation: each is revoked by id.
 */
export class OwnerTokenReads {
	private readonly ledger = new WriteLedger();
	private readonly listings = new Map<string, Listing>();
	private readonly inFlight = new Map<string, Promise<void>>();
	private readonly gate: GatherGate;
	private readonly reads: Gatherer<Read, TokenRecord | undefined>;
	private readonly clock: () => number;

	constructor(options: BatchOptions) {
		this.gate = new GatherGate(options.singles);
		this.clock = options.clock ?? (() => performance.now());
		this.reads = new Gatherer(batch => this.flush(batch), {...GATHER_DEFAULTS, ...options.gather});
	}

	/** The slot with its reads answered from its owner's list where a run reads many, and its writes recorded. */
	slot(slot: ManySlot & {listOwned(): Promise<TokenRecord[]>}, http: Http, gather: boolean): ManySlot {
		const {owner} = slot;
		const list = () => slot.listOwned();
		return {
			...slot,
			create: expiredAt => this.ledger.writing([owner], () => slot.create(expiredAt)),
			revoke: tokenId => this.ledger.writing([owner], () => slot.revoke(tokenId)),
			read: tokenId => this.read({owner, tokenId, list, single: () => slot.read(tokenId)}, http, gather),
		};
	}

	/** From a fresh list that shows the token (waiting for one under way); else gathered, or on its own at once. */
	private async read(read: Read, http: Http, gather: boolean): Promise<TokenRecord | undefined> {
		const pending = gather ? this.inFlight.get(read.owner) : undefined;
		if (pending && !this.listed(read)) {
			await pending;
		}
		const listed = this.listed(read);
		if (listed || !gather) {
			return listed ?? read.single();
		}
		return this.gate.pays(http) ? this.reads.add(read) : this.reads.observe(read.single());
	}

	private listed(read: Read): TokenRecord | undefined {
		const listing = this.listings.get(read.owner);
		const trusted = listing !== undefined && this.clock() - listing.startedAt < SNAPSHOT_MAX_AGE_MS
			&& this.ledger.unwrittenSince(read.owner, listing.mark);
		return trusted ? listing.byId.get(read.tokenId) : undefined;
	}

	/** Lists each owner that four or more of the batch's reads ask about, then answers every read it can from them. */
	private async flush(batch: readonly Gathered<Read, TokenRecord | undefined>[]): Promise<void> {
		const byOwner = new Map<string, Read[]>();
		for (const {item} of batch) {
			byOwner.set(item.owner, [...byOwner.get(item.owner) ?? [], item]);
		}
		await Promise.all([...byOwner.values()]
			.filter(reads => reads.length >= LIST_THRESHOLD && !this.listed(reads[0]!))
			.map(reads => this.take(reads[0]!)));
		await Promise.all(batch.map(async ({item, resolve, reject}) => {
			try {
				resolve(this.listed(item) ?? await item.single());
			} catch (error) {
				reject(error);
			}
		}));
	}

	/** Lists the owner's tokens, unless a list of it is under way (then shared); a refused list answers nothing. */
	private take(read: Read): Promise<void> {
		let taking = this.inFlight.get(read.owner);
		if (taking === undefined) {
			const started = {startedAt: this.clock(), mark: this.ledger.mark()};
			taking = read.list().then(records => {
				this.listings.set(read.owner, {...started, byId: new Map(records.map(record => [record.id, record]))});
			}, () => undefined).finally(() => {
				this.inFlight.delete(read.owner);
			});
			this.inFlight.set(read.owner, taking);
		}
		return taking;
	}
}
