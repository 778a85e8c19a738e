import type {ExecutionContext} from "ava";
import type {LocalApiOptions} from "../../provider/local-api";
import {createEngineStack, type EngineStack} from "./engine";

export {type EngineStack} from "./engine";
export {authenticates, requestsOf} from "../probe";

/** The engine stack of engine.ts for one test: AVA runs its teardowns last-registered first, as engine.ts needs. */
export function engineStack(t: ExecutionContext, apiOptions: LocalApiOptions = {}, dist?: string): Promise<EngineStack> {
	return createEngineStack(action => t.teardown(action), apiOptions, dist);
}

/** A request made by hand, as an admin would outside Pulumi, to change what a stack manages behind its back. */
export async function byHand(url: string, adminToken: string, method: string, path: string): Promise<void> {
	const response = await fetch(`${url}/api/v2/${path}`, {method, headers: {authorization: `Bearer ${adminToken}`, "content-type": "application/vnd.api+json"}});
	await response.body?.cancel();
}
