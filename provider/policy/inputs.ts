import type * as pulumi from "@pulumi/pulumi";
import {redact} from "../api/errors";
import {DEFAULT_MAX_TTL_MS, type TtlTokenType} from "../api/token-ttl-policies";
import {validOrganizationName} from "../api/validation";
import {MAX_DAYS, UNKNOWN} from "../engine/inputs";
import {DAY_MS} from "../engine/rotation";
import {closest} from "../engine/suggest";

/** Recorded as the `kind` input by the TokenLifetimePolicy class, so the one dynamic provider can route to it. */
export const POLICY_KIND = "token-lifetime-policy";

export const POLICY_RESOURCE = "TokenLifetimePolicy";

/** Per token type the policies API names: the input that sets its maximum in days and the output that reports it in ms. */
export const POLICY_TYPES = [
	{type: "organization", input: "organizationTokenMaxDays", output: "organizationTokenMaxTtlMs"},
	{type: "team", input: "teamTokenMaxDays", output: "teamTokenMaxTtlMs"},
	{type: "user", input: "userTokenMaxDays", output: "userTokenMaxTtlMs"},
	{type: "audit_trails", input: "auditTrailTokenMaxDays", output: "auditTrailTokenMaxTtlMs"},
] as const satisfies readonly {type: TtlTokenType; input: string; output: string}[];

type MaxDaysInput = (typeof POLICY_TYPES)[number]["input"];
type MaxTtlMsOutput = (typeof POLICY_TYPES)[number]["output"];

export const POLICY_INPUTS: readonly string[] = ["organization", ...POLICY_TYPES.map(({input}) => input)];
export const POLICY_OUTPUTS: readonly string[] = POLICY_TYPES.map(({output}) => output);

export interface PolicyInputs extends Partial<Record<MaxDaysInput, number>> {
	kind?: string;
	organization: string;
}

/** What a TokenLifetimePolicy keeps in state: its inputs and the maximum per type the API reported. */
export type PolicyState = PolicyInputs & Partial<Record<MaxTtlMsOutput, number>>;

const SDK_INPUTS = new Set(["__provider", "kind"]);

/**
 * Validates a TokenLifetimePolicy's inputs as `check` receives them, before any request: the organization's name as
 * for the organization's tokens, and each maximum a whole number of days from 1 to 36,500 (the bound `expiresInDays`
 * has; the API documents none). Values not known yet (a preview) pass and are checked once known.
 */
export function checkPolicyInputs(news: Record<string, unknown>): {inputs: Record<string, unknown>; failures: pulumi.dynamic.CheckFailure[]} {
	const failures: pulumi.dynamic.CheckFailure[] = [];
	// As for tokens: the field goes into the reason, since the engine prints a named property's value unredacted.
	const fail = (field: string, reason: string) => failures.push({property: "", reason: redact(`${field}: ${reason}`)});
	for (const name of Object.keys(news)) {
		if (!POLICY_INPUTS.includes(name) && !SDK_INPUTS.has(name)) {
			const meant = closest(name, POLICY_INPUTS);
			fail(name, `not an input of ${POLICY_RESOURCE}${meant ? `; did you mean ${meant}?` : "."} The inputs are ${POLICY_INPUTS.join(", ")}.`);
		}
	}
	if (news.organization !== UNKNOWN && !validOrganizationName(news.organization)) {
		fail("organization", `must be an organization name: letters, digits, "-" and "_", at most 64 characters; got ${JSON.stringify(news.organization ?? "nothing")}`);
	}
	for (const {input: name} of POLICY_TYPES) {
		const value = news[name];
		if (value === undefined || value === null || value === UNKNOWN) {
			continue;
		}
		if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_DAYS) {
			fail(name, `must be a whole number of days from 1 to ${MAX_DAYS} (unset: the two-year default); got ${JSON.stringify(value)}`);
		}
	}
	return {inputs: {...news}, failures};
}

/** Whether every value the policy sets is known (not so at a preview that waits on another resource). */
export function known(inputs: Record<string, unknown>): boolean {
	return POLICY_INPUTS.every(name => inputs[name] !== UNKNOWN);
}

/** The maximum per token type the policy sets, in ms: each type, unset ones at the API's two-year default. */
export function maxTtlMs(inputs: Record<string, unknown>): Map<TtlTokenType, number> {
	return new Map(POLICY_TYPES.map(({type, input}) => {
		const days = inputs[input];
		return [type, typeof days === "number" ? days * DAY_MS : DEFAULT_MAX_TTL_MS];
	}));
}

/** The outputs for what the API reported. */
export function reported(policies: ReadonlyMap<TtlTokenType, number>): Partial<Record<MaxTtlMsOutput, number>> {
	return Object.fromEntries(POLICY_TYPES.flatMap(({type, output}) => {
		const ms = policies.get(type);
		return ms === undefined ? [] : [[output, ms]];
	}));
}
