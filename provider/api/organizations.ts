import type {Http} from "./http";
import {InvalidOrganizationError, validOrganizationName} from "./validation";

/**
 * Whether the organization enforces its token TTL policies: its `max-ttl-enabled` attribute (`GET
 * /organizations/:name`; terraform-provider-tfe's `tfe_organization.max_ttl_enabled`, default false). Undefined when
 * the organization cannot be read or does not report it (a server older than the policies).
 */
export async function maxTtlEnabled(http: Http, organization: string): Promise<boolean | undefined> {
	if (!validOrganizationName(organization)) {
		throw new InvalidOrganizationError();
	}
	const {status, body} = await http.send({method: "GET", path: `organizations/${organization}`, idempotent: true});
	const enabled = (body as {data?: {attributes?: Record<string, unknown>}})?.data?.attributes?.["max-ttl-enabled"];
	return status === 404 || typeof enabled !== "boolean" ? undefined : enabled;
}
