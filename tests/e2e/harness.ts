import type {ExecutionContext} from "ava";
import type {LocalApiOptions} from "../../provider/local-api";
import {createEngineStack, type EngineStack} from "./engine";

export {type EngineStack} from "./engine";
export {authenticates, requestsOf} from "../probe";

/** The engine stack of engine.ts for one test: AVA runs its teardowns last-registered first, as engine.ts needs. */
export function engineStack(t: ExecutionContext, apiOptions: LocalApiOptions = {}, dist?: string): Promise<EngineStack> {
	return createEngineStack(action => t.teardown(action), apiOptions, dist);
}
