import type {Http} from "./http";
import {TfeApiError} from "./errors";
import {InvalidOrganizationError, validOrganizationName} from "./validation";

/**
 * The organization's maximum token lifetimes (go-tfe organization_token_ttl_policy.go: `GET
 * /organizations/:name/token-ttl-policies`, type `organization-token-ttl-policies`, attributes `token-type` and
 * `max-ttl-ms`). The policies API spells the audit-trail type `audit_trails`, unlike the token route's
 * `audit-trails`.
 */
export type TtlTokenType = "organization" | "team" | "user" | "audit_trails";

export class TokenTtlPolicies {
	constructor(private readonly http: Http) {}

	/**
	 * Maximum lifetime in ms per token type, or undefined when the policies cannot be read: a 404 (a Terraform
	 * Enterprise release without the API, or no access) or a 403 (no permission). Then nothing is enforced here.
	 */
	async list(organization: string): Promise<Map<TtlTokenType, number> | undefined> {
		if (!validOrganizationName(organization)) {
			throw new InvalidOrganizationError();
		}
		let answer;
		try {
			answer = await this.http.send({method: "GET", path: `organizations/${organization}/token-ttl-policies`, idempotent: true});
		} catch (error) {
			if (error instanceof TfeApiError && error.status === 403) {
				return undefined;
			}
			throw error;
		}
		if (answer.status === 404) {
			return undefined;
		}
		const items = (answer.body as {data?: {attributes?: {"token-type"?: unknown; "max-ttl-ms"?: unknown}}[]})?.data ?? [];
		const policies = new Map<TtlTokenType, number>();
		for (const item of items) {
			const type = item.attributes?.["token-type"];
			const ms = item.attributes?.["max-ttl-ms"];
			if (typeof type === "string" && typeof ms === "number" && ms > 0) {
				policies.set(type as TtlTokenType, ms);
			}
		}
		return policies;
	}
}
