import type {Http} from "../api/http";
import type {TokenRecord} from "../api/token-document";
import {intendedExpiry, ISSUED_MARK} from "./descriptions";
import type {Timer} from "../engine/timers";
import type {ResolvedEscOptions} from "./options";
import {type ManySlotOwner, ownerLabel} from "./owner";
import type {TfeClient} from "./tfe-client";

interface Due {
	owner: ManySlotOwner;
	tokenId: string;
	atMs: number;
}

/** Whether a listed token is one the adapter issued and meant to be dead by now. */
export function expiredIssued(token: TokenRecord, me: string | undefined, nowMs: number): boolean {
	if (!token.description?.startsWith(ISSUED_MARK) || me === undefined || token.createdBy !== me) {
		return false;
	}
	const intended = intendedExpiry(token.description)?.getTime() ?? Number.POSITIVE_INFINITY;
	const api = token.expiredAt ? Date.parse(token.expiredAt) : Number.POSITIVE_INFINITY;
	return Math.min(intended, api) <= nowMs;
}

/**
 * Revokes the tokens the adapter issued once their time is up, so an owner's list does not grow without end and a
 * token is dead at the expiry the adapter named, even where the API rounds lifetimes or sets none (agent tokens).
 * Two ways: a timer for each token this process issued, at its expiry; and a scan of every owner the policy names
 * (at start, every `sweepIntervalMs`, and for an owner an open names when its last scan is older than that), which
 * finds those an earlier process issued. Only tokens whose description the adapter wrote and that its own
 * credential made are revoked.
 */
export class Sweeper {
	private due: Due[] = [];
	private timer: Timer | undefined;
	private interval: Timer | undefined;
	private readonly scannedAt = new Map<string, number>();

	constructor(
		private readonly client: TfeClient,
		private readonly options: ResolvedEscOptions,
		private readonly log: (entry: Record<string, unknown>) => void,
	) {}

	/** Every owner with several tokens that the policy lets anyone open. */
	owners(): ManySlotOwner[] {
		const owners = new Map<string, ManySlotOwner>();
		for (const grant of this.options.policy.grants) {
			for (const teamId of grant.teams) owners.set(`team ${teamId}`, {kind: "team", teamId});
			for (const agentPoolId of grant.agentPools) owners.set(`pool ${agentPoolId}`, {kind: "agentPool", agentPoolId});
			if (grant.userTokens) owners.set("user", {kind: "user"});
		}
		return [...owners.values()];
	}

	/** Starts the scheduled scans (the first at once); nothing when `sweepIntervalMs` is 0. */
	start(): void {
		if (this.options.sweepIntervalMs === 0 || this.interval) {
			return;
		}
		const scan = () => void this.scanAll();
		this.interval = this.options.timers.setInterval(scan, this.options.sweepIntervalMs);
		this.interval.unref();
		setImmediate(scan);
	}

	stop(): void {
		this.options.timers.clear(this.interval);
		this.options.timers.clear(this.timer);
		this.interval = undefined;
		this.timer = undefined;
	}

