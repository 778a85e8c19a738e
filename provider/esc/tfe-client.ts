import {type Account, accountDetails} from "../api/account";
import {AgentTokens} from "../api/agent-tokens";
import type {TfeSettings} from "../api/config";
import {TfeApiError} from "../api/errors";
import {createHttp, type Http} from "../api/http";
import {TeamTokens} from "../api/team-tokens";
import type {TokenRecord} from "../api/token-document";
import {TokenTtlPolicies, type TtlTokenType} from "../api/token-ttl-policies";
import {UserTokens} from "../api/user-tokens";
import {agentKind} from "../kinds/agent";
import {auditTrailKind, organizationKind} from "../kinds/organization";
import {teamKind} from "../kinds/team";
import type {ManySlot, SingleSlot} from "../kinds/token-slot";
import {userKind} from "../kinds/user";
import {badRequest} from "./errors";
import type {ResolvedEscOptions} from "./options";
import type {ManySlotOwner, Owner, SingleSlotOwner} from "./owner";

/** The organization's TTL policy that bounds an owner's tokens. */
export interface TtlLimit {
	type: TtlTokenType;
	organization: string;
	maxMs: number;
}

/**
 * The adapter's way to HCP Terraform: the API layer's services and the kinds' slots, on one client per ESC request
 * whose requests together keep within the request's deadline. Every client shares the API layer's per-process rate
 * limiter (keyed by address and credential), so concurrent ESC requests share one budget instead of collecting 429s.
 * What rarely changes (the adapter's account, a team's organization, TTL policies) is cached across requests.
 */
export class TfeClient {
	private account: Promise<Account | undefined> | undefined;
	private readonly teamOrganizations = new Map<string, Promise<string | undefined>>();
	private readonly ttlPolicies = new Map<string, {at: number; policies: Promise<Map<TtlTokenType, number> | undefined>}>();

	/** Built once: each request's share of its ESC request's deadline travels with the request. */
	private readonly http: Http;

	constructor(settings: TfeSettings, private readonly options: ResolvedEscOptions) {
		this.http = createHttp(settings, {
			...options.http,
			timeoutMs: options.attemptTimeoutMs,
			deadlineMs: Math.max(options.requestDeadlineMs, options.sweepDeadlineMs),
		});
	}

	/** A client for one ESC request (or one sweep, given its deadline): each send gets what is left of the deadline. */
	forRequest(deadlineMs = this.options.requestDeadlineMs): Http {
		const {clock = () => performance.now()} = this.options.http ?? {};
		const started = clock();
		return {
			send: request => {
				const leftMs = deadlineMs - (clock() - started);
				if (leftMs <= 0) {
					return Promise.reject(new TfeApiError({
						status: 0, method: request.method, path: request.path, detail: `no time left of the adapter's ${deadlineMs / 1000} s request deadline`,
					}));
				}
				return this.http.send({...request, deadlineMs: leftMs});
			},
		};
	}

	/** The account the adapter's credential acts as, read once; a failed read is tried again next time. */
	private accountOf(http: Http): Promise<Account | undefined> {
		this.account ??= accountDetails(http).catch(error => {
			this.account = undefined;
			throw error;
		});
		return this.account;
	}

	/** The user the adapter's credential acts as; user tokens need it to be a user token. */
	async userId(http: Http): Promise<string> {
		const account = await this.accountOf(http);
		if (!account || account.isServiceAccount) {
			throw badRequest("user tokens need the adapter's credential (TFE_TOKEN) to be a user token; it acts as a team or organization");
		}
		return account.id;
	}

	/** Who the adapter's credential acts as, as tokens' `created-by` names it. */
	async me(http: Http): Promise<string | undefined> {
		return (await this.accountOf(http))?.id;
	}

	/** Revokes one of an owner's several tokens by id; false when it was gone. */
	async revoke(http: Http, owner: ManySlotOwner, tokenId: string): Promise<boolean> {
		return (await this.manySlot(http, owner, "")).revoke(tokenId);
	}

