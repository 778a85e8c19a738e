import type {Http} from "../api/http";
import {MAX_BULK_REVOKE, TeamTokens} from "../api/team-tokens";
import type {TokenRecord} from "../api/token-document";
import type {TokenKind} from "../kinds";
import type {TokenInputs} from "../kinds/token-inputs";
import type {ManySlot, SingleSlot, TokenSlot} from "../kinds/token-slot";
import {type Gathered, Gatherer, GATHER_DEFAULTS, type GatherOptions} from "./gatherer";
import {TeamTokenSnapshot} from "./team-token-snapshot";

/**
 * Gathered calls, at or above which a listing is taken (when none is fresh): `GET /organizations` and a page per
 * hundred tokens cost at least three requests, so fewer calls are cheaper one request each, as a stack of one is.
 */
export const LIST_THRESHOLD = 4;

/**
 * The share of the rate limit's window in use (Http.load) below which a read or revocation goes at once on its own.
 * Gathering waits for the calls the engine has yet to start, 150 ms or more a batch: that pays only where requests
 * would soon wait for the limit anyway. Below it, in a small stack or against an API without a limit, one request
 * each is sooner (a destroy of 10 tokens gathered took 1.1-1.2 s against 0.6 s for the engine's floor). From a
 * quarter of the window on, the rest of a large run is gathered, which keeps the requests of a refresh or destroy of
 * 200 at --parallel 64 to a handful beyond the quarter's 7.
 */
export const GATHER_FROM_LOAD = 0.25;


/** What a gathered read asks: a team's legacy token, or a token by id. */
type Read = {teamId: string; tokenId?: string; http: Http; single: () => Promise<TokenRecord | undefined>};
/** A revocation by id, of a token of this team; `single` revokes it alone (false: no token has this id). */
type Revoke = {teamId: string; tokenId: string; http: Http; single: () => Promise<boolean>};

/** One credential's gathered reads and revocations, its listing, and whether its server refused a bulk revocation. */
class CredentialBatches {
	readonly snapshot: TeamTokenSnapshot;
	/** Set by the first failed bulk revocation, for the rest of the run: every later revocation is one request. */
	private bulkRefused = false;
	/** The first bulk revocation while it is under way: the others wait for its outcome rather than fail beside it. */
	private firstBulk: Promise<unknown> | undefined;
	private bulkWorked = false;
	readonly reads: Gatherer<Read, TokenRecord | undefined>;
	readonly revokes: Gatherer<Revoke, boolean>;

	private readonly gatherFromLoad: number;
	/** Set once the window has filled to GATHER_FROM_LOAD: a large run, whose revocations are gathered from then on. */
	private gatheringRevokes = false;

	constructor(options: BatchOptions) {
		this.snapshot = new TeamTokenSnapshot(options.clock);
		this.gatherFromLoad = options.gatherFromLoad ?? GATHER_FROM_LOAD;
		const gather = {...GATHER_DEFAULTS, ...options.gather};
		// Reads go as soon as there are enough to take a listing: the reads that follow wait for it rather than for
		// the batch's idle time, and a refresh's first wave is answered one listing after it began.
		this.reads = new Gatherer(batch => this.flushReads(batch), {...gather, max: LIST_THRESHOLD});
		this.revokes = new Gatherer(batch => this.flushRevokes(batch), {...gather, max: MAX_BULK_REVOKE});
	}

	/**
	 * Answered from a fresh listing where it saw the token (waiting for one under way); else gathered (`gather`), or
	 * on its own at once, for a create, whose tokens are mostly not there yet: a listing would cost more than it
	 * answers.
	 */
	async read(read: Read, gather: boolean): Promise<TokenRecord | undefined> {
		const pending = gather ? this.snapshot.pending() : undefined;
		if (pending && !this.listed(read)) {
			await pending;
		}
		const listed = this.listed(read);
		if (listed || !gather) {
			return listed ?? read.single();
		}
		if (this.pays(read.http)) {
			return this.reads.add(read);
		}
		this.reads.observe();
		return read.single();
	}

	/** Revoked with the others gathered with it, or on its own at once where gathering would not pay. */
	revoke(revoke: Revoke): Promise<boolean> {
		this.gatheringRevokes ||= this.pays(revoke.http);
		if (this.gatheringRevokes) {
			return this.revokes.add(revoke);
		}
		this.revokes.observe();
		return this.snapshot.writing([revoke.teamId], revoke.single);
	}

	/** Whether gathering pays: the rate limit's window is filling up. */
	private pays(http: Http): boolean {
		return (http.load?.() ?? 0) >= this.gatherFromLoad;
	}

	private listed(read: Read): TokenRecord | undefined {
		return read.tokenId === undefined ? this.snapshot.legacyToken(read.teamId) : this.snapshot.token(read.tokenId)?.record;
	}

	/** Takes a listing for a batch this large when none is fresh, or waits for the one under way; answers whether one is fresh. */
	private async listing(batch: readonly Gathered<{http: Http}, unknown>[]): Promise<boolean> {
		if (!this.snapshot.fresh() && (batch.length >= LIST_THRESHOLD || this.snapshot.pending())) {
			await this.snapshot.take(batch[0]!.item.http);
		}
		return this.snapshot.fresh();
	}

	private async flushReads(batch: readonly Gathered<Read, TokenRecord | undefined>[]): Promise<void> {
		await this.listing(batch);
		await Promise.all(batch.map(async ({item, resolve, reject}) => {
			try {
				resolve(this.listed(item) ?? await item.single());
			} catch (error) {
				reject(error);
			}
		}));
	}

