import {createProvider} from "../policy/dispatch";
import {watchEngineIfHost} from "./host-watch";

/*
 * The dynamic provider behind every class of the package: check, diff, create, read, update and delete of each
 * kind of token and of the TTL policy. This module's exports are the provider itself, because the dynamic-provider
 * host loads it through the `require` that every resource stores as `__provider` (see serialized-provider.ts). Loaded there, it also makes
 * the host end with its engine (host-watch.ts).
 */
watchEngineIfHost();

export = createProvider();
