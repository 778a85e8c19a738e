import * as pulumi from "@pulumi/pulumi";
import {tokenResourceArgs} from "./token-resource";

export interface AgentTokenArgs {
	/** The agent pool: `apool-` followed by letters and digits. Changing it replaces the token. */
	agentPoolId: pulumi.Input<string>;
	/** Required by the API. Changing it replaces the token, the new one first. */
	description: pulumi.Input<string>;
	/** Arbitrary values; any change rotates the token, the new one first (agent tokens have no documented expiry). */
	triggers?: pulumi.Input<pulumi.Input<unknown>[]>;
}

/**
 * One of an agent pool's several tokens (`/agent-pools/:id/authentication-tokens`), revoked by id. A replacement is
 * created before the old token is revoked, so agents always have one. Its id is the token id; the value is a
 * Pulumi secret.
 */
export class AgentToken extends pulumi.CustomResource {
	declare public readonly agentPoolId: pulumi.Output<string>;
	declare public readonly description: pulumi.Output<string>;
	declare public readonly triggers: pulumi.Output<unknown[] | undefined>;
	/** Always `agent`: the kind of token, recorded in state for the provider. */
	declare public readonly kind: pulumi.Output<string>;
	/** The API's id of the token (`at-...`). */
	declare public readonly tokenId: pulumi.Output<string>;
	/** The token itself. Secret. */
	declare public readonly token: pulumi.Output<string>;
	declare public readonly createdAt: pulumi.Output<string>;
	/** The id of the user (or team) that created the token. */
	declare public readonly createdBy: pulumi.Output<string>;

	constructor(name: string, args: AgentTokenArgs, opts?: pulumi.CustomResourceOptions) {
		super(...tokenResourceArgs("AgentToken", name, {optional: ["triggers"], kind: "agent", args}, opts));
	}
}
