import type {Http} from "../api/http";
import type {CreateContext} from "../engine/create";
import {formatDuration} from "./duration";
import {badRequest} from "./errors";
import type {Owner} from "./owner";
import type {IssuedToken} from "./request";
import type {Sweeper} from "./sweep";
import type {TfeClient, TtlLimit} from "./tfe-client";

/** What /open and /rotate need besides the request: the client, the sweep, the clock and where the engine's warnings go. */
export interface ActionContext {
	client: TfeClient;
	sweeper: Sweeper;
	now: () => Date;
	warn: (message: string) => void;
}

/** An issued token, and how to take it back when the answer carrying it cannot be delivered. */
export interface Issued {
	answer: IssuedToken & {standby?: IssuedToken | null};
	revoke: () => Promise<unknown>;
}

export function createContext(context: ActionContext, http: Http): CreateContext {
	return {whoAmI: () => context.client.me(http), now: context.now, warn: context.warn};
}

/** The organization's TTL policy refuses a lifetime above it: a 400 that names the limit, before anything is created. */
export async function checkTtlPolicy(context: ActionContext, http: Http, owner: Owner, lifetimeMs: number, field: string, asked: string): Promise<void> {
	const limit: TtlLimit | undefined = await context.client.ttlLimit(http, owner);
	if (limit && lifetimeMs > limit.maxMs) {
		throw badRequest(`${field} ${asked} is above the token TTL policy of the HCP Terraform organization ${limit.organization}: `
			+ `${limit.type} tokens live at most ${formatDuration(limit.maxMs)}`);
	}
}
