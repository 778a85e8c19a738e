import {implementation} from "../engine/crud";
import {watchEngineIfHost} from "./host-watch";

/*
 * The dynamic provider behind `TeamToken`: check, diff, create, read, update and delete of HCP Terraform team
 * tokens. This module's exports are the provider itself, because the dynamic-provider host loads it through the
 * `require` that every TeamToken stores as `__provider` (see serialized-provider.ts). Loaded there, it also makes
 * the host end with its engine (host-watch.ts).
 */
watchEngineIfHost();

export = implementation;
