import * as pulumi from "@pulumi/pulumi";
import {POLICY_INPUTS, POLICY_KIND, POLICY_OUTPUTS, POLICY_RESOURCE} from "../policy/inputs";
import {tokenResourceArgs} from "./token-resource";

export interface TokenLifetimePolicyArgs {
	/** The organization's name: letters, digits, `-`, `_`, at most 64 characters. Changing it moves the policy (replace). */
	organization: pulumi.Input<string>;
	/** Longest lifetime of the organization token, 1-36500 days. Unset: the API's two-year default. */
	organizationTokenMaxDays?: pulumi.Input<number>;
	/** Longest lifetime of a team token, 1-36500 days. Unset: the two-year default. */
	teamTokenMaxDays?: pulumi.Input<number>;
	/** Longest lifetime of a user token, 1-36500 days. Unset: the two-year default. */
	userTokenMaxDays?: pulumi.Input<number>;
	/** Longest lifetime of the audit-trail token, 1-36500 days. Unset: the two-year default. */
	auditTrailTokenMaxDays?: pulumi.Input<number>;
}

/**
 * The organization's maximum token lifetime per token type (`PATCH /organizations/:name/token-ttl-policies`). Each
 * `pulumi up` sets all four types, the unset ones at two years; destroy sets all four back to two years. A token
 * declared beside it (depending on it) that asks for a longer lifetime fails at preview. Its id is the organization
 * name. See docs/token-ttl-policy.md.
 */
export class TokenLifetimePolicy extends pulumi.CustomResource {
	declare public readonly organization: pulumi.Output<string>;
	declare public readonly organizationTokenMaxDays: pulumi.Output<number | undefined>;
	declare public readonly teamTokenMaxDays: pulumi.Output<number | undefined>;
	declare public readonly userTokenMaxDays: pulumi.Output<number | undefined>;
	declare public readonly auditTrailTokenMaxDays: pulumi.Output<number | undefined>;
	/** Always `token-lifetime-policy`, recorded in state for the provider. */
	declare public readonly kind: pulumi.Output<string>;
	/** Each type's maximum lifetime in ms, as the API reports it after the change. */
	declare public readonly organizationTokenMaxTtlMs: pulumi.Output<number>;
	declare public readonly teamTokenMaxTtlMs: pulumi.Output<number>;
	declare public readonly userTokenMaxTtlMs: pulumi.Output<number>;
	declare public readonly auditTrailTokenMaxTtlMs: pulumi.Output<number>;

	constructor(name: string, args: TokenLifetimePolicyArgs, opts?: pulumi.CustomResourceOptions) {
		const optional = POLICY_INPUTS.filter(input => input !== "organization");
		super(...tokenResourceArgs(POLICY_RESOURCE, name, {optional, kind: POLICY_KIND, args, outputs: POLICY_OUTPUTS}, opts));
	}
}
