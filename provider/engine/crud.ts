import type * as pulumi from "@pulumi/pulumi";
import {SETTING_NAMES, type TfeSettings} from "../api/config";
import {whoAmI} from "../api/account";
import {adoptToken} from "./adopt";
import {createMany, createSingle} from "./create";
import {CredentialCheck} from "./credential-check";
import {redact} from "../api/errors";
import {RotationWindowError} from "./errors";
import {createHttp, type Http, type HttpOptions} from "../api/http";
import type {TokenInputs} from "../kinds/token-inputs";
import {checkInputs, UNKNOWN} from "./inputs";
import {kindOf, type TokenKind} from "../kinds";
import {describeToken, isOwnUnrecordedCreate, ownCreateInference} from "./ownership";
import {DAY_MS, expiryFromDays, rotationReason} from "./rotation";
import type {TokenRecord} from "../api/token-document";
import {lifetimeProblem, plannedCutOff, PolicyReader, requestedLifetime} from "./lifetime-policy";
import {OrganizationSettingsReader} from "./organization-settings";
import {createSession} from "./session";
import {StackRun} from "./stack-run";
import type {TokenSlot} from "../kinds/token-slot";

/** What a token resource keeps in state: its inputs plus what the API reported. */
export interface TokenState extends TokenInputs {
	tokenId: string;
	token: string;
	expiredAt?: string;
	createdAt?: string;
	createdBy?: string;
}

/** A TeamToken's state: the shape every kind shares, with its team id. */
export type TeamTokenState = TokenState & {teamId: string};

/** What the implementation depends on; tests inject each of these. */
export interface ProviderDependencies {
	/** Environment to read TFE_* from, at call time. Default `process.env`. */
	env?: NodeJS.ProcessEnv;
	/** Clock for expiry checks and rotation. Default the system clock. */
	now?: () => Date;
	http?: Partial<HttpOptions>;
	/** Where warnings go. Default stderr, which the Pulumi CLI shows with the resource's output. */
	log?: (message: string) => void;
	/** The configuration's prefix: `tfe` (the dynamic provider's default), or the provider plugin's package name. */
	namespace?: string;
	/** What the process learns in a run, shared with the TTL policy resource it also serves. Default: its own. */
	run?: StackRun;
}

/**
 * With the server's default lifetime the expiry is known only once the token exists: one that leaves less than
 * `rotateBeforeDays` would be replaced at every run, so it is revoked and the create fails, naming both.
 */
async function refuseRotationLoop(slot: TokenSlot, record: TokenRecord, inputs: TokenInputs): Promise<void> {
	const expiry = Date.parse(record.expiredAt ?? "");
	const created = Date.parse(record.createdAt ?? "");
	if (inputs.rotateBeforeDays === undefined || Number.isNaN(expiry) || Number.isNaN(created)) {
		return;
	}
	const lifetimeDays = (expiry - created) / DAY_MS;
	if (lifetimeDays > inputs.rotateBeforeDays) {
		return;
	}
	await (slot.shape === "single" ? slot.revoke() : slot.revoke(record.id));
	throw new RotationWindowError(record.id, record.expiredAt!, lifetimeDays, inputs.rotateBeforeDays);
}

/** Inputs that can change without a new token; every other input change replaces it. */
const UPDATABLE = ["forceRegenerate", "rotateBeforeDays"] as const;

/**
 * Whether a replacement has to revoke the old token before creating the new one. A POST of a single token replaces
 * the owner's only one, so deleting the old one afterwards would revoke the new one. A described team token cannot
 * be created while the team still has one with the same description (the API keeps those unique). Otherwise the
 * new token is created first and there is no moment without one.
 */
