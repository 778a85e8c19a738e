import {withoutProvider} from "./token-state";

/** Inputs that can change without a new token; every other input change replaces it. */
export const UPDATABLE = ["forceRegenerate", "rotateBeforeDays"] as const;

/** A token's `update`: nothing to ask the API, only the in-place inputs to carry into state. */
export function updateToken(olds: Record<string, unknown>, news: Record<string, unknown>): {outs: Record<string, unknown>} {
	const outs: Record<string, unknown> = withoutProvider({...olds});
	for (const key of UPDATABLE) {
		if (news[key] === undefined || news[key] === null) {
			delete outs[key];
		} else {
			outs[key] = news[key];
		}
	}
	return {outs};
}
