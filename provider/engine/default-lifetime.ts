import type {TokenKind} from "../kinds";
import type {TokenInputs} from "../kinds/token-inputs";
import {DAY_MS} from "./rotation";

/*
 * The lifetime the server gives a new token that asks for none (two years on HCP Terraform, or the organization's
 * TTL policy limit, which the create then requests). It is known only once such a token exists, so a
 * `rotateBeforeDays` at or above it used to be found after each create, which revoked the new token and failed the
 * run, at every run. What a run learns of it, from a create or from a token of the stack, lets the checks that
 * follow refuse that `rotateBeforeDays` at preview, before any token is made.
 */

/** What a new token without an expiry of its own gets, and from which resource the run learned it. */
export interface DefaultLifetime {
	ms: number;
	from: string;
}

/**
 * One lifetime per API address, kind and organization (a TTL policy is per organization and token type). Legacy and
 * described team tokens share theirs.
 */
export function defaultLifetimeKey(address: string, kind: TokenKind, inputs: TokenInputs): string {
	return `${address} ${kind.name} ${kind.ttl?.organization(inputs) ?? ""}`;
}

/** Whether the inputs leave the expiry to the server: no `expiredAt`, no `expiresInDays`. */
export function leavesExpiryToServer(inputs: TokenInputs): boolean {
	return inputs.expiredAt === undefined && inputs.expiresInDays === undefined;
}

/** A token's lifetime from the server's dates, or undefined when it has none (it never expires) or they do not parse. */
export function lifetimeOf(token: {expiredAt?: string | null; createdAt?: string | null}): number | undefined {
	const ms = Date.parse(token.expiredAt ?? "") - Date.parse(token.createdAt ?? "");
	return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * Why `rotateBeforeDays` cannot work with the lifetime the run has learned for these inputs, or undefined: a new
 * token would be due for rotation the moment it exists.
 */
export function rotationWindowProblem(inputs: TokenInputs, lifetime: DefaultLifetime | undefined, resource: string): string | undefined {
	const rotateBeforeDays = inputs.rotateBeforeDays;
	// A value not known yet (a preview) is a string, and is checked once known.
	if (lifetime === undefined || typeof rotateBeforeDays !== "number" || !leavesExpiryToServer(inputs)) {
		return undefined;
	}
	const days = lifetime.ms / DAY_MS;
	if (days > rotateBeforeDays) {
		return undefined;
	}
	return `rotateBeforeDays: ${rotateBeforeDays} is not less than the lifetime the server gives a new ${resource} without an expiry `
		+ `(${days.toFixed(1)} days, seen on ${lifetime.from}): every new token would be due at once, and each \`pulumi up\` would `
		+ `create and revoke one. Set rotateBeforeDays below ${Math.floor(days)}, or give expiresInDays if the server allows a longer lifetime.`;
}
