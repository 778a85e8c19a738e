import type {Http} from "../api/http";
import {createMany} from "../engine/create";
import {type ActionContext, checkTtlPolicy, createContext, type Issued} from "./action-context";
import {formatDuration} from "./duration";
import {openDescription} from "./descriptions";
import {badRequest} from "./errors";
import type {Caller} from "./jwt";
import type {Grant} from "./policy";
import type {OpenRequest} from "./request";

/**
 * `/open`: a fresh described token per open, expiring `ttl` from now (the grant's default when not asked; a ttl above
 * the grant's cap or the organization's TTL policy is a 400, never shortened). Created through the engine's
 * `createMany`, which recovers a create whose answer was lost; revoked by the sweep at its expiry.
 */
export async function openToken(context: ActionContext, http: Http, caller: Caller, request: OpenRequest, grant: Grant): Promise<Issued> {
	const ttlMs = request.ttlMs ?? grant.defaultTtlMs;
	if (ttlMs > grant.maxTtlMs) {
		throw badRequest(`request.ttl ${formatDuration(ttlMs)} is above the cap of ${formatDuration(grant.maxTtlMs)} that the policy's grant for `
			+ `${caller.org} ${caller.environment} allows (maxTtl)`);
	}
	await checkTtlPolicy(context, http, request.owner, ttlMs, "request.ttl", formatDuration(ttlMs));
	const expiresAt = new Date(context.now().getTime() + ttlMs);
	const description = openDescription(caller, expiresAt);
	const slot = await context.client.manySlot(http, request.owner, description);
	const record = await createMany(createContext(context, http), slot, {expiredAt: expiresAt.toISOString()});
	context.sweeper.remember(request.owner, record.id, expiresAt);
	context.sweeper.touched(request.owner);
	const revoke = () => slot.revoke(record.id);
	if (!record.token) {
		await revoke();
		throw new Error(`HCP Terraform created ${record.id} but did not answer its value; it was revoked`);
	}
	// The API may round an expiry up, or set none (agent tokens): the adapter's own is the one it enforces.
	const apiExpiry = record.expiredAt ? Date.parse(record.expiredAt) : Number.POSITIVE_INFINITY;
	return {
		answer: {token: record.token, tokenId: record.id, expiresAt: new Date(Math.min(apiExpiry, expiresAt.getTime())).toISOString(), description},
		revoke,
	};
}