	/** Revokes `tokenId` at `at`, from this process. */
	remember(owner: ManySlotOwner, tokenId: string, at: Date): void {
		const atMs = at.getTime();
		// Kept in expiry order by a binary-search insert, not a sort per open: a busy adapter holds many at once.
		let low = 0;
		let high = this.due.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.due[middle]!.atMs <= atMs) low = middle + 1;
			else high = middle;
		}
		this.due.splice(low, 0, {owner, tokenId, atMs});
		// Only a new earliest expiry moves a running timer.
		if (low === 0 || !this.timer) this.arm();
	}

	private arm(): void {
		this.options.timers.clear(this.timer);
		const next = this.due[0];
		if (!next) {
			return;
		}
		// setTimeout holds at most 2^31-1 ms; a later token is re-armed when that fires.
		const waitMs = Math.min(2 ** 31 - 1, Math.max(0, next.atMs - this.options.now().getTime()));
		this.timer = this.options.timers.setTimeout(() => void this.revokeDue(), waitMs);
		this.timer.unref();
	}

	private async revokeDue(): Promise<void> {
		const nowMs = this.options.now().getTime();
		const firstLater = this.due.findIndex(entry => entry.atMs > nowMs);
		const due = this.due.splice(0, firstLater === -1 ? this.due.length : firstLater);
		this.arm();
		await Promise.all(due.map(async entry => {
			const started = performance.now();
			try {
				await this.client.revoke(this.client.forRequest(this.options.sweepDeadlineMs), entry.owner, entry.tokenId);
				this.log({route: "sweep", owner: ownerLabel(entry.owner), tokenId: entry.tokenId, outcome: "revoked at expiry", ms: Math.round(performance.now() - started)});
			} catch (error) {
				// The scheduled scan finds it again.
				this.log({route: "sweep", owner: ownerLabel(entry.owner), tokenId: entry.tokenId, outcome: "revoke failed", error: (error as Error).message});
			}
		}));
	}

	/**
	 * What one scan covers for this owner: a team's whole organization (its team tokens come in one list, so every
	 * granted team of it is swept at once), or the pool's or the user's own list.
	 */
	private async scope(http: Http, owner: ManySlotOwner): Promise<{key: string; list: () => Promise<{owner: ManySlotOwner; token: TokenRecord}[]>}> {
		if (owner.kind === "team") {
			const organization = await this.client.teamOrganization(http, owner.teamId);
			return {key: `organization:${organization}`, list: () => this.client.teamTokensOf(http, organization)};
		}
		return {key: ownerLabel(owner), list: async () => (await this.client.tokensOf(http, owner)).map(token => ({owner, token}))};
	}

	/** Scans the owner an open named, when its last scan is older than the interval; errors only reach the log. */
	touched(owner: ManySlotOwner): void {
		if (this.options.sweepIntervalMs === 0) {
			return;
		}
		void (async () => {
			const http = this.client.forRequest(this.options.sweepDeadlineMs);
			const scope = await this.scope(http, owner);
			if (this.options.now().getTime() - (this.scannedAt.get(scope.key) ?? 0) >= this.options.sweepIntervalMs) {
				await this.scan(http, scope);
			}
		})().catch(() => undefined);
	}

	/** Scans every owner the policy names, each organization's team tokens once; answers how many tokens were revoked. */
	async scanAll(): Promise<number> {
		const http = this.client.forRequest(this.options.sweepDeadlineMs);
		const scopes = new Map<string, Awaited<ReturnType<Sweeper["scope"]>>>();
		for (const owner of this.owners()) {
			try {
				const scope = await this.scope(http, owner);
				scopes.set(scope.key, scope);
			} catch (error) {
				this.log({route: "sweep", owner: ownerLabel(owner), outcome: "scan failed", error: (error as Error).message});
			}
		}
		const counts = await Promise.all([...scopes.values()].map(scope => this.scan(http, scope).catch(() => 0)));
		return counts.reduce((sum, count) => sum + count, 0);
	}

	/** Revokes the expired tokens in the scope that the adapter issued; answers how many. */
	private async scan(http: Http, scope: {key: string; list: () => Promise<{owner: ManySlotOwner; token: TokenRecord}[]>}): Promise<number> {
		const started = performance.now();
		this.scannedAt.set(scope.key, this.options.now().getTime());
		try {
			const me = await this.client.me(http);
			const nowMs = this.options.now().getTime();
			const expired = (await scope.list()).filter(({token}) => expiredIssued(token, me, nowMs));
			for (const {owner, token} of expired) {
				await this.client.revoke(http, owner, token.id);
			}
			// A scan that finds nothing stays out of the log, which is one line per request besides.
			if (expired.length > 0) {
				this.log({route: "sweep", owner: scope.key, outcome: `revoked ${expired.length} expired`, tokenIds: expired.map(({token}) => token.id), ms: Math.round(performance.now() - started)});
			}
			return expired.length;
		} catch (error) {
			this.log({route: "sweep", owner: scope.key, outcome: "scan failed", error: (error as Error).message, ms: Math.round(performance.now() - started)});
			throw error;
		}
	}
}
