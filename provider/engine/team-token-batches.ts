import {TfeApiError} from "../api/errors";
import type {Http} from "../api/http";
import {MAX_BULK_REVOKE, TeamTokens} from "../api/team-tokens";
import type {TokenRecord} from "../api/token-document";
import type {ManySlot, SingleSlot, TokenSlot} from "../kinds/token-slot";
import {type BatchOptions, GatherGate, LIST_THRESHOLD} from "./batch-options";
import {type Gathered, Gatherer, GATHER_DEFAULTS} from "./gatherer";
import {TeamTokenSnapshot} from "./team-token-snapshot";

/** What a gathered read asks: a team's legacy token, or a token by id. */
type Read = {teamId: string; tokenId?: string; http: Http; single: () => Promise<TokenRecord | undefined>};
/** A revocation by id, of a token of this team; `single` revokes it alone (false: no token has this id). */
type Revoke = {teamId: string; tokenId: string; http: Http; single: () => Promise<boolean>};

/**
 * One credential's team-token reads and revocations, gathered: the engine runs up to `--parallel` resources at once,
 * and their reads are answered from one listing of every organization (team-token-snapshot.ts), their revocations
 * sent as one bulk `DELETE` per organization. Each resource still gets its own answer, a revocation only once its
 * token is revoked. Whether its server refused a bulk revocation is remembered for the run.
 */
export class TeamTokenBatches {
	readonly snapshot: TeamTokenSnapshot;
	/** Set by the first failed bulk revocation, for the rest of the run: every later revocation is one request. */
	private bulkRefused = false;
	/** The first bulk revocation while its outcome is not known: the others wait for it rather than fail beside it. */
	private firstBulk: Promise<unknown> | undefined;
	private bulkWorked = false;
	private readonly reads: Gatherer<Read, TokenRecord | undefined>;
	private readonly revokes: Gatherer<Revoke, boolean>;

	private readonly readGate: GatherGate;
	private readonly revokeGate: GatherGate;

	constructor(options: BatchOptions) {
		this.snapshot = new TeamTokenSnapshot(options.clock);
		this.readGate = new GatherGate(options.singles);
		this.revokeGate = new GatherGate(options.singles);
		const gather = {...GATHER_DEFAULTS, ...options.gather};
		// Reads go as soon as there are enough to take a listing: the reads that follow wait for it rather than for
		// the batch's idle time, and a refresh's first wave is answered one listing after it began.
		this.reads = new Gatherer(batch => this.flushReads(batch), {...gather, max: LIST_THRESHOLD});
		this.revokes = new Gatherer(batch => this.flushRevokes(batch), {...gather, max: MAX_BULK_REVOKE});
	}

