import {schema} from "./schema";

/**
 * The schema as the plugin serves it. The bundle of the release archives (scripts/release/bundle.ts) holds this
 * text computed at build time instead, and so loads none of the modules the schema is made from.
 */
export const schemaText = JSON.stringify(schema);
