import {createHash} from "node:crypto";
import {resolveSettings, type StackConfig, type TfeSettings} from "../api/config";
import {redact, TfeApiError} from "../api/errors";
import {createHttp, type Http, type HttpOptions} from "../api/http";

/**
 * The configuration the engine handed over and the API client built from it, for every resource a provider process
 * serves (tokens and the TTL policy alike).
 */
export interface ApiSession {
	readonly namespace: string;
	configure(config: StackConfig | undefined): void;
	/** The configuration `configure` received; undefined before it (a preview with unknown settings, or an SDK that never calls it). */
	config(): StackConfig | undefined;
	/** The settings as they are now; throws the configuration's problem. */
	settings(): TfeSettings;
	/**
	 * Runs `action` with a client built from the settings as they are now; no error leaves with a secret in it.
	 * `credential` names the address and API token without holding the token (a hash), for what a run shares per
	 * credential: what one credential may see and do, another may not.
	 */
	withApi<T>(action: (http: Http, address: string, credential: string) => Promise<T>, command?: "refresh" | "destroy"): Promise<T>;
}

export function createSession(options: {env?: NodeJS.ProcessEnv; http?: Partial<HttpOptions>; namespace?: string}): ApiSession {
	const namespace = options.namespace ?? "tfe";
	let stackConfig: StackConfig | undefined;
	const settings = () => resolveSettings(stackConfig, options.env ?? process.env, namespace);
	return {
		namespace,
		configure(config) {
			stackConfig = config;
		},
		config: () => stackConfig,
		settings,
		/**
		 * `refresh` and `destroy` do not run the program, so the engine hands the provider the configuration stored by
		 * the last update: a 401 there names the flag that makes it use the current one.
		 */
		async withApi(action, command) {
			const current = settings();
			try {
				const credential = createHash("sha256").update(`${current.baseUrl}\n${current.token}`).digest("hex");
				return await action(createHttp(current, options.http), current.baseUrl, credential);
			} catch (error) {
				const e = error as Error;
				if (command && e instanceof TfeApiError && e.status === 401) {
					e.message += ` If ${namespace}:token changed since the last \`pulumi up\`: \`pulumi ${command}\` uses the configuration `
						+ `stored by that update unless it runs the program; run \`pulumi ${command} --run-program\`, or \`pulumi up\` first.`;
				}
				e.message = redact(e.message, [current.token]);
				e.stack = redact(e.stack ?? "", [current.token]);
				throw e;
			}
		},
	};
}