	/**
	 * Answered from a fresh listing where it saw the token (waiting for one under way); else gathered (`gather`, in a
	 * run past its SINGLES), or on its own at once, for a create, whose tokens are mostly not there yet: a listing
	 * would cost more than it answers.
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
		if (this.readGate.pays(read.http)) {
			return this.reads.add(read);
		}
		return this.reads.observe(read.single());
	}

	/** Revoked with the others gathered with it, or on its own at once where gathering would not pay. */
	revoke(revoke: Revoke): Promise<boolean> {
		if (this.revokeGate.pays(revoke.http)) {
			return this.revokes.add(revoke);
		}
		return this.revokes.observe(this.snapshot.writing([revoke.teamId], revoke.single));
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
	 * Revokes the tokens of each organization in bulk, a hundred ids at most per request, and answers each call once
	 * the request holding its id has succeeded. Where the credential sees a single organization, every token is
	 * presumed to be of it, and no listing is taken to find out; else a token the listing does not show, or the only
	 * one of its organization in the batch, is revoked on its own. A bulk request that fails, whatever the reason, leaves
	 * its tokens to be revoked one by one, and so does every later batch of the run.
	 */
	private async flushRevokes(batch: readonly Gathered<Revoke, boolean>[]): Promise<void> {
		let presumed: string | undefined;
		if (!this.bulkRefused && !this.snapshot.taken() && batch.length >= LIST_THRESHOLD) {
			const organizations = await this.snapshot.organizations(batch[0]!.item.http);
			if (organizations.length === 1) {
				presumed = organizations[0];
			} else {
				await this.listing(batch);
			}
		}
		await this.revokeGrouped(batch, presumed);
	}

	/** Sends each call's revocation with the others of its organization, or alone where that is not known. */
	private async revokeGrouped(batch: readonly Gathered<Revoke, boolean>[], presumed: string | undefined): Promise<void> {
		const groups = new Map<string, Gathered<Revoke, boolean>[]>();
		const alone: Gathered<Revoke, boolean>[] = [];
		for (const call of batch) {
			const organization = this.bulkRefused ? undefined : presumed ?? this.listedOrganization(call.item);
			if (organization === undefined) {
				alone.push(call);
			} else {
				groups.set(organization, [...groups.get(organization) ?? [], call]);
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
			...chunks.map(([organization, calls]) => this.revokeInBulk(organization, calls, presumed !== undefined)),
			...alone.map(call => this.revokeAlone(call)),
		]);
	}

	/** The organization a listing of this run saw the token in, under the team the call names. */
	private listedOrganization(revoke: Revoke): string | undefined {
		const found = this.snapshot.organizationOf(revoke.tokenId);
		return found && found.teamId === revoke.teamId ? found.organization : undefined;
	}

	/**
	 * One bulk request. The first of a run goes alone, the others wait for its outcome rather than fail beside it.
	 * Where the organization was presumed, a 404 may only mean that an id is not one of its tokens (revoked, or
	 * regenerated outside Pulumi since the state was written: the local API refuses the whole request then, as the
	 * real one may): a listing then tells, and only a refusal of ids it shows makes the route count as refused.
	 */
	private async revokeInBulk(organization: string, calls: readonly Gathered<Revoke, boolean>[], presumed: boolean): Promise<void> {
		while (!this.bulkWorked && !this.bulkRefused && this.firstBulk) {
			await this.firstBulk.catch(() => undefined);
		}
		if (presumed && this.snapshot.taken()) {
			return this.revokeGrouped(calls, undefined);
		}
		if (this.bulkRefused) {
			await Promise.all(calls.map(call => this.revokeAlone(call)));
			return;
		}
		const items = calls.map(call => call.item);
		const request = this.snapshot.writing(items.map(item => item.teamId), () =>
			new TeamTokens(items[0]!.http).revokeMany(organization, {tokenIds: items.map(item => item.tokenId)}));
		const outcome = request.then(() => {
			this.bulkWorked = true;
			for (const call of calls) {
				call.resolve(true);
			}
		}, async (error: unknown) => {
			if (presumed && error instanceof TfeApiError && error.status === 404) {
				await (this.snapshot.pending() ?? this.snapshot.take(items[0]!.http));
				if (calls.some(call => this.listedOrganization(call.item) !== organization)) {
					return this.revokeGrouped(calls, undefined);
				}
			}
			this.bulkRefused = true;
			await Promise.all(calls.map(call => this.revokeAlone(call)));
		});
		if (!this.bulkWorked && this.firstBulk === undefined) {
			// Settled once the route's answer is known: after a presumed 404, once the listing it took is in (the
			// handler above, registered first, has started it by then).
			const settled: Promise<unknown> = request.then(() => undefined, () => this.snapshot.pending()).finally(() => {
				if (this.firstBulk === settled) {
					this.firstBulk = undefined;
				}
			});
			this.firstBulk = settled;
		}
		await outcome;
	}

	private async revokeAlone({item, resolve, reject}: Gathered<Revoke, boolean>): Promise<void> {
		try {
			resolve(await this.snapshot.writing([item.teamId], item.single));
		} catch (error) {
			reject(error);
		}
	}

	/** The slot with its team-token reads, revocations by id and writes through these batches. */
	slot(slot: TokenSlot, teamId: string, http: Http, gather: boolean): TokenSlot {
		const through = {teamId, http, batches: this, gather};
		return slot.shape === "single" ? legacySlot(slot, through) : describedSlot(slot, through);
	}
}

type Through = {teamId: string; http: Http; batches: TeamTokenBatches; gather: boolean};

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
