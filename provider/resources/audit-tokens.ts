import * as pulumi from "@pulumi/pulumi";
import {resolveSettings} from "../api/config";
import type {AuditedToken, AuditResult} from "../engine/token-audit";

/** The audit (and the HTTP client under it) loads when a program calls it, not with the package. */
const tokenAudit = () => require("../engine/token-audit") as typeof import("../engine/token-audit");

export type {AuditedToken, AuditResult as AuditTokensResult};

export interface AuditTokensArgs {
	/** The organization's name. */
	organization: string;
	/** A token expiring within this many days (1-36500) is `expiring`. Default 30. */
	expiringWithinDays?: number;
	/** Whether to list agent tokens (one request per agent pool; they never expire). Default true. */
	includeAgentTokens?: boolean;
}

/** `AuditTokensArgs` whose values may come from other resources. */
export interface AuditTokensOutputArgs {
	organization: pulumi.Input<string>;
	expiringWithinDays?: pulumi.Input<number>;
	includeAgentTokens?: pulumi.Input<boolean>;
}

/**
 * Every token of the organization the API lists (team, organization, audit-trail and agent tokens: user tokens can
 * only be listed by their user) with owner, description, creator, dates and status: `expired`, `expiring`,
 * `never-expires`, `never-used` or `ok`. Metadata only: no token value. It reads the configuration the token
 * resources use: stack config `tfe:hostname`, `tfe:token`, `tfe:sslSkipVerify`, else TFE_* and the rest of the chain.
 * Runs at preview too: it only reads. A bad argument fails naming it, before any request.
 */
export async function auditTokens(args: AuditTokensArgs): Promise<AuditResult> {
	// The program process has the stack's configuration, secrets decrypted, as the dynamic provider's host has it.
	const settings = resolveSettings({get: key => pulumi.runtime.getConfig(key)}, process.env, "tfe");
	return tokenAudit().runAudit(settings, args);
}

/** `auditTokens` for arguments that are Outputs; the result is an Output. */
export function auditTokensOutput(args: AuditTokensOutputArgs): pulumi.Output<AuditResult> {
	return pulumi.output(args).apply(plain => auditTokens(plain));
}
