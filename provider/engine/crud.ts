import type * as pulumi from "@pulumi/pulumi";
import {redact} from "../api/errors";
import type {HttpOptions} from "../api/http";
import {checkToken} from "./check";
import {createToken} from "./create-token";
import {CredentialCheck} from "./credential-check";
import {deleteToken} from "./delete";
import {diffToken} from "./diff";
import type {LifecycleContext} from "./lifecycle-context";
import {PolicyReader} from "./lifetime-policy";
import {OrganizationSettingsReader} from "./organization-settings";
import {readToken} from "./read";
import {createSession} from "./session";
import {StackRun} from "./stack-run";
import type {BatchOptions} from "./batch-options";
import {TokenBatches} from "./token-batches";
import {updateToken} from "./update";

export type {TeamTokenState, TokenState} from "./token-state";

/** What the implementation depends on; tests inject each of these. */
export interface ProviderDependencies {
	/** Environment to read TFE_* from, at call time. Default `process.env`. */
	env?: NodeJS.ProcessEnv;
	/** Clock for expiry checks and rotation. Default the system clock. */
	now?: () => Date;
	http?: Partial<HttpOptions>;
	/** Where warnings go. Default stderr, which the Pulumi CLI shows with the resource's output. */
	log?: (message: string) => void;
	/** The configuration's prefix: `tfe` (the dynamic provider's default), or the provider plugin's package name. */
	namespace?: string;
	/** What the process learns in a run, shared with the TTL policy resource it also serves. Default: its own. */
	run?: StackRun;
	/** How reads and revocations are gathered (tests shorten the window). Default: batch-options.ts. */
	batches?: BatchOptions;
}

/**
 * The dynamic provider's methods; `read` may also return the inputs of a token it adopted (`pulumi import`, which
 * only the provider plugin can serve: the engine's import passes a dynamic provider no `__provider` to load).
 */
export type TeamTokenImplementation = Required<Omit<pulumi.dynamic.ResourceProvider, "configure" | "read">>
	& Pick<pulumi.dynamic.ResourceProvider, "configure">
	& {read(id: string, props: pulumi.dynamic.ReadResult["props"]): Promise<pulumi.dynamic.ReadResult & {inputs?: Record<string, unknown>}>};

/**
 * Builds the CRUD implementation behind `teamTokenProvider`, for every kind of token: one context per provider
 * process, so that what one operation learns (the credential's account, a policy, the run's tokens) the next finds.
 */
export function createImplementation(deps: ProviderDependencies = {}): TeamTokenImplementation {
	const log = deps.log ?? ((message: string) => console.error(message));
	const run = deps.run ?? new StackRun();
	const session = createSession(deps);
	const context: LifecycleContext = {
		now: deps.now ?? (() => new Date()),
		warn: message => log(`pulumi-tfe-team-token: ${redact(message)}`),
		run,
		policies: new PolicyReader(run),
		credentials: new CredentialCheck(deps.http),
		organizations: new OrganizationSettingsReader(),
		session,
		batches: new TokenBatches(deps.batches),
		httpOptions: deps.http,
	};
	return {
		async configure(request) {
			session.configure(request.config);
		},
		check: (_olds, news) => checkToken(context, news),
		diff: async (id, olds, news) => diffToken(context, id, olds, news),
		create: props => createToken(context, props),
		read: (id, props) => readToken(context, id, props),
		update: async (_id, olds, news) => updateToken(olds, news),
		delete: (id, props) => deleteToken(context, id, props),
	};
}
