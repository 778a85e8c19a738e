import type * as pulumi from "@pulumi/pulumi";
import {resolveSettings, type StackConfig} from "./config";
import {redact, TeamTokenExistsError, TfeApiError} from "./errors";
import {createHttp, type HttpOptions} from "./http";
import {checkInputs, type TeamTokenInputs} from "./inputs";
import {expiryFromDays, rotationReason} from "./rotation";
import {type DescribedTokenCreateOptions, type TeamTokenRecord, TeamTokens} from "./team-tokens";

/** What a TeamToken keeps in state: its inputs plus what the API reported. */
export interface TeamTokenState extends TeamTokenInputs {
	tokenId: string;
	token: string;
	expiredAt?: string;
	createdAt?: string;
	createdBy?: string;
}

/** What the implementation depends on; tests inject each of these. */
export interface ProviderDependencies {
	/** Environment to read TFE_* from, at call time. Default `process.env`. */
	env?: NodeJS.ProcessEnv;
	/** Clock for expiry checks and rotation. Default the system clock. */
	now?: () => Date;
	http?: Partial<HttpOptions>;
	/** Where warnings go. Default stderr, which the Pulumi CLI shows with the resource's output. */
	log?: (message: string) => void;
}

/** How far the API's clock may be behind ours when deciding that a token was made by our own lost request. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Creates a described token. The create is never retried, but its answer can be lost after the API acted (a 5xx
 * or a dropped connection), leaving a token whose value nobody has. So after such a failure this looks for a token
 * with the description made by this credential since the request started, revokes it, and reports the failure:
 * nothing is left behind, and the next `pulumi up` creates the token afresh. A token made by anyone else is left
 * alone.
 */
async function createDescribed(api: TeamTokens, teamId: string, options: DescribedTokenCreateOptions, now: () => Date): Promise<TeamTokenRecord> {
	const started = now().getTime();
	try {
		return await api.createDescribed(teamId, options);
	} catch (error) {
		if (!(error instanceof TfeApiError) || (error.status !== 0 && error.status < 500)) {
			throw error;
		}
		let outcome: string;
		try {
			// The list is paged, and changes made meanwhile can shift a token onto a page already read: look twice.
			const orphan = await api.findDescribed(teamId, options.description) ?? await api.findDescribed(teamId, options.description);
			const ours = orphan && orphan.createdBy === await api.whoAmI() && Date.parse(orphan.createdAt ?? "") >= started - CLOCK_SKEW_MS;
			if (orphan && ours) {
				await api.delete(orphan.id);
				outcome = `The API had created ${orphan.id} anyway; it has been revoked, so no unknown token is left.`;
			} else if (orphan) {
				outcome = `Team ${teamId} has a token with this description (${orphan.id}) that this request did not make; it was left alone.`;
			} else {
				outcome = "The API did not create the token.";
			}
		} catch {
			outcome = `Could not check whether the API created it: look for a token described "${options.description}" on team ${teamId}.`;
		}
		error.message = `${error.message} ${outcome} Run the update again to create it.`;
		throw error;
	}
}

/** Inputs that can change without a new token; every other input change replaces it. */
const UPDATABLE = ["forceRegenerate", "rotateBeforeDays"] as const;

function isLegacy(props: {description?: unknown}): boolean {
	return props.description === undefined || props.description === null;
}

/**
 * Whether a replacement has to revoke the old token before creating the new one. A legacy POST replaces the team's
 * only token, so deleting the old one afterwards would revoke the new one. A described token cannot be created
 * while the team still has one with the same description (the API keeps descriptions unique). Otherwise the new
 * token is created first and there is no moment without one.
 */
function mustDeleteFirst(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
	if (isLegacy(olds) || isLegacy(news)) {
		return isLegacy(olds) && isLegacy(news);
	}
	return olds.teamId === news.teamId && olds.description === news.description;
}

/** JSON with sorted keys, so `triggers` compare by value. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === "object" && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
			: v) ?? "null";
}

function sameInstant(a: unknown, b: unknown): boolean {
	return typeof a === "string" && typeof b === "string" && Date.parse(a) === Date.parse(b);
}

/** Drops undefined values: the dynamic-provider host cannot encode them (protobuf's Struct rejects undefined). */
function defined<T extends object>(props: T): T {
	return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)) as T;
}

function withoutProvider<T extends Record<string, unknown>>(props: T): T {
	const {__provider: _ignored, ...rest} = props;
	return rest as T;
}

function inputsOf(props: Record<string, unknown>): TeamTokenInputs {
	const {teamId, description, forceRegenerate, expiredAt, expiresInDays, rotateBeforeDays, triggers} = props as unknown as TeamTokenInputs;
	return defined({teamId, description, forceRegenerate, expiredAt, expiresInDays, rotateBeforeDays, triggers});
}

export type TeamTokenImplementation = Required<Omit<pulumi.dynamic.ResourceProvider, "configure">> & Pick<pulumi.dynamic.ResourceProvider, "configure">;

