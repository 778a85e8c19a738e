import type * as pulumi from "@pulumi/pulumi";
import {resolveSettings, type StackConfig, type TfeSettings} from "./config";
import {createDescribed, createLegacy} from "./create";
import {redact, RotationWindowError, TfeApiError} from "./errors";
import {createHttp, type HttpOptions} from "./http";
import {checkInputs, type TeamTokenInputs} from "./inputs";
import {describeToken, isOwnUnrecordedCreate} from "./ownership";
import {DAY_MS, expiryFromDays, rotationReason} from "./rotation";
import {type TeamTokenRecord, TeamTokens} from "./team-tokens";

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

/**
 * With the server's default lifetime the expiry is known only once the token exists: one that leaves less than
 * `rotateBeforeDays` would be replaced at every run, so it is revoked and the create fails, naming both.
 */
async function refuseRotationLoop(api: TeamTokens, record: TeamTokenRecord, inputs: TeamTokenInputs): Promise<void> {
	const expiry = Date.parse(record.expiredAt ?? "");
	const created = Date.parse(record.createdAt ?? "");
	if (inputs.rotateBeforeDays === undefined || Number.isNaN(expiry) || Number.isNaN(created)) {
		return;
	}
	const lifetimeDays = (expiry - created) / DAY_MS;
	if (lifetimeDays > inputs.rotateBeforeDays) {
		return;
	}
	await (isLegacy(inputs) ? api.deleteLegacy(inputs.teamId) : api.delete(record.id));
	throw new RotationWindowError(record.id, record.expiredAt!, lifetimeDays, inputs.rotateBeforeDays);
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

	/**
	 * Runs `action` with a client built from the configuration as it is now; no error leaves with a secret in it.
	 * `refresh` and `destroy` do not run the program, so the engine hands the provider the configuration stored by
	 * the last update: a 401 there names the flag that makes it use the current one.
	 */
	async function withApi<T>(action: (api: TeamTokens) => Promise<T>, command?: "refresh" | "destroy"): Promise<T> {
		const settings = resolveSettings(stackConfig, deps.env ?? process.env);
		try {
			return await action(new TeamTokens(createHttp(settings, deps.http)));
		} catch (error) {
			const e = error as Error;
			if (command && e instanceof TfeApiError && e.status === 401) {
				e.message += ` If tfe:token changed since the last \`pulumi up\`: \`pulumi ${command}\` uses the configuration `
					+ `stored by that update unless it runs the program; run \`pulumi ${command} --run-program\`, or \`pulumi up\` first.`;
			}
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
			// The configuration is checked here too, so that a preview already says what `up` would fail on.
			let settings: TfeSettings | undefined;
			let configProblem: string | undefined;
			try {
				settings = resolveSettings(stackConfig, deps.env ?? process.env);
			} catch (error) {
				configProblem = (error as Error).message;
			}
			const result = checkInputs(news, now(), settings ? [settings.token] : []);
			if (configProblem) {
				result.failures.push({property: "", reason: `configuration: ${configProblem}`});
			}
			return result;
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
				const context = {api, now, warn};
				const created = isLegacy(inputs)
					? await createLegacy(context, {teamId: inputs.teamId, forceRegenerate: inputs.forceRegenerate === true, expiredAt})
					: await createDescribed(context, {teamId: inputs.teamId, description: inputs.description!, expiredAt});
				await refuseRotationLoop(api, created, inputs);
				return created;
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
			const current = await withApi(api => isLegacy(state) ? api.readLegacy(state.teamId) : api.read(state.tokenId), "refresh");
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
					const facts = {me: await api.whoAmI(), now: now()};
					if (!isOwnUnrecordedCreate(current, facts)) {
						warn(`not revoking the token of ${id}: the team's current token is ${describeToken(current, facts)}, not ${state.tokenId}, `
							+ "so someone regenerated it outside Pulumi and it may be in use.");
						return;
					}
					// An interrupted replacement made it and never recorded it; destroy takes it with the rest.
					warn(`revoking ${describeToken(current, facts)} of ${id} too: it is this stack's own create whose answer never reached the state.`);
				}
				await api.deleteLegacy(state.teamId);
			}, "destroy");
		},
	};
}

/** The implementation the serialized provider loads in the dynamic-provider host. */
export const implementation = createImplementation();
