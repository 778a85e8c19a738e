import type * as pulumi from "@pulumi/pulumi";
import {redact, TfeApiError} from "../api/errors";
import {Organizations} from "../api/organizations";
import {DEFAULT_MAX_TTL_MS, TokenTtlPolicies, TTL_TOKEN_TYPES, type TtlTokenType} from "../api/token-ttl-policies";
import {validOrganizationName} from "../api/validation";
import type {ProviderDependencies} from "../engine/crud";
import {formatDays} from "../engine/lifetime-policy";
import {DAY_MS} from "../engine/rotation";
import {createSession} from "../engine/session";
import type {StackRun} from "../engine/stack-run";
import {cutOffReport} from "./cut-off-report";
import {checkPolicyInputs, known, maxTtlMs, POLICY_INPUTS, POLICY_KIND, POLICY_RESOURCE, POLICY_TYPES, type PolicyInputs, type PolicyState, reported} from "./inputs";

type Props = Record<string, unknown>;

/** The TTL policy resource's provider methods; `read` may also return the inputs of a policy it adopted (`pulumi import`). */
export type PolicyImplementation = Required<Omit<pulumi.dynamic.ResourceProvider, "read">>
	& {read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult & {inputs?: Props}>};

/** Every type back at the two-year default: what delete sends, as terraform-provider-tfe's delete does. */
const DEFAULTS = new Map(TTL_TOKEN_TYPES.map(type => [type, DEFAULT_MAX_TTL_MS]));

/** The policy's inputs out of `props` (state or inputs), unset ones left out. */
function inputsOf(props: Props): PolicyInputs {
	return Object.fromEntries(["kind", ...POLICY_INPUTS]
		.filter(name => props[name] !== undefined && props[name] !== null)
		.map(name => [name, props[name]])) as unknown as PolicyInputs;
}

/**
 * The organization's maximum token lifetime per token type as a resource (TokenLifetimePolicy; see
 * docs/token-ttl-policy.md). Create and update send the whole policy, unset types at the two-year default; delete
 * sends the defaults back. Its check plans the policy for the tokens the same process serves, so a token asking for
 * more fails at preview, and says which live tokens a shorter limit would cut off.
 */
