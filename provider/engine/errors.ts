/**
 * Errors of the token lifecycle: a create that may not take a token, or a token the engine cannot keep. Their
 * messages name token ids and owners, never a token value.
 */

/**
 * Create found a token in its way that it may not take: the owner's single token (without `forceRegenerate`), or a
 * token with the same description. `token` describes it: id, maker, creation time, use.
 */
export class TokenExistsError extends Error {
	override name = "TokenExistsError";
	constructor(readonly owner: string, readonly tokenId: string, token: string, init: {rule: string; waysOut: string; revokeRoute: string; description?: string}) {
		const what = init.description === undefined ? "A token already exists" : `A token described ${JSON.stringify(init.description)} already exists`;
		super(
			`${what} for ${owner}: ${token}. It may be in use elsewhere, so it is left alone (${init.rule}). `
				+ `Ways out: ${init.waysOut}or, if nobody needs it, revoke it by hand (${init.revokeRoute}) and run \`pulumi up\` again.`,
		);
	}
}

/** A legacy create whose token was replaced by someone else's POST before it could be recorded. */
export class LegacyTokenRaceError extends Error {
	override name = "LegacyTokenRaceError";
	constructor(readonly owner: string, ours: string, theirs: string) {
		super(
			`The single token of ${owner} changed right after this create: it now has ${theirs}, which revoked `
				+ `the ${ours} just made (nothing was recorded). Another stack or person regenerated it at the same moment; `
				+ "make one of them the token's only manager, then run `pulumi up` again (with `forceRegenerate: true` to take it over).",
		);
	}
}

/** The token the server issued expires sooner than `rotateBeforeDays`, so every run would rotate it again. */
export class RotationWindowError extends Error {
	override name = "RotationWindowError";
	constructor(tokenId: string, expiredAt: string, lifetimeDays: number, rotateBeforeDays: number) {
		super(
			`The server gave the new token ${tokenId} a lifetime of ${lifetimeDays.toFixed(1)} days (it expires at ${expiredAt}), `
				+ `less than rotateBeforeDays (${rotateBeforeDays}): it would be rotated again at every run. It has been revoked. `
				+ `Set rotateBeforeDays below ${Math.floor(lifetimeDays)}, or give a longer expiresInDays if the server allows it.`,
		);
	}
}
