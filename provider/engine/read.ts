import type * as pulumi from "@pulumi/pulumi";
import {kindOf} from "../kinds";
import {adoptToken} from "./adopt";
import {type LifecycleContext, remember} from "./lifecycle-context";
import {defined, type TokenState, withoutProvider} from "./token-state";

/**
 * A token's `read` (refresh): the expiry the API reports now, or the token dropped from state when it is gone or
 * was regenerated outside Pulumi. Without a token id in state it is an import, which adopts the token (adopt.ts).
 */
export async function readToken(context: LifecycleContext, id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult & {inputs?: Record<string, unknown>}> {
	const {session, warn} = context;
	const kind = kindOf(props);
	const state = props as unknown as TokenState;
	if (state.tokenId === undefined) {
		return session.withApi(http => adoptToken(kind, id, http, warn), "refresh");
	}
	remember(context, kind, id, props);
	const current = await session.withApi(async (http, _address, credential) => {
		const slot = context.batches.slot(kind, state, http, credential, true);
		return slot.shape === "single" ? slot.current() : slot.read(state.tokenId);
	}, "refresh");
	if (!current) {
		return {id: "", props: {}};
	}
	if (current.id !== state.tokenId) {
		warn(`the token of ${id} was regenerated outside Pulumi (state has ${state.tokenId}, the ${kind.ownerNoun} now has ${current.id}); `
			+ "removing it from state. The next `pulumi up` creates it again, which needs forceRegenerate: true to replace the other token.");
		return {id: "", props: {}};
	}
	return {
		id,
		props: defined({
			...withoutProvider(props),
			expiredAt: current.expiredAt ?? undefined,
			createdAt: current.createdAt ?? props.createdAt,
		}),
	};
}
