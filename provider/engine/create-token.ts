import type {Http} from "../api/http";
import {whoAmI} from "../api/account";
import type {TokenRecord} from "../api/token-document";
import {kindOf, type TokenKind} from "../kinds";
import type {TokenInputs} from "../kinds/token-inputs";
import type {TokenSlot} from "../kinds/token-slot";
import {createMany, createSingle} from "./create";
import {defaultLifetimeKey, leavesExpiryToServer, lifetimeOf} from "./default-lifetime";
import {RotationWindowError} from "./errors";
import {type LifecycleContext, remember} from "./lifecycle-context";
import {DAY_MS, expiryFromDays} from "./rotation";
import {defined, type TokenState} from "./token-state";

/**
 * With the server's default lifetime the expiry is known only once the token exists: one that leaves less than
 * `rotateBeforeDays` would be replaced at every run, so it is revoked and the create fails, naming both.
 */
async function refuseRotationLoop(slot: TokenSlot, record: TokenRecord, inputs: TokenInputs): Promise<void> {
	const lifetime = lifetimeOf(record);
	if (inputs.rotateBeforeDays === undefined || lifetime === undefined) {
		return;
	}
	const lifetimeDays = lifetime / DAY_MS;
	if (lifetimeDays > inputs.rotateBeforeDays) {
		return;
	}
	await (slot.shape === "single" ? slot.revoke() : slot.revoke(record.id));
	throw new RotationWindowError(record.id, record.expiredAt!, lifetimeDays, inputs.rotateBeforeDays);
}

/** The kind's inputs out of `props`, with `kind` where the resource class records one (all but TeamToken). */
function inputsOf(kind: TokenKind, props: Record<string, unknown>): TokenInputs {
	return defined(Object.fromEntries(["kind", ...kind.inputNames].map(name => [name, props[name]]))) as TokenInputs;
}

/**
 * The expiry to request: the one given, else the lifetime in days, else the organization's policy limit where
 * one applies, so that the recorded expiry is the one the policy enforces and renewal happens before it.
 */
async function requestedExpiry(context: LifecycleContext, kind: TokenKind, inputs: TokenInputs, http: Http, address: string): Promise<string | undefined> {
	if (inputs.expiredAt !== undefined) {
		return inputs.expiredAt;
	}
	if (inputs.expiresInDays !== undefined) {
		return expiryFromDays(inputs.expiresInDays, context.now());
	}
	const policy = await context.policies.forKind(kind, inputs, http, address);
	return policy && new Date(context.now().getTime() + policy.maxMs).toISOString();
}

/**
 * A token's `create`: the owner's account where it was left out, the expiry to request, then the POST with its
 * recovery (create.ts). A single token's resource id is its owner, since the owner has only that one.
 */
export async function createToken(context: LifecycleContext, props: Record<string, unknown>): Promise<{id: string; outs: TokenState}> {
	const {now, warn} = context;
	const kind = kindOf(props);
	const inputs = inputsOf(kind, props);
	const {record, slot} = await context.session.withApi(async (http, address, credential) => {
		// Filled by check from the credential check's answer, unless that answer proved nothing (a 5xx, a 403).
		if (kind.ownedByAccount && inputs[kind.ownerInput] === undefined) {
			inputs[kind.ownerInput] = await whoAmI(http);
		}
		const slot = context.batches.slot(kind, inputs, http, credential, false);
		const expiredAt = await requestedExpiry(context, kind, inputs, http, address);
		const createContext = {whoAmI: () => whoAmI(http), now, warn};
		const created = slot.shape === "single"
			? await createSingle(createContext, slot, {forceRegenerate: inputs.forceRegenerate === true, expiredAt})
			: await createMany(createContext, slot, {expiredAt});
		const lifetime = lifetimeOf(created);
		if (lifetime !== undefined && leavesExpiryToServer(inputs)) {
			context.run.learnDefaultLifetime(defaultLifetimeKey(address, kind, inputs), {ms: lifetime, from: `the new ${kind.resource} token ${created.id}`});
		}
		await refuseRotationLoop(slot, created, inputs);
		return {record: created, slot};
	});
	if (!record.token) {
		throw new Error(`The API created token ${record.id} for ${slot.owner} but did not return its value.`);
	}
	// The server's expiry replaces the requested one: it is what rotation compares against.
	const outs: TokenState = defined({
		...inputs,
		tokenId: record.id,
		token: record.token,
		expiredAt: record.expiredAt ?? undefined,
		createdAt: record.createdAt ?? undefined,
		createdBy: record.createdBy ?? undefined,
	});
	const id = slot.shape === "single" ? String(inputs[kind.ownerInput]) : record.id;
	remember(context, kind, id, outs);
	return {id, outs};
}
