import type {HttpOptions} from "../api/http";
import type {TokenKind} from "../kinds";
import type {CredentialCheck} from "./credential-check";
import type {PolicyReader} from "./lifetime-policy";
import type {OrganizationSettingsReader} from "./organization-settings";
import type {ApiSession} from "./session";
import type {StackRun} from "./stack-run";
import type {TokenBatches} from "./token-batches";

/**
 * What every lifecycle operation of a token shares, built once per provider process by `createImplementation`:
 * the readers cache their answers for the whole run, so check, create and the rest must reach the same ones.
 */
export interface LifecycleContext {
	now: () => Date;
	/** Prefixes and redacts, then hands the message to the provider's log. */
	warn: (message: string) => void;
	run: StackRun;
	policies: PolicyReader;
	credentials: CredentialCheck;
	organizations: OrganizationSettingsReader;
	session: ApiSession;
	/** Team-token reads and revocations gathered across the resources the process serves at once. */
	batches: TokenBatches;
	/** For a client built outside `session.withApi` (check runs before the settings are final). */
	httpOptions?: Partial<HttpOptions>;
}

/** Remembers a token of the stack for the TTL policy's preview, which names the tokens it would cut off. */
export function remember(context: LifecycleContext, kind: TokenKind, id: string, state: {tokenId?: unknown}): void {
	if (typeof state.tokenId === "string") {
		context.run.see({tokenId: state.tokenId, resource: `${kind.resource} ${id}`});
	}
}
