import {LegacyTokenRaceError, TeamTokenExistsError, TfeApiError} from "./errors";
import {describeToken, isOwnUnrecordedCreate, type Judge, OWN_CREATE_RULE} from "./ownership";
import type {TeamTokenRecord, TeamTokens} from "./team-tokens";

/** What a create needs besides the API: the clock and where warnings go. */
export interface CreateContext {
	api: TeamTokens;
	now: () => Date;
	warn: (message: string) => void;
}

export interface LegacyCreate {
	teamId: string;
	forceRegenerate: boolean;
	expiredAt?: string;
}

export interface DescribedCreate {
	teamId: string;
	description: string;
	expiredAt?: string;
}

/** POSTs of one described create, the first included: each failed one is followed by a lookup. */
export const DESCRIBED_CREATE_ATTEMPTS = 5;

async function judge(context: CreateContext): Promise<Judge> {
	return {me: await context.api.whoAmI(), now: context.now()};
}

/**
 * Creates the team's legacy token. Without `forceRegenerate` a token already on the team is replaced only when it
 * is this stack's own unrecorded create (see ownership.ts); and because another POST may land between the check
 * and ours, the team's token is read once more afterwards, so that such a race fails loudly instead of leaving
 * state with a revoked token.
 */
export async function createLegacy(context: CreateContext, request: LegacyCreate): Promise<TeamTokenRecord> {
	const {api} = context;
	if (request.forceRegenerate) {
		return api.generateLegacy(request.teamId, {expiredAt: request.expiredAt});
	}
	const existing = await api.readLegacy(request.teamId);
	if (existing) {
		const facts = await judge(context);
		if (!isOwnUnrecordedCreate(existing, facts)) {
			throw new TeamTokenExistsError(request.teamId, existing.id, describeToken(existing, facts), OWN_CREATE_RULE);
		}
		context.warn(`replacing ${describeToken(existing, facts)} on team ${request.teamId}: it is this stack's own create `
			+ "whose answer never reached the state (an interrupted update).");
	}
	const created = await api.generateLegacy(request.teamId, {expiredAt: request.expiredAt});
	const current = await api.readLegacy(request.teamId);
	if (current?.id !== created.id) {
		throw new LegacyTokenRaceError(request.teamId, created.id, current ? current.id : "no token");
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
 * Creates a described token. A POST whose answer is lost (a 5xx or a dropped connection) may have acted, and a
 * 422 "already taken" may be this stack's own earlier create whose answer never reached state. Either way the
 * token with the description is looked up: none, and the POST is sent again; this stack's own unrecorded create
 * (see ownership.ts), and it is revoked and the POST sent again; anyone else's, and the create fails naming it.
 * So no token is left that no state knows of, and a transient fault costs a retry, not a failed update.
 */
export async function createDescribed(context: CreateContext, request: DescribedCreate): Promise<TeamTokenRecord> {
	const {api} = context;
	let facts: Judge | undefined;
	for (let attempt = 1; ; attempt++) {
		let failure: TfeApiError;
		try {
			return await api.createDescribed(request.teamId, {description: request.description, expiredAt: request.expiredAt});
		} catch (error) {
			if (!lostOrTaken(error)) {
				throw error;
			}
			failure = error;
		}
		let found: TeamTokenRecord | undefined;
		try {
			// The list is paged, and changes made meanwhile can shift a token onto a page already read: look twice.
			found = await api.findDescribed(request.teamId, request.description) ?? await api.findDescribed(request.teamId, request.description);
			facts = {me: facts?.me ?? await api.whoAmI(), now: context.now()};
		} catch {
			failure.message += ` Could not check whether the API created it: look for a token described "${request.description}" on team ${request.teamId}.`;
			throw failure;
		}
		if (found && !isOwnUnrecordedCreate(found, facts)) {
			throw new TeamTokenExistsError(request.teamId, found.id, describeToken(found, facts), OWN_CREATE_RULE, request.description);
		}
		if (found) {
			await api.delete(found.id);
			context.warn(`revoked ${describeToken(found, facts)} on team ${request.teamId}: it is this stack's own create `
				+ `whose answer was lost (${failure.status === 422 ? "an interrupted update" : failure.message}); creating it again.`);
		}
		if (attempt >= DESCRIBED_CREATE_ATTEMPTS) {
			failure.message += ` Gave up after ${attempt} creates; no token was left behind. Run the update again.`;
			throw failure;
		}
	}
}
