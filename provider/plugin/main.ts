#!/usr/bin/env node
/*
 * The executable `pulumi-resource-tfe-tokens`: the engine starts it with its own address and reads the port it
 * prints. Its own messages go to the engine's log; an error that escapes a call ends the process with it printed.
 */
import {servePlugin} from "./server";

/** Settles once the plugin serves and has loaded the engine: the release's start-up script then saves Node's compile cache. */
export const started = servePlugin(process.argv.slice(2)).catch((error: Error) => {
	console.error(`pulumi-resource-tfe-tokens: ${error.message}`);
	process.exit(1);
});
