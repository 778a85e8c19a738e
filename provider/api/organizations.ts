import type {Http} from "./http";
import {InvalidOrganizationError, validOrganizationName} from "./validation";

/** The organization settings this package reads (go-tfe organization.go). */
export interface OrganizationSettings {
	name: string;
	/** `user-tokens-enabled` (go-tfe #1225): false when the organization refuses user tokens. Absent counts as true. */
	userTokensEnabled: boolean;
	/**
	 * `max-ttl-enabled`: whether the organization enforces its token TTL policies (terraform-provider-tfe's
	 * `tfe_organization.max_ttl_enabled`, default false). Undefined where the server does not report it (one older
	 * than the policies).
	 */
	maxTtlEnabled: boolean | undefined;
}

export class Organizations {
	constructor(private readonly http: Http) {}

	/** The organization's settings, or undefined when it does not exist or the API token cannot see it (404). */
	async read(organization: string): Promise<OrganizationSettings | undefined> {
		if (!validOrganizationName(organization)) {
			throw new InvalidOrganizationError();
		}
		const {status, body} = await this.http.send({method: "GET", path: `organizations/${organization}`, idempotent: true});
		if (status === 404) {
			return undefined;
		}
		const attributes = (body as {data?: {attributes?: Record<string, unknown>}})?.data?.attributes ?? {};
		const maxTtlEnabled = attributes["max-ttl-enabled"];
		return {
			name: organization,
			userTokensEnabled: attributes["user-tokens-enabled"] !== false,
			maxTtlEnabled: typeof maxTtlEnabled === "boolean" ? maxTtlEnabled : undefined,
		};
	}
}
