import {TfeApiError} from "../api/errors";
import {LegacyTokenRaceError, TokenExistsError} from "./errors";
import {describeToken, isOwnUnrecordedCreate, type Judge, OWN_CREATE_RULE, ownCreateInference, SINCE_CREATE_BEGAN} from "./ownership";
import type {TokenRecord} from "../api/token-document";
import type {ManySlot, SingleSlot} from "../kinds/token-slot";

/** What a create needs besides the token's slot: who the API token acts as, the clock and where warnings go. */
export interface CreateContext {
	whoAmI: () => Promise<string | undefined>;
	now: () => Date;
	warn: (message: string) => void;
}

/** POSTs of one described create, the first included: each failed one is followed by a lookup. */
export const DESCRIBED_CREATE_ATTEMPTS = 5;

async function judge(context: CreateContext): Promise<Judge> {
	return {me: await context.whoAmI(), now: context.now()};
}

/**
 * Creates the owner's single token. Without `forceRegenerate` a token already there is replaced only when it is
 * this stack's own unrecorded create (see ownership.ts); and because another POST may land between the check and
 * ours, the token is read once more afterwards, so that such a race fails loudly instead of leaving state with a
 * revoked token.
 */
export async function createSingle(context: CreateContext, slot: SingleSlot, request: {forceRegenerate: boolean; expiredAt?: string}): Promise<TokenRecord> {
	if (request.forceRegenerate) {
		return slot.generate(request.expiredAt);
	}
	const existing = await slot.current();
	if (existing) {
		const facts = await judge(context);
		if (!isOwnUnrecordedCreate(existing, facts)) {
			throw new TokenExistsError(slot.owner, existing.id, describeToken(existing, facts), {rule: OWN_CREATE_RULE, waysOut: slot.waysOut, revokeRoute: slot.revokeRoute});
		}
		context.warn(`replacing ${existing.id} on ${slot.owner}: ${ownCreateInference(existing)} (an interrupted update).`);
	}
	const created = await slot.generate(request.expiredAt);
	const current = await slot.current();
	if (current?.id !== created.id) {
		throw new LegacyTokenRaceError(slot.owner, created.id, current ? current.id : "no token");
	}
	return created;
}

function lostOrTaken(error: unknown): error is TfeApiError {
	if (!(error instanceof TfeApiError)) {
		return false;
	}
	return error.status === 0 || error.status >= 500 || (error.status === 422 && /already been taken/i.test(error.detail ?? ""));
}

/**
 * Creates one of the owner's several tokens. A POST whose answer is lost (a 5xx or a dropped connection) may have
 * acted, and a 422 "already taken" may be this stack's own earlier create whose answer never reached state. Either
 * way the token with the description is looked up: none, and the POST is sent again; this stack's own unrecorded
 * create (see ownership.ts), and it is revoked and the POST sent again; anyone else's, and the create fails naming
 * it. So no token is left that no state knows of, and a transient fault costs a retry, not a failed update.
 */
export async function createMany(context: CreateContext, slot: ManySlot, request: {expiredAt?: string}): Promise<TokenRecord> {
	let facts: Judge | undefined;
	// Where descriptions repeat, only a token made since this create began (give or take a minute of clock skew)
	// can be its own; an older one with the same description is the token this create replaces.
	const since = slot.uniqueDescriptions ? new Date(0) : new Date(context.now().getTime() - 60_000);
	for (let attempt = 1; ; attempt++) {
		let failure: TfeApiError;
		try {
			return await slot.create(request.expiredAt);
		} catch (error) {
			if (!lostOrTaken(error)) {
				throw error;
			}
			failure = error;
		}
		let found: TokenRecord | undefined;
		try {
			// The list is paged, and changes made meanwhile can shift a token onto a page already read: look twice.
			found = await slot.find(since) ?? await slot.find(since);
			facts = {me: facts?.me ?? await context.whoAmI(), now: context.now()};
		} catch {
			failure.message += ` Could not check whether the API created it: look for a token described "${slot.description}" on ${slot.owner}.`;
			throw failure;
		}
		if (found && !isOwnUnrecordedCreate(found, facts)) {
			throw new TokenExistsError(slot.owner, found.id, describeToken(found, facts), {
				rule: OWN_CREATE_RULE,
				waysOut: slot.waysOut,
				revokeRoute: `DELETE /api/v2/authentication-tokens/${found.id}`,
				description: slot.description,
			});
		}
		if (found) {
			await slot.revoke(found.id);
			const recency = slot.uniqueDescriptions ? undefined : SINCE_CREATE_BEGAN;
			context.warn(`revoked ${found.id} on ${slot.owner}: ${ownCreateInference(found, recency)} `
				+ `(${failure.status === 422 ? "an interrupted update" : failure.message}); creating it again.`);
		}
		if (attempt >= DESCRIBED_CREATE_ATTEMPTS) {
			failure.message += ` Gave up after ${attempt} creates; no token was left behind. Run the update again.`;
			throw failure;
		}
	}
}