export function createPolicyImplementation(deps: ProviderDependencies & {run: StackRun}): PolicyImplementation {
	const now = deps.now ?? (() => new Date());
	const log = deps.log ?? ((message: string) => console.error(message));
	const warn = (message: string) => log(`pulumi-tfe-team-token: ${redact(message)}`);
	const session = createSession(deps);
	const {withApi} = session;

	/** Before a change is sent: whether the organization enforces it, and what a shorter limit cuts off. */
	async function foretell(organization: string, planned: ReadonlyMap<TtlTokenType, number>): Promise<void> {
		await withApi(async http => {
			if ((await new Organizations(http).read(organization).catch(() => undefined))?.maxTtlEnabled === false) {
				warn(`${POLICY_RESOURCE} ${organization}: the organization's max-ttl-enabled is off, so the API stores this policy but enforces `
					+ "none of it until it is turned on (an organization setting: terraform-provider-tfe's `tfe_organization.max_ttl_enabled`, or the organization's settings page).");
			}
			const current = await new TokenTtlPolicies(http).list(organization).catch(() => undefined);
			for (const sentence of await cutOffReport(http, organization, current, planned, deps.run, now())) {
				warn(`${POLICY_RESOURCE} ${organization}: ${sentence}`);
			}
		}).catch(error => warn(`${POLICY_RESOURCE} ${organization}: could not count the tokens a shorter limit cuts off: ${(error as Error).message}`));
	}

	async function send(inputs: PolicyInputs): Promise<{id: string; outs: PolicyState}> {
		const policies = await withApi(http => new TokenTtlPolicies(http).update(inputs.organization, maxTtlMs(inputs as unknown as Props)));
		return {id: inputs.organization, outs: {...inputs, ...reported(policies)}};
	}

	return {
		async configure(request) {
			session.configure(request.config);
		},

		async check(_olds, news) {
			const result = checkPolicyInputs(news);
			if (result.failures.length > 0 || !known(news) || !session.config()) {
				return result;
			}
			let address: string;
			try {
				address = session.settings().baseUrl;
			} catch (error) {
				return {...result, failures: [{property: "", reason: `configuration: ${(error as Error).message}`}]};
			}
			const {organization} = inputsOf(news);
			const planned = maxTtlMs(news);
			deps.run.plan(address, organization, planned);
			await foretell(organization, planned);
			// A token of this stack checked before the policy (not depending on it) that asks for more than it sets.
			for (const {type, resource, field, ms} of deps.run.requestedIn(address, organization)) {
				const maxMs = planned.get(type)!;
				if (ms > maxMs) {
					result.failures.push({property: "", reason: `${POLICY_TYPES.find(entry => entry.type === type)!.input}: ${formatDays(maxMs / DAY_MS)} days `
						+ `is shorter than the ${formatDays(ms / DAY_MS)} days the ${resource} of ${organization} in this stack asks for (its ${field}); `
						+ `shorten that, or allow at least ${Math.ceil(ms / DAY_MS)} days`});
				}
			}
			return result;
		},

		async diff(_id, olds, news) {
			const replaces = olds.organization === news.organization ? [] : ["organization"];
			// Against what the API last reported, so that a policy changed by hand (and seen by a refresh) is set back.
			const before = maxTtlMs(olds);
			const after = maxTtlMs(news);
			const changed = POLICY_TYPES
				.filter(({type, output}) => (typeof olds[output] === "number" ? olds[output] : before.get(type)) !== after.get(type))
				.map(({input}) => input);
			return {changes: replaces.length > 0 || changed.length > 0, replaces, deleteBeforeReplace: false};
		},

		create: async props => send(inputsOf(props)),

		async update(_id, _olds, news) {
			return {outs: (await send(inputsOf(news))).outs};
		},

		async read(id, props) {
			const organization = typeof props.organization === "string" ? props.organization : id;
			if (!validOrganizationName(organization)) {
				throw new Error(`${POLICY_RESOURCE} cannot import ${JSON.stringify(id)}: give the organization's name.`);
			}
			const policies = await withApi(http => new TokenTtlPolicies(http).list(organization), "refresh");
			if (!policies) {
				warn(`${POLICY_RESOURCE} ${organization}: the organization's token TTL policies cannot be read (no such organization, no access, `
					+ "or a server without them); removing it from state.");
				return {id: "", props: {}};
			}
			if (props.organization !== undefined) {
				return {id, props: {...inputsOf(props), ...reported(policies)}};
			}
			// An import: the inputs that reproduce what the API has; a type at the default is left unset.
			const inputs: Props = {kind: POLICY_KIND, organization};
			for (const {type, input} of POLICY_TYPES) {
				const ms = policies.get(type);
				if (ms === undefined || ms === DEFAULT_MAX_TTL_MS) {
					continue;
				}
				inputs[input] = Math.max(1, Math.round(ms / DAY_MS));
				if (ms % DAY_MS !== 0) {
					warn(`${POLICY_RESOURCE} ${organization}: the ${type} token maximum is ${ms} ms, not whole days; imported as ${inputs[input]} days, `
						+ "which the next `pulumi up` sets.");
				}
			}
			return {id: organization, props: {...inputs, ...reported(policies)}, inputs};
		},

		async delete(_id, props) {
			const {organization} = inputsOf(props);
			await withApi(async http => {
				try {
					await new TokenTtlPolicies(http).update(organization, DEFAULTS);
				} catch (error) {
					// The organization is gone, and its policies with it.
					if (!(error instanceof TfeApiError && error.status === 404)) {
						throw error;
					}
				}
			}, "destroy");
		},
	};
}