function mustDeleteFirst(kind: TokenKind, olds: TokenInputs, news: TokenInputs): boolean {
	const oldShape = kind.shapeOf(olds);
	const newShape = kind.shapeOf(news);
	if (oldShape === "single" || newShape === "single") {
		return oldShape === "single" && newShape === "single";
	}
	return kind.uniqueDescriptions && olds[kind.ownerInput] === news[kind.ownerInput] && olds.description === news.description;
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

/** The kind's inputs out of `props`, with `kind` where the resource class records one (all but TeamToken). */
function inputsOf(kind: TokenKind, props: Record<string, unknown>): TokenInputs {
	return defined(Object.fromEntries(["kind", ...kind.inputNames].map(name => [name, props[name]]))) as TokenInputs;
}

/**
 * The dynamic provider's methods; `read` may also return the inputs of a token it adopted (`pulumi import`, which
 * only the provider plugin can serve: the engine's import passes a dynamic provider no `__provider` to load).
 */
export type TeamTokenImplementation = Required<Omit<pulumi.dynamic.ResourceProvider, "configure" | "read">>
	& Pick<pulumi.dynamic.ResourceProvider, "configure">
	& {read(id: string, props: pulumi.dynamic.ReadResult["props"]): Promise<pulumi.dynamic.ReadResult & {inputs?: Record<string, unknown>}>};

/** Builds the CRUD implementation behind `teamTokenProvider`, for every kind of token. */
export function createImplementation(deps: ProviderDependencies = {}): TeamTokenImplementation {
	const now = deps.now ?? (() => new Date());
	const log = deps.log ?? ((message: string) => console.error(message));
	const run = deps.run ?? new StackRun();
	const policies = new PolicyReader(run);
	const credentials = new CredentialCheck(deps.http);
	const organizations = new OrganizationSettingsReader();
	const session = createSession(deps);
	const {namespace, withApi} = session;
	const settingsNow = session.settings;

	/** Remembers a token of the stack for the TTL policy's preview, which names the tokens it would cut off. */
	const remember = (kind: TokenKind, id: string, state: Record<string, unknown>) => {
		if (typeof state.tokenId === "string") {
			run.see({tokenId: state.tokenId, resource: `${kind.resource} ${id}`});
		}
	};

	/**
	 * A token of this stack whose lifetime a policy planned beside it would cut short: said at its own diff, which
	 * the engine runs after the policy's check when the token depends on the policy.
	 */
	const warnIfPlannedCutOff = (kind: TokenKind, id: string, state: TokenState) => {
		let address: string;
		try {
			address = settingsNow().baseUrl;
		} catch {
			return;
		}
		const problem = plannedCutOff(kind, id, state, run.plannedFor.bind(run, address), now());
		if (problem) {
			warn(problem);
		}
	};

	const warn = (message: string) => log(`pulumi-tfe-team-token: ${redact(message)}`);

	/**
	 * The expiry to request: the one given, else the lifetime in days, else the organization's policy limit where
	 * one applies, so that the recorded expiry is the one the policy enforces and renewal happens before it.
	 */
	async function requestedExpiry(kind: TokenKind, inputs: TokenInputs, http: Http, address: string): Promise<string | undefined> {
		if (inputs.expiredAt !== undefined) {
			return inputs.expiredAt;
		}
		if (inputs.expiresInDays !== undefined) {
			return expiryFromDays(inputs.expiresInDays, now());
		}
		const policy = await policies.forKind(kind, inputs, http, address);
		return policy && new Date(now().getTime() + policy.maxMs).toISOString();
	}

	/**
	 * For a kind only its own user may manage: fills the owner left out with the account the credential acts as (the
	 * answer the credential check already has), and says why the credential or the inputs cannot work.
	 */
	async function accountProblem(kind: TokenKind, inputs: TokenInputs, settings: TfeSettings) {
		const account = await credentials.account(settings, namespace);
		if (!account) {
			return undefined;
		}
		if (inputs[kind.ownerInput] === undefined || inputs[kind.ownerInput] === null) {
			inputs[kind.ownerInput] = account.id;
		}
		const known = Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== UNKNOWN)) as TokenInputs;
		const http = createHttp(settings, deps.http);
		return kind.ownedByAccount!.problem(known, account, name => organizations.read(name, http, settings.baseUrl));
	}

	return {
		async configure(request) {
			session.configure(request.config);
		},

		async check(_olds, news) {
			const kind = kindOf(news);
			// The configuration is checked here too, so that a preview already says what `up` would fail on.
			let settings: TfeSettings | undefined;
			let configProblem: string | undefined;
			// An explicit provider whose arguments come from resources not made yet (a preview) has nothing to check.
			const configUnknown = SETTING_NAMES.some(key => session.config()?.get(`${namespace}:${key}`) === UNKNOWN);
			try {
				settings = configUnknown ? undefined : settingsNow();
			} catch (error) {
				configProblem = (error as Error).message;
			}
			const result = checkInputs(kind, news, now(), settings ? [settings.token] : []);
			if (configProblem) {
				result.failures.push({property: "", reason: `configuration: ${configProblem}`});
			}
			// Only once the engine has handed over its configuration: with none yet (unknown at a preview) or none at all
			// (an SDK that never calls configure) there is no run's credential to check.
			if (settings && session.config() && result.failures.length === 0) {
				const rejected = await credentials.problem(settings, namespace);
				if (rejected) {
					result.failures.push({property: "", reason: `configuration: ${rejected}`});
				}
			}
			const inputs = result.inputs as TokenInputs;
			// Whatever the configuration's source: this kind's default owner is the credential's account.
			if (settings && kind.ownedByAccount && result.failures.length === 0) {
				const problem = await accountProblem(kind, inputs, settings);
				if (problem) {
					result.failures.push({property: "", reason: redact(`${problem.field}: ${problem.reason}`, [settings.token])});
				}
			}
			// Read here even without a lifetime to check: the create that follows in this process needs the policy
			// for its default expiry, and finds it cached. An organization not known yet (a preview) has no policy to
			// read; `check` runs again once it is known.
			const policyOrganization = kind.ttl?.organization(inputs);
			if (settings && kind.ttl && result.failures.length === 0 && policyOrganization !== undefined && policyOrganization !== UNKNOWN) {
				const policy = await policies.forKind(kind, inputs, createHttp(settings, deps.http), settings.baseUrl);
				const problem = policy && lifetimeProblem(policy, inputs, now());
				if (problem) {
					result.failures.push({property: "", reason: redact(`${problem.field}: ${problem.reason}`, [settings.token])});
				}
				// For a TTL policy of this stack checked after this token (one it does not depend on).
				const requested = requestedLifetime(inputs, now());
				const organization = kind.ttl.organization(inputs);
				if (requested && organization !== undefined) {
					run.request(settings.baseUrl, organization, {type: kind.ttl.type, resource: kind.resource, ...requested});
				}
			}
			return result;
		},

		async diff(id, olds, news) {
			const kind = kindOf(news);
			remember(kind, id, olds);
			warnIfPlannedCutOff(kind, id, olds as TokenState);
			const replaces: string[] = [];
			// An owner left out that check could not fill yet (a preview without the provider's settings) is the
			// credential's account, as before.
			const ownerDefaulted = kind.ownedByAccount && (news[kind.ownerInput] === undefined || news[kind.ownerInput] === null);
			if (!ownerDefaulted && olds[kind.ownerInput] !== news[kind.ownerInput]) {
				replaces.push(kind.ownerInput);
			}
			// Where the organization is not the owner (a user token), it is where the token is used, and bounds its
			// lifetime by that organization's policy: a new one gets a new token.
			if (kind.ownerInput !== "organization" && (olds.organization ?? null) !== (news.organization ?? null)) {
				replaces.push("organization");
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
				deleteBeforeReplace: replaces.length > 0 && mustDeleteFirst(kind, olds, news),
			};
		},

		async create(props) {
			const kind = kindOf(props);
			const inputs = inputsOf(kind, props);
			const {record, slot} = await withApi(async (http, address) => {
				// Filled by check from the credential check's answer, unless that answer proved nothing (a 5xx, a 403).
				if (kind.ownedByAccount && inputs[kind.ownerInput] === undefined) {
					inputs[kind.ownerInput] = await whoAmI(http);
				}
				const slot = kind.slot(inputs, http);
				const expiredAt = await requestedExpiry(kind, inputs, http, address);
				const context = {whoAmI: () => whoAmI(http), now, warn};
				const created = slot.shape === "single"
					? await createSingle(context, slot, {forceRegenerate: inputs.forceRegenerate === true, expiredAt})
					: await createMany(context, slot, {expiredAt});
				await refuseRotationLoop(slot, created, inputs);
				return {record: created, slot};
			});
			if (!record.token) {
				throw new Error(`The API created token ${record.id} for ${slot.owner} but did not return its value.`);
			}
			// The server's expiry replaces the requested one: it is what rotation compares against.
			const outs: TokenState = defined({
				...inputs,
				tokenId: record.id,
				token: record.token,
				expiredAt: record.expiredAt ?? undefined,
				createdAt: record.createdAt ?? undefined,
				createdBy: record.createdBy ?? undefined,
			});
			const id = slot.shape === "single" ? String(inputs[kind.ownerInput]) : record.id;
			remember(kind, id, outs as unknown as Record<string, unknown>);
			return {id, outs};
		},

		async read(id, props) {
			const kind = kindOf(props);
			const state = props as TokenState;
			if (state.tokenId === undefined) {
				return withApi(http => adoptToken(kind, id, http, warn), "refresh");
			}
			remember(kind, id, props);
			const current = await withApi(async http => {
				const slot = kind.slot(state, http);
				return slot.shape === "single" ? slot.current() : slot.read(state.tokenId);
			}, "refresh");
			if (!current) {
				return {id: "", props: {}};
			}
			if (current.id !== state.tokenId) {
				warn(`the token of ${id} was regenerated outside Pulumi (state has ${state.tokenId}, the ${kind.ownerNoun} now has ${current.id}); `
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
			const kind = kindOf(props);
			const state = props as TokenState;
			await withApi(async http => {
				const slot = kind.slot(state, http);
				if (slot.shape === "many") {
					await slot.revoke(state.tokenId);
					return;
				}
				if (slot.revokeById && await slot.revokeById(state.tokenId)) {
					return;
				}
				// Gone by id: revoked already, replaced outside Pulumi or by a lost create of this stack, or a server
				// that revokes this kind only through its owner. The owner's current token tells which.
				const current = await slot.current();
				if (!current) {
					return;
				}
				if (current.id !== state.tokenId) {
					const facts = {me: await whoAmI(http), now: now()};
					if (!isOwnUnrecordedCreate(current, facts)) {
						warn(`not revoking the token of ${id}: the ${kind.ownerNoun}'s current token is ${describeToken(current, facts)}, not ${state.tokenId}, `
							+ "so someone regenerated it outside Pulumi and it may be in use.");
						return;
					}
					// Taken for the unrecorded create of an interrupted replacement; destroy takes it with the rest.
					warn(`revoking ${current.id} of ${id} too: ${ownCreateInference(current)} (an interrupted replacement).`);
				}
				await slot.revoke();
			}, "destroy");
		},
	};
}
