import type {IncomingMessage, ServerResponse} from "node:http";
import {fetchHandler} from "./fetch-handler";
import {nodeHandler} from "./node-handler";
import {type EscAdapterOptions, resolveEscOptions} from "./options";
import {createService} from "./service";

export {ESC_DEFAULTS, PULUMI_CLOUD_ISSUER, PULUMI_CLOUD_JWKS_URL, type EscAdapterOptions} from "./options";
export {loadPolicy, parsePolicy, PolicyError, type Grant, type Policy} from "./policy";
export {resolveSettings, type TfeSettings} from "../api/config";

/** The adapter for Pulumi ESC's `fn::open::external` and `fn::rotate::external` (docs/esc.md), to mount anywhere. */
export interface EscAdapter {
	/** For `http.createServer` / `https.createServer`, or a framework that hands on Node's request and response. */
	node: (req: IncomingMessage, res: ServerResponse) => void;
	/** For serverless platforms and Fetch API frameworks. */
	fetch: (request: Request) => Promise<Response>;
	/** Revokes every expired token the adapter issued to the owners the policy names; answers how many. */
	sweep: () => Promise<number>;
	/** Stops the scheduled sweep and the expiry timers. */
	close: () => void;
}

/**
 * Builds the adapter. The policy, the public URL and the HCP Terraform settings are required; every other option
 * has its default in ESC_DEFAULTS. Scheduled sweeps start at once unless `sweepIntervalMs` is 0 (their timers do
 * not keep a process alive).
 */
export function createEscAdapter(options: EscAdapterOptions): EscAdapter {
	const service = createService(resolveEscOptions(options));
	service.sweeper.start();
	return {
		node: nodeHandler(service),
		fetch: fetchHandler(service),
		sweep: () => service.sweeper.scanAll(),
		close: () => service.sweeper.stop(),
	};
}
