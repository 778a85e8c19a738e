import type {Http} from "../api/http";
import {createMany, createSingle} from "../engine/create";
import {TokenExistsError} from "../engine/errors";
import {DAY_MS} from "../engine/rotation";
import {rotationDescription, rotationSeries} from "./descriptions";
import {EscError} from "./errors";
import type {Caller} from "./jwt";
import {type ActionContext, checkTtlPolicy, createContext, type Issued} from "./action-context";
import {describeOwner, isSingleSlot, type ManySlotOwner, type SingleSlotOwner} from "./owner";
import type {RotateRequest} from "./request";

/**
 * `/rotate` for an owner with several tokens, Pulumi's dual-secret strategy: each rotation creates a token and
 * answers it as current, with the one current until now as `standby` (it still works), and revokes every other token
 * of this rotator's series: the standby before, and whatever a rotation that failed halfway left (its new token,
 * whose value never reached ESC). The series is found by description and by the adapter's own credential as the
 * maker, so a token the adapter did not issue, even one the state names, is never revoked nor handed out.
 */
async function rotateMany(context: ActionContext, http: Http, caller: Caller, request: RotateRequest & {owner: ManySlotOwner}, expiresAt: Date | undefined): Promise<Issued> {
	const {client} = context;
	const series = rotationSeries(caller, request.label);
	const me = await client.me(http);
	const ours = (await client.tokensOf(http, request.owner)).filter(token => token.description?.startsWith(series) && me !== undefined && token.createdBy === me);
	const previous = request.previous.current;
	const standby = previous && ours.some(token => token.id === previous.tokenId) ? previous : null;
	const description = rotationDescription(series, caller, expiresAt);
	const slot = await client.manySlot(http, request.owner, description);
	const record = await createMany(createContext(context, http), slot, {expiredAt: expiresAt?.toISOString()});
	const revoke = () => slot.revoke(record.id);
	if (!record.token) {
		await revoke();
		throw new Error(`HCP Terraform created ${record.id} but did not answer its value; it was revoked`);
	}
	for (const token of ours.filter(token => token.id !== standby?.tokenId)) {
		await slot.revoke(token.id);
	}
	return {answer: {token: record.token, tokenId: record.id, expiresAt: record.expiredAt, description, standby}, revoke};
}

/**
 * `/rotate` for an owner with one token (a team's legacy token, the organization and audit-trail tokens): it is
 * regenerated, which ends the one before at once, so the answer has no standby. The token is replaced when it is the
 * one this rotator made last time (the state names it), when there is none, or when it is the adapter's own create
 * whose answer was lost (the engine's rule); any other needs `replaceExisting: true`, since it may be in use.
 */
async function rotateSingle(context: ActionContext, http: Http, caller: Caller, request: RotateRequest & {owner: SingleSlotOwner}, expiresAt: Date | undefined): Promise<Issued> {
	const slot = context.client.singleSlot(http, request.owner);
	const current = await slot.current();
	const ours = current === undefined || current.id === request.previous.current?.tokenId;
	let record;
	try {
		record = await createSingle(createContext(context, http), slot, {forceRegenerate: ours || request.replaceExisting, expiredAt: expiresAt?.toISOString()});
	} catch (error) {
		if (error instanceof TokenExistsError) {
			throw new EscError(409, `${describeOwner(request.owner)} exists (${current?.id ?? "another token"}) and the adapter did not make it: `
				+ "rotating it would end it at once. Revoke it, or set replaceExisting: true in the rotator's request");
		}
		throw error;
	}
	const revoke = async () => {
		if (slot.revokeById) {
			return slot.revokeById(record.id);
		}
		// The organization's tokens are revoked through their owner: only while the one issued here is still current.
		return (await slot.current())?.id === record.id && slot.revoke();
	};
	if (!record.token) {
		await revoke();
		throw new Error(`HCP Terraform created ${record.id} but did not answer its value; it was revoked`);
	}
	const description = rotationDescription(rotationSeries(caller, request.label), caller, expiresAt);
	return {answer: {token: record.token, tokenId: record.id, expiresAt: record.expiredAt, description, standby: null}, revoke};
}

export async function rotateToken(context: ActionContext, http: Http, caller: Caller, request: RotateRequest): Promise<Issued> {
	const days = request.expiresInDays;
	if (days !== undefined) {
		await checkTtlPolicy(context, http, request.owner, days * DAY_MS, "request.expiresInDays", `${days} days`);
	}
	const expiresAt = days === undefined ? undefined : new Date(context.now().getTime() + days * DAY_MS);
	return isSingleSlot(request.owner)
		? rotateSingle(context, http, caller, {...request, owner: request.owner}, expiresAt)
		: rotateMany(context, http, caller, {...request, owner: request.owner}, expiresAt);
}