/** Builds the CRUD implementation behind `teamTokenProvider`. */
export function createImplementation(deps: ProviderDependencies = {}): TeamTokenImplementation {
	const now = deps.now ?? (() => new Date());
	const log = deps.log ?? ((message: string) => console.error(message));
	let stackConfig: StackConfig | undefined;

	/** Runs `action` with a client built from the configuration as it is now; no error leaves with a secret in it. */
	async function withApi<T>(action: (api: TeamTokens) => Promise<T>): Promise<T> {
		const settings = resolveSettings(stackConfig, deps.env ?? process.env);
		try {
			return await action(new TeamTokens(createHttp(settings, deps.http)));
		} catch (error) {
			const e = error as Error;
			e.message = redact(e.message, [settings.token]);
			e.stack = redact(e.stack ?? "", [settings.token]);
			throw e;
		}
	}

	const warn = (message: string) => log(`pulumi-tfe-team-token: ${redact(message)}`);

	return {
		async configure(request) {
			stackConfig = request.config;
		},

		async check(_olds, news) {
			return checkInputs(news, now());
		},

		async diff(id, olds, news) {
			const replaces: string[] = [];
			if (olds.teamId !== news.teamId) {
				replaces.push("teamId");
			}
			if ((olds.description ?? null) !== (news.description ?? null)) {
				replaces.push("description");
			}
			if (news.expiredAt !== undefined && !sameInstant(news.expiredAt, olds.expiredAt)) {
				replaces.push("expiredAt");
			}
			if ((olds.expiresInDays ?? null) !== (news.expiresInDays ?? null)) {
				replaces.push("expiresInDays");
			}
			if (canonical(olds.triggers ?? null) !== canonical(news.triggers ?? null)) {
				replaces.push("triggers");
			}
			const reason = rotationReason(olds.expiredAt, news.rotateBeforeDays, now());
			if (reason) {
				warn(`rotating the token of ${id}: ${reason}.`);
				replaces.push("rotateBeforeDays");
			}
			const updates = UPDATABLE.filter(key => (olds[key] ?? null) !== (news[key] ?? null));
			return {
				changes: replaces.length > 0 || updates.length > 0,
				replaces,
				deleteBeforeReplace: replaces.length > 0 && mustDeleteFirst(olds, news),
			};
		},

		async create(props) {
			const inputs = inputsOf(props);
			const expiredAt = inputs.expiredAt ?? (inputs.expiresInDays === undefined ? undefined : expiryFromDays(inputs.expiresInDays, now()));
			const record = await withApi(async api => {
				if (!isLegacy(inputs)) {
					return createDescribed(api, inputs.teamId, {description: inputs.description!, expiredAt}, now);
				}
				if (!inputs.forceRegenerate) {
					const existing = await api.readLegacy(inputs.teamId);
					if (existing) {
						throw new TeamTokenExistsError(inputs.teamId, existing.id);
					}
				}
				return api.generateLegacy(inputs.teamId, {expiredAt});
			});
			if (!record.token) {
				throw new Error(`The API created token ${record.id} for team ${inputs.teamId} but did not return its value.`);
			}
			// The server's expiry replaces the requested one: it is what rotation compares against.
			const outs: TeamTokenState = defined({
				...inputs,
				tokenId: record.id,
				token: record.token,
				expiredAt: record.expiredAt ?? undefined,
				createdAt: record.createdAt ?? undefined,
				createdBy: record.createdBy ?? undefined,
			});
			return {id: isLegacy(inputs) ? inputs.teamId : record.id, outs};
		},

		async read(id, props) {
			const state = props as TeamTokenState;
			const current = await withApi(api => isLegacy(state) ? api.readLegacy(state.teamId) : api.read(state.tokenId));
			if (!current) {
				return {id: "", props: {}};
			}
			if (current.id !== state.tokenId) {
				warn(`the token of ${id} was regenerated outside Pulumi (state has ${state.tokenId}, the team now has ${current.id}); `
					+ "removing it from state. The next `pulumi up` creates it again, which needs forceRegenerate: true to replace the other token.");
				return {id: "", props: {}};
			}
			return {
				id,
				props: defined({
					...withoutProvider(props),
					expiredAt: current.expiredAt ?? undefined,
					createdAt: current.createdAt ?? props.createdAt,
				}),
			};
		},

		async update(_id, olds, news) {
			const outs: Record<string, unknown> = withoutProvider({...olds});
			for (const key of UPDATABLE) {
				if (news[key] === undefined || news[key] === null) {
					delete outs[key];
				} else {
					outs[key] = news[key];
				}
			}
			return {outs};
		},

		async delete(id, props) {
			const state = props as TeamTokenState;
			await withApi(async api => {
				if (!isLegacy(state)) {
					await api.delete(state.tokenId);
					return;
				}
				const current = await api.readLegacy(state.teamId);
				if (!current) {
					return;
				}
				if (current.id !== state.tokenId) {
					warn(`not revoking the token of ${id}: the team's current token is ${current.id}, not ${state.tokenId}, `
						+ "so someone regenerated it outside Pulumi and it may be in use.");
					return;
				}
				await api.deleteLegacy(state.teamId);
			});
		},
	};
}

/** The implementation the serialized provider loads in the dynamic-provider host. */
export const implementation = createImplementation();
