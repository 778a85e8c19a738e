import * as pulumi from "@pulumi/pulumi";
import {LIFETIME_OPTIONAL, tokenResourceArgs} from "../resource";

export interface OrganizationTokenArgs {
	/** The organization's name. Changing it moves the token (replace). */
	organization: pulumi.Input<string>;
	/**
	 * When the organization already has this token, create fails unless this is true, because generating a new one
	 * revokes the existing token. Changing it alone changes nothing on the API.
	 */
	forceRegenerate?: pulumi.Input<boolean>;
	/** When the token expires: an RFC 3339 instant in the future. Not with `expiresInDays` or `rotateBeforeDays`. */
	expiredAt?: pulumi.Input<string>;
	/** The token's lifetime in days from its creation; at most the organization's TTL policy allows. */
	expiresInDays?: pulumi.Input<number>;
	/** Renewal: when a `pulumi up` finds fewer than this many days left, it replaces the token. */
	rotateBeforeDays?: pulumi.Input<number>;
	/** Arbitrary values; any change rotates the token. */
	triggers?: pulumi.Input<pulumi.Input<unknown>[]>;
}

/**
 * One of the organization's single tokens: a POST replaces it, so a replacement revokes the old token first, and a
 * token found in the way is never revoked unless `forceRegenerate` says so. Its id is the organization name.
 */
abstract class OrganizationSingleToken extends pulumi.CustomResource {
	declare public readonly organization: pulumi.Output<string>;
	declare public readonly forceRegenerate: pulumi.Output<boolean | undefined>;
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

	protected constructor(type: string, kind: string, name: string, args: OrganizationTokenArgs, opts?: pulumi.CustomResourceOptions) {
		super(...tokenResourceArgs(type, name, {optional: ["forceRegenerate", ...LIFETIME_OPTIONAL], kind, args}, opts));
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