	/**
	 * Revokes the listed tokens of each organization in bulk, a hundred ids at most per request, and answers each
	 * call once the request holding its id has succeeded. A token the listing does not show, or the only one of its
	 * organization in the batch, is revoked on its own. A bulk request that fails, whatever the reason, leaves its
	 * tokens to be revoked one by one, and so does every later batch of the run.
	 */
	private async flushRevokes(batch: readonly Gathered<Revoke, boolean>[]): Promise<void> {
		const groups = new Map<string, Gathered<Revoke, boolean>[]>();
		const alone: Gathered<Revoke, boolean>[] = [];
		if (!this.bulkRefused && !this.snapshot.taken()) {
			await this.listing(batch);
		}
		for (const call of batch) {
			const found = this.bulkRefused ? undefined : this.snapshot.organizationOf(call.item.tokenId);
			if (found && found.teamId === call.item.teamId) {
				groups.set(found.organization, [...groups.get(found.organization) ?? [], call]);
			} else {
				alone.push(call);
			}
		}
		const chunks: [string, Gathered<Revoke, boolean>[]][] = [];
		for (const [organization, calls] of groups) {
			if (calls.length === 1) {
				alone.push(...calls);
			}
			for (let at = 0; calls.length > 1 && at < calls.length; at += MAX_BULK_REVOKE) {
				chunks.push([organization, calls.slice(at, at + MAX_BULK_REVOKE)]);
			}
		}
		await Promise.all([
			...chunks.map(([organization, calls]) => this.revokeInBulk(organization, calls)),
			...alone.map(call => this.revokeAlone(call)),
		]);
	}

	private async revokeInBulk(organization: string, calls: readonly Gathered<Revoke, boolean>[]): Promise<void> {
		while (!this.bulkWorked && !this.bulkRefused && this.firstBulk) {
			await this.firstBulk.catch(() => undefined);
		}
		let revoked = false;
		if (!this.bulkRefused) {
			const items = calls.map(call => call.item);
			const request = this.snapshot.writing(items.map(item => item.teamId), () =>
				new TeamTokens(items[0]!.http).revokeMany(organization, {tokenIds: items.map(item => item.tokenId)}));
			if (!this.bulkWorked) {
				this.firstBulk = request;
			}
			try {
				await request;
				revoked = this.bulkWorked = true;
			} catch {
				this.bulkRefused = true;
			}
			if (this.firstBulk === request) {
				this.firstBulk = undefined;
			}
		}
		if (!revoked) {
			await Promise.all(calls.map(call => this.revokeAlone(call)));
			return;
		}
		for (const call of calls) {
			call.resolve(true);
		}
	}

	private async revokeAlone({item, resolve, reject}: Gathered<Revoke, boolean>): Promise<void> {
		try {
			resolve(await this.snapshot.writing([item.teamId], item.single));
		} catch (error) {
			reject(error);
		}
	}
}

/** Knobs for tests; the defaults are GATHER_DEFAULTS and the monotonic clock. */
export interface BatchOptions {
	gather?: Partial<Omit<GatherOptions, "max">>;
	/** GATHER_FROM_LOAD unless given; 0 gathers always. */
	gatherFromLoad?: number;
	clock?: () => number;
}

/**
 * A provider process's team-token reads and revocations, gathered per credential (API address and token): the
 * engine runs up to `--parallel` resources at once, and their reads are answered from one listing per organization
 * (team-token-snapshot.ts), their revocations sent as one bulk `DELETE` per organization. Each resource still gets
 * its own answer, a revocation only once its token is revoked. Other kinds' tokens are read and revoked one by one.
 */
export class TeamTokenBatches {
	private readonly credentials = new Map<string, CredentialBatches>();

	constructor(private readonly options: BatchOptions = {}) {}

	/**
	 * The slot of a token of this kind, whose team-token reads, revocations by id and writes go through this
	 * process's batches; `credential` keys them (see ApiSession.withApi). `gather`: whether its reads are gathered and
	 * may take a listing (refresh, destroy), or are answered at once (create).
	 */
	slot(kind: TokenKind, inputs: TokenInputs, http: Http, credential: string, gather: boolean): TokenSlot {
		const slot = kind.slot(inputs, http);
		if (kind.name !== "team") {
			return slot;
		}
		let batches = this.credentials.get(credential);
		if (batches === undefined) {
			batches = new CredentialBatches(this.options);
			this.credentials.set(credential, batches);
		}
		const through = {teamId: inputs.teamId!, http, batches, gather};
		return slot.shape === "single" ? legacySlot(slot, through) : describedSlot(slot, through);
	}
}

type Through = {teamId: string; http: Http; batches: CredentialBatches; gather: boolean};

function legacySlot(slot: SingleSlot, {teamId, http, batches, gather}: Through): SingleSlot {
	const {snapshot} = batches;
	return {
		...slot,
		generate: expiredAt => snapshot.writing([teamId], () => slot.generate(expiredAt)),
		current: () => batches.read({teamId, http, single: () => slot.current()}, gather),
		revoke: () => snapshot.writing([teamId], () => slot.revoke()),
		...(slot.revokeById && {revokeById: tokenId => batches.revoke({teamId, tokenId, http, single: () => slot.revokeById!(tokenId)})}),
	};
}

function describedSlot(slot: ManySlot, {teamId, http, batches, gather}: Through): ManySlot {
	return {
		...slot,
		create: expiredAt => batches.snapshot.writing([teamId], () => slot.create(expiredAt)),
		read: tokenId => batches.read({teamId, tokenId, http, single: () => slot.read(tokenId)}, gather),
		revoke: tokenId => batches.revoke({teamId, tokenId, http, single: () => slot.revoke(tokenId)}),
	};
}
