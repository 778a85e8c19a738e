import {performance} from "node:perf_hooks";
import type {Http} from "../api/http";
import {Organizations} from "../api/organizations";
import {type TeamTokenRecord, TeamTokens} from "../api/team-tokens";
import {WriteLedger} from "./write-ledger";

/**
 * How long a listing answers reads, from the moment its first request was sent. A run reads a stack's tokens within
 * seconds of each other; past this a listing is not trusted any more and the next gathered reads take a new one, so
 * what a run acts on is never older than the run nor much older than a read of its own would be.
 */
export const SNAPSHOT_MAX_AGE_MS = 30_000;

/** Every team token of the organizations listed, as one listing found them. */
interface Listing {
	readonly startedAt: number;
	/** The write sequence when the listing began: what this process wrote since, it does not know. */
	readonly startedSeq: number;
	readonly byId: ReadonlyMap<string, {organization: string; record: TeamTokenRecord}>;
	/** Each team's legacy token, for the teams that have one. */
	readonly legacy: ReadonlyMap<string, TeamTokenRecord>;
}

/**
 * The team tokens of every organization one credential can see, listed once (`GET /organizations`, then
 * `GET /organizations/:name/team-tokens` per organization, 100 to a page) and shared by every read of the run. A
 * legacy TeamToken holds only its team in state, and a team's organization is named only by the tokens listed
 * under it, so listing every organization is what finds them without one request per team.
 *
 * It only ever answers what it saw: a token listed (by id, or as its team's legacy token). That a token is absent
 * it never answers, because a list read page by page while tokens are made or revoked can skip one; the caller
 * asks for that token on its own. A token this process writes (creates, regenerates, revokes) is not answered from a
 * listing that began before the write ended: the process knows the list may show it either way.
 */
export class TeamTokenSnapshot {
	private listing: Listing | undefined;
	private inFlight: Promise<void> | undefined;
	/** The organizations' names, asked once a process: an organization made during a run holds none of its tokens. */
	private organizationNames: Promise<readonly string[]> | undefined;
	/** This process's writes, keyed by team. */
	private readonly ledger = new WriteLedger();

	constructor(private readonly clock: () => number = () => performance.now()) {}

	/** Whether a listing young enough to answer reads is held. */
	fresh(): boolean {
		return this.listing !== undefined && this.clock() - this.listing.startedAt < SNAPSHOT_MAX_AGE_MS;
	}

	/** The listing under way, if one is. */
	pending(): Promise<void> | undefined {
		return this.inFlight;
	}

	/** Lists every organization's team tokens, unless a listing is under way already (it is then shared). */
	take(http: Http): Promise<void> {
		this.inFlight ??= this.list(http).then(listing => {
			this.listing = listing;
		}).finally(() => {
			this.inFlight = undefined;
		});
		return this.inFlight;
	}

	/**
	 * The names of the organizations the credential can see (`GET /organizations`), asked once for the process;
	 * none where they cannot be listed (a credential or server without the route; errors worth a retry were retried).
	 */
	organizations(http: Http): Promise<readonly string[]> {
		this.organizationNames ??= new Organizations(http).listAllNames().catch(() => []);
		return this.organizationNames;
	}

	/** The team's legacy token as listed, when the listing is fresh and this process has not written the team since. */
	legacyToken(teamId: string): TeamTokenRecord | undefined {
		const listing = this.trusted(teamId);
		return listing?.legacy.get(teamId);
	}

	/** The token with this id and its organization, as listed, on the same conditions. */
	token(tokenId: string): {organization: string; record: TeamTokenRecord} | undefined {
		const found = this.fresh() ? this.listing!.byId.get(tokenId) : undefined;
		return found && this.trusted(found.record.teamId) ? found : undefined;
	}

	/** Whether this run has a listing, however old. */
	taken(): boolean {
		return this.listing !== undefined;
	}

	/**
	 * The organization and team of the token with this id, as any listing of this run saw it, however old, unless this
	 * process has written the team's tokens since: a token never moves, so its organization is known for the run. What
	 * a revocation needs (a gone token only makes the bulk request fail, and fall back).
	 */
	organizationOf(tokenId: string): {organization: string; teamId: string} | undefined {
		const found = this.listing?.byId.get(tokenId);
		return found && this.unwritten(found.record.teamId) ? {organization: found.organization, teamId: found.record.teamId} : undefined;
	}

	/** Runs a write to these teams' tokens, so that no listing that may predate its effect answers for them. */
	writing<T>(teamIds: readonly string[], action: () => Promise<T>): Promise<T> {
		return this.ledger.writing(teamIds, action);
	}

	private trusted(teamId: string): Listing | undefined {
		return this.fresh() && this.unwritten(teamId) ? this.listing : undefined;
	}

	/** Whether a listing is held and this process has not written the team's tokens since it began (nor is writing them). */
	private unwritten(teamId: string): boolean {
		return this.listing !== undefined && this.ledger.unwrittenSince(teamId, this.listing.startedSeq);
	}

	/**
	 * One listing. An organization whose list is refused (a credential that may not list it, a server without the
	 * route) is left out, and so is everything when the organizations cannot be listed: those tokens are read on
	 * their own, as without a listing.
	 */
	private async list(http: Http): Promise<Listing> {
		const started = {startedAt: this.clock(), startedSeq: this.ledger.mark()};
		const organizations = await this.organizations(http);
		const api = new TeamTokens(http);
		const lists = await Promise.all(organizations.map(async organization =>
			({organization, records: await api.listAll(organization).catch(() => [] as TeamTokenRecord[])})));
		const byId = new Map<string, {organization: string; record: TeamTokenRecord}>();
		const legacy = new Map<string, TeamTokenRecord>();
		for (const {organization, records} of lists) {
			for (const record of records) {
				byId.set(record.id, {organization, record});
				if (record.description === null && record.teamId !== "") {
					legacy.set(record.teamId, record);
				}
			}
		}
		return {...started, byId, legacy};
	}
}
