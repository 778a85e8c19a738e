import type * as pulumi from "@pulumi/pulumi";
import {LIFETIME_INPUTS} from "../kinds/kind";
import {ExpiringToken, type LifetimeArgs, tokenResourceArgs} from "./token-resource";

export interface OrganizationTokenArgs extends LifetimeArgs {
	/** The organization's name. Changing it moves the token (replace). */
	organization: pulumi.Input<string>;
}

/**
 * One of the organization's single tokens: a POST replaces it, so a replacement revokes the old token first, and a
 * token found in the way is never revoked unless `forceRegenerate` says so. Its id is the organization name.
 * `expiresInDays` above the organization's token TTL policy fails at preview.
 */
abstract class OrganizationSingleToken extends ExpiringToken {
	declare public readonly organization: pulumi.Output<string>;
	/** `organization` or `audit-trail`: which of the organization's tokens this is, recorded in state for the provider. */
	declare public readonly kind: pulumi.Output<string>;

	protected constructor(type: string, kind: string, name: string, args: OrganizationTokenArgs, opts?: pulumi.CustomResourceOptions) {
		super(...tokenResourceArgs(type, name, {optional: ["forceRegenerate", ...LIFETIME_INPUTS], kind, args}, opts));
	}
}

/** The organization's API token (`/organizations/:name/authentication-token`). The token value is a Pulumi secret. */
export class OrganizationToken extends OrganizationSingleToken {
	constructor(name: string, args: OrganizationTokenArgs, opts?: pulumi.CustomResourceOptions) {
		super("OrganizationToken", "organization", name, args, opts);
	}
}

/** The organization's audit-trail token (the same route with `?token=audit-trails`). The value is a Pulumi secret. */
export class AuditTrailToken extends OrganizationSingleToken {
	constructor(name: string, args: OrganizationTokenArgs, opts?: pulumi.CustomResourceOptions) {
		super("AuditTrailToken", "audit-trail", name, args, opts);
	}
}
