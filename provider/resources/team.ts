import type * as pulumi from "@pulumi/pulumi";
import {LIFETIME_INPUTS} from "../kinds/kind";
import {ExpiringToken, type LifetimeArgs, tokenResourceArgs} from "./token-resource";

export interface TeamTokenArgs extends LifetimeArgs {
	/** The team the token belongs to: `team-` followed by letters and digits. Changing it moves the token (replace). */
	teamId: pulumi.Input<string>;
	/**
	 * Unset: the team's single legacy token. Set: one of the team's several described tokens, with this unique
	 * description, replaced create-before-delete so there is no moment without a token. Changing it replaces.
	 */
	description?: pulumi.Input<string>;
}

/**
 * An HCP Terraform / Terraform Enterprise team API token. The token value is a Pulumi secret. Its id is the team id
 * for a legacy token and the token id (`at-...`) for a described one.
 */
export class TeamToken extends ExpiringToken {
	declare public readonly teamId: pulumi.Output<string>;
	declare public readonly description: pulumi.Output<string | undefined>;

	constructor(name: string, args: TeamTokenArgs, opts?: pulumi.CustomResourceOptions) {
		super(...tokenResourceArgs("TeamToken", name, {optional: ["description", "forceRegenerate", ...LIFETIME_INPUTS], args}, opts));
	}
}
