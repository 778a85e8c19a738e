import * as pulumi from "@pulumi/pulumi";
import {serializedProvider} from "../dynamic/serialized-provider";
import {TOKEN_OUTPUTS} from "../kinds/kind";

/** The prefix of the types the engine routes to its Node.js dynamic-provider host, as `pulumi.dynamic.Resource` names them. */
const TYPE_PREFIX = "pulumi-nodejs:dynamic/tfe:";

/**
 * Registers one token resource of a kind, or with `outputs` of its own another resource of the package (the TTL policy). A dynamic resource is a custom resource whose `__provider` input tells
 * the host what to load; `pulumi.dynamic.Resource` would fill it with the SDK's serialization of the provider (see
 * serialized-provider.ts). Every kind shares the one provider; all but TeamToken record their `kind`, which the
 * provider dispatches on (TeamToken's state predates it and must stay as it is).
 */
export function tokenResourceArgs(
	type: string,
	name: string,
	inputs: {optional: readonly string[]; kind?: string; args: object; outputs?: readonly string[]},
	opts: pulumi.CustomResourceOptions | undefined,
): [string, string, pulumi.Inputs, pulumi.CustomResourceOptions] {
	const outputs = inputs.outputs ?? TOKEN_OUTPUTS;
	return [
		`${TYPE_PREFIX}${type}`,
		name,
		{
			...Object.fromEntries(inputs.optional.map(key => [key, undefined])),
			// Outputs are named so each resource has them even when not given; an output given as an input (a
			// JavaScript program has no type check) goes on to the check, which refuses it by name.
			...Object.fromEntries(outputs.map(key => [key, undefined])),
			...inputs.args,
			...(inputs.kind === undefined ? {} : {kind: inputs.kind}),
			__provider: serializedProvider(),
		},
		// The token is a secret wherever there is one; the TTL policy (other outputs) has none.
		inputs.outputs ? opts ?? {} : {...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "token"]},
	];
}

/** The inputs of every kind whose tokens expire. */
export interface ExpiryArgs {
	/**
	 * When the token expires: an RFC 3339 instant in the future, compared as an instant. Unset: the server's default
	 * (two years on HCP Terraform). Changing it replaces. Not with `expiresInDays` or `rotateBeforeDays`.
	 */
	expiredAt?: pulumi.Input<string>;
	/** The token's lifetime in days from its creation, sent as `expired-at`. Changing it replaces. */
	expiresInDays?: pulumi.Input<number>;
	/**
	 * Renewal: when a `pulumi up` finds fewer than this many days left, it replaces the token. Works with
	 * `expiresInDays` or the server's default expiry. An expired token is replaced whether or not this is set.
	 */
	rotateBeforeDays?: pulumi.Input<number>;
	/** Arbitrary values; any change rotates the token. */
	triggers?: pulumi.Input<pulumi.Input<unknown>[]>;
}

/** The inputs of every kind whose tokens expire and that has a single token to take over. */
export interface LifetimeArgs extends ExpiryArgs {
	/**
	 * Single tokens only. When the owner already has its token, create fails unless this is true, because generating
	 * a new one revokes the existing token. Changing it alone changes nothing on the API.
	 */
	forceRegenerate?: pulumi.Input<boolean>;
}

/** The outputs of every kind whose tokens expire. */
export abstract class RenewableToken extends pulumi.CustomResource {
	declare public readonly expiresInDays: pulumi.Output<number | undefined>;
	declare public readonly rotateBeforeDays: pulumi.Output<number | undefined>;
	declare public readonly triggers: pulumi.Output<unknown[] | undefined>;
	/** The API's id of the token (`at-...`). */
	declare public readonly tokenId: pulumi.Output<string>;
	/** The token itself. Secret. */
	declare public readonly token: pulumi.Output<string>;
	/** When the token expires, as the server reports it; undefined when it never does. */
	declare public readonly expiredAt: pulumi.Output<string | undefined>;
	declare public readonly createdAt: pulumi.Output<string>;
	/** The id of the user (or team) that created the token. */
	declare public readonly createdBy: pulumi.Output<string>;
}

/** The outputs of every kind whose tokens expire and that has a single token to take over. */
export abstract class ExpiringToken extends RenewableToken {
	declare public readonly forceRegenerate: pulumi.Output<boolean | undefined>;
}
