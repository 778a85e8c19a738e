import {whoAmI} from "../api/account";
import {kindOf} from "../kinds";
import type {LifecycleContext} from "./lifecycle-context";
import {describeToken, isOwnUnrecordedCreate, ownCreateInference} from "./ownership";
import type {TokenState} from "./token-state";

/**
 * A token's `delete`: revokes it by id, and where a single token is gone by id, revokes the owner's current one
 * only when it is this stack's own (ownership.ts), never one someone else may be using.
 */
export async function deleteToken(context: LifecycleContext, id: string, props: Record<string, unknown>): Promise<void> {
	const {now, warn} = context;
	const kind = kindOf(props);
	const state = props as unknown as TokenState;
	await context.session.withApi(async (http, _address, credential) => {
		const slot = context.batches.slot(kind, state, http, credential, true);
		if (slot.shape === "many") {
			await slot.revoke(state.tokenId);
			return;
		}
		if (slot.revokeById && await slot.revokeById(state.tokenId)) {
			return;
		}
		// Gone by id: revoked already, replaced outside Pulumi or by a lost create of this stack, or a server
		// that revokes this kind only through its owner. The owner's current token tells which.
		const current = await slot.current();
		if (!current) {
			return;
		}
		if (current.id !== state.tokenId) {
			const facts = {me: await whoAmI(http), now: now()};
			if (!isOwnUnrecordedCreate(current, facts)) {
				warn(`not revoking the token of ${id}: the ${kind.ownerNoun}'s current token is ${describeToken(current, facts)}, not ${state.tokenId}, `
					+ "so someone regenerated it outside Pulumi and it may be in use.");
				return;
			}
			// Taken for the unrecorded create of an interrupted replacement; destroy takes it with the rest.
			warn(`revoking ${current.id} of ${id} too: ${ownCreateInference(current)} (an interrupted replacement).`);
		}
		await slot.revoke();
	}, "destroy");
}
