import type * as pulumi from "@pulumi/pulumi";
import {LIFETIME_INPUTS} from "../kinds/kind";
import {type ExpiryArgs, RenewableToken, tokenResourceArgs} from "./token-resource";

export interface UserTokenArgs extends ExpiryArgs {
	/**
	 * The user: `user-` followed by letters and digits. Unset: the user the API token acts as, the only one whose
	 * tokens it may manage. Another user's id fails at preview. Changing it replaces the token.
	 */
	userId?: pulumi.Input<string>;
	/**
	 * Required. Descriptions may repeat within a user's tokens: after a lost answer only a token with this description
	 * made since the create began is taken for it. Changing it replaces the token, the new one first.
	 */
	description: pulumi.Input<string>;
	/**
	 * Optional: the organization the token is used in. A user token belongs to no organization; this one is checked
	 * at preview for `user-tokens-enabled` and its `user` token TTL policy. Changing it replaces the token.
	 */
	organization?: pulumi.Input<string>;
}

/**
 * One of a user's several API tokens (`/users/:id/authentication-tokens`), revoked by id. Only the user's own user
 * token may manage them, so the provider's credential must be one. A replacement is created before the old token
 * is revoked. Its id is the token id (`at-...`), which also imports it; the value is a Pulumi secret.
 */
export class UserToken extends RenewableToken {
	declare public readonly userId: pulumi.Output<string>;
	declare public readonly description: pulumi.Output<string>;
	declare public readonly organization: pulumi.Output<string | undefined>;
	/** Always `user`: the kind of token, recorded in state for the provider. */
	declare public readonly kind: pulumi.Output<string>;

	constructor(name: string, args: UserTokenArgs, opts?: pulumi.CustomResourceOptions) {
		super(...tokenResourceArgs("UserToken", name, {optional: ["userId", "organization", ...LIFETIME_INPUTS], kind: "user", args}, opts));
	}
}
