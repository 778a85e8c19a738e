import type * as pulumi from "@pulumi/pulumi";
import {SETTING_NAMES, type TfeSettings} from "../api/config";
import {redact} from "../api/errors";
import {createHttp} from "../api/http";
import {kindOf, type TokenKind} from "../kinds";
import type {TokenInputs} from "../kinds/token-inputs";
import {defaultLifetimeKey, rotationWindowProblem} from "./default-lifetime";
import {checkInputs, UNKNOWN} from "./inputs";
import type {LifecycleContext} from "./lifecycle-context";
import {lifetimeProblem, requestedLifetime} from "./lifetime-policy";

/**
 * For a kind only its own user may manage: fills the owner left out with the account the credential acts as (the
 * answer the credential check already has), and says why the credential or the inputs cannot work.
 */
async function accountProblem(context: LifecycleContext, kind: TokenKind, inputs: TokenInputs, settings: TfeSettings) {
	const account = await context.credentials.account(settings, context.session.namespace);
	if (!account) {
		return undefined;
	}
	if (inputs[kind.ownerInput] === undefined || inputs[kind.ownerInput] === null) {
		inputs[kind.ownerInput] = account.id;
	}
	const known = Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== UNKNOWN)) as TokenInputs;
	const http = createHttp(settings, context.httpOptions);
	return kind.ownedByAccount!.problem(known, account, name => context.organizations.read(name, http, settings.baseUrl));
}

/**
 * A token's `check`: its inputs, and at once what `up` would fail on (the configuration, the credential, the
 * account a user token belongs to, the organization's TTL policy), so that a preview already says it.
 */
export async function checkToken(context: LifecycleContext, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
	const {now, session, credentials, policies, run} = context;
	const namespace = session.namespace;
	const kind = kindOf(news);
	let settings: TfeSettings | undefined;
	let configProblem: string | undefined;
	// An explicit provider whose arguments come from resources not made yet (a preview) has nothing to check.
	const configUnknown = SETTING_NAMES.some(key => session.config()?.get(`${namespace}:${key}`) === UNKNOWN);
	try {
		settings = configUnknown ? undefined : session.settings();
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
		const problem = await accountProblem(context, kind, inputs, settings);
		if (problem) {
			result.failures.push({property: "", reason: redact(`${problem.field}: ${problem.reason}`, [settings.token])});
		}
	}
	if (settings && result.failures.length === 0) {
		const problem = rotationWindowProblem(inputs, run.defaultLifetime(defaultLifetimeKey(settings.baseUrl, kind, inputs)), kind.resource);
		if (problem) {
			result.failures.push({property: "", reason: problem});
		}
	}
	// Read here even without a lifetime to check: the create that follows in this process needs the policy
	// for its default expiry, and finds it cached. An organization not known yet (a preview) has no policy to
	// read; `check` runs again once it is known.
	const policyOrganization = kind.ttl?.organization(inputs);
	if (settings && kind.ttl && result.failures.length === 0 && policyOrganization !== undefined && policyOrganization !== UNKNOWN) {
		const policy = await policies.forKind(kind, inputs, createHttp(settings, context.httpOptions), settings.baseUrl);
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
}
