import type * as pulumi from "@pulumi/pulumi";
import {kindOf, type TokenKind} from "../kinds";
import type {TokenInputs} from "../kinds/token-inputs";
import {defaultLifetimeKey, leavesExpiryToServer, lifetimeOf, rotationWindowProblem} from "./default-lifetime";
import {type LifecycleContext, remember} from "./lifecycle-context";
import {plannedCutOff} from "./lifetime-policy";
import {rotationReason} from "./rotation";
import type {TokenState} from "./token-state";
import {UPDATABLE} from "./update";

/**
 * Whether a replacement has to revoke the old token before creating the new one. A POST of a single token replaces
 * the owner's only one, so deleting the old one afterwards would revoke the new one. A described team token cannot
 * be created while the team still has one with the same description (the API keeps those unique). Otherwise the
 * new token is created first and there is no moment without one.
 */
function mustDeleteFirst(kind: TokenKind, olds: TokenInputs, news: TokenInputs): boolean {
	const oldShape = kind.shapeOf(olds);
	const newShape = kind.shapeOf(news);
	if (oldShape === "single" || newShape === "single") {
		return oldShape === "single" && newShape === "single";
	}
	return kind.uniqueDescriptions && olds[kind.ownerInput] === news[kind.ownerInput] && olds.description === news.description;
}

/** JSON with sorted keys, so `triggers` compare by value. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === "object" && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
			: v) ?? "null";
}

function sameInstant(a: unknown, b: unknown): boolean {
	return typeof a === "string" && typeof b === "string" && Date.parse(a) === Date.parse(b);
}

/** The API address of the provider's settings; undefined when they cannot be resolved yet, which diff leaves to check. */
function apiAddress(context: LifecycleContext): string | undefined {
	try {
		return context.session.settings().baseUrl;
	} catch {
		return undefined;
	}
}

/**
 * A token of this stack whose lifetime a policy planned beside it would cut short: said at its own diff, which
 * the engine runs after the policy's check when the token depends on the policy.
 */
function warnIfPlannedCutOff(context: LifecycleContext, address: string, kind: TokenKind, id: string, state: TokenState): void {
	const problem = plannedCutOff(kind, id, state, context.run.plannedFor.bind(context.run, address), context.now());
	if (problem) {
		context.warn(problem);
	}
}

/**
 * What a token of this stack says of the lifetime the server gives a token that asks for none, for the checks that
 * follow; and its own `rotateBeforeDays` refused when that lifetime cannot clear it (the replacement it would make
 * would be refused after its create, and a single token's old one revoked first). Only a token this stack made (an
 * imported one, without a value, may have been given any expiry) and that asked for no expiry teaches it.
 */
function learnDefaultLifetime(context: LifecycleContext, address: string, kind: TokenKind, id: string, olds: TokenState, news: TokenInputs): void {
	const lifetime = lifetimeOf(olds);
	// The state's expiredAt is the server's answer, whatever was asked: expiresInDays alone says the token asked.
	if (typeof olds.token !== "string" || lifetime === undefined || olds.expiresInDays !== undefined || !leavesExpiryToServer(news)) {
		return;
	}
	const learned = {ms: lifetime, from: `${kind.resource} ${id}`};
	context.run.learnDefaultLifetime(defaultLifetimeKey(address, kind, news), learned);
	const problem = rotationWindowProblem(news, learned, kind.resource);
	if (problem) {
		throw new Error(problem);
	}
}

/** A token's `diff`: which input changes replace the token (rotation among them), and in which order. */
export function diffToken(context: LifecycleContext, id: string, olds: TokenState, news: TokenInputs): pulumi.dynamic.DiffResult {
	const kind = kindOf(news as Record<string, unknown>);
	remember(context, kind, id, olds);
	const address = apiAddress(context);
	if (address !== undefined) {
		warnIfPlannedCutOff(context, address, kind, id, olds);
		learnDefaultLifetime(context, address, kind, id, olds, news);
	}
	const replaces: string[] = [];
	// An owner left out that check could not fill yet (a preview without the provider's settings) is the
	// credential's account, as before.
	const ownerDefaulted = kind.ownedByAccount && (news[kind.ownerInput] === undefined || news[kind.ownerInput] === null);
	if (!ownerDefaulted && olds[kind.ownerInput] !== news[kind.ownerInput]) {
		replaces.push(kind.ownerInput);
	}
	// Where the organization is not the owner (a user token), it is where the token is used, and bounds its
	// lifetime by that organization's policy: a new one gets a new token.
	if (kind.ownerInput !== "organization" && (olds.organization ?? null) !== (news.organization ?? null)) {
		replaces.push("organization");
	}
	if ((olds.description ?? null) !== (news.description ?? null)) {
		replaces.push("description");
	}
	if (news.expiredAt !== undefined && !sameInstant(news.expiredAt, olds.expiredAt)) {
		replaces.push("expiredAt");
	}
	if ((olds.expiresInDays ?? null) !== (news.expiresInDays ?? null)) {
		replaces.push("expiresInDays");
	}
	if (canonical(olds.triggers ?? null) !== canonical(news.triggers ?? null)) {
		replaces.push("triggers");
	}
	const reason = rotationReason(olds.expiredAt, news.rotateBeforeDays, context.now());
	if (reason) {
		context.warn(`rotating the token of ${id}: ${reason}.`);
		replaces.push("rotateBeforeDays");
	}
	const updates = UPDATABLE.filter(key => (olds[key] ?? null) !== (news[key] ?? null));
	return {
		changes: replaces.length > 0 || updates.length > 0,
		replaces,
		deleteBeforeReplace: replaces.length > 0 && mustDeleteFirst(kind, olds, news),
	};
}