	async teamOrganization(http: Http, teamId: string): Promise<string> {
		let organization = this.teamOrganizations.get(teamId);
		if (!organization) {
			organization = new TeamTokens(http).organizationOf(teamId);
			this.teamOrganizations.set(teamId, organization);
			organization.catch(() => this.teamOrganizations.delete(teamId));
		}
		const name = await organization;
		if (name === undefined) {
			this.teamOrganizations.delete(teamId);
			throw new TfeApiError({status: 404, method: "GET", path: `teams/${teamId}`, detail: `team ${teamId} does not exist or the adapter's credential cannot see it`});
		}
		return name;
	}

	/**
	 * The organization's TTL policy for the owner's tokens, read as the engine reads it (a 403 or 404 counts as
	 * none), and reused for a short while so a burst of opens reads it once. None for agent and user tokens,
	 * which no organization policy bounds.
	 */
	async ttlLimit(http: Http, owner: Owner): Promise<TtlLimit | undefined> {
		const target = owner.kind === "team" || owner.kind === "legacyTeam"
			? {type: "team" as const, organization: await this.teamOrganization(http, owner.teamId)}
			: owner.kind === "organizationToken"
				? {type: "organization" as const, organization: owner.organization}
				: owner.kind === "auditTrailToken" ? {type: "audit_trails" as const, organization: owner.organization} : undefined;
		if (!target) {
			return undefined;
		}
		const now = Date.now();
		let cached = this.ttlPolicies.get(target.organization);
		if (!cached || now - cached.at > this.options.ttlPolicyCacheMs) {
			// A failed read counts as no policy, as in the engine: the API still refuses a token beyond its policy.
			cached = {at: now, policies: new TokenTtlPolicies(http).list(target.organization).catch(() => undefined)};
			this.ttlPolicies.set(target.organization, cached);
		}
		const maxMs = (await cached.policies)?.get(target.type);
		return maxMs === undefined ? undefined : {...target, maxMs};
	}

	/** The kind's slot for one of an owner's several tokens, with this description. */
	async manySlot(http: Http, owner: ManySlotOwner, description: string): Promise<ManySlot> {
		switch (owner.kind) {
			case "team":
				return teamKind.slot({teamId: owner.teamId, description}, http) as ManySlot;
			case "agentPool":
				return agentKind.slot({agentPoolId: owner.agentPoolId, description}, http) as ManySlot;
			case "user":
				return userKind.slot({userId: await this.userId(http), description}, http) as ManySlot;
		}
	}

	/** The kind's slot for an owner's single token. */
	singleSlot(http: Http, owner: SingleSlotOwner): SingleSlot {
		switch (owner.kind) {
			case "legacyTeam":
				return teamKind.slot({teamId: owner.teamId}, http) as SingleSlot;
			case "organizationToken":
				return organizationKind.slot({organization: owner.organization}, http) as SingleSlot;
			case "auditTrailToken":
				return auditTrailKind.slot({organization: owner.organization}, http) as SingleSlot;
		}
	}

	/** Every team token of the organization, each with the owner it belongs to. */
	async teamTokensOf(http: Http, organization: string): Promise<{owner: ManySlotOwner; token: TokenRecord}[]> {
		return (await new TeamTokens(http).listAll(organization)).map(token => ({owner: {kind: "team", teamId: token.teamId}, token}));
	}

	/** Every token of an owner with several; the team's come from its organization's list, the only one there is. */
	async tokensOf(http: Http, owner: ManySlotOwner): Promise<TokenRecord[]> {
		switch (owner.kind) {
			case "team": {
				const organization = await this.teamOrganization(http, owner.teamId);
				return (await new TeamTokens(http).listAll(organization)).filter(token => token.teamId === owner.teamId);
			}
			case "agentPool":
				return new AgentTokens(http).listAll(owner.agentPoolId);
			case "user":
				return new UserTokens(http).listAll(await this.userId(http));
		}
	}
}
