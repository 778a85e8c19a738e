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

/** Every token type the policies API knows, in the order it lists them. */
export const TTL_TOKEN_TYPES: readonly TtlTokenType[] = ["organization", "team", "user", "audit_trails"];

/**
 * The lifetime the API lists for a type no policy sets, and what terraform-provider-tfe's delete restores: two years
 * of 365.2425 days, 63,113,904,000 ms.
 */
export const DEFAULT_MAX_TTL_MS = 63_113_904_000;

function policiesPath(organization: string): string {
	if (!validOrganizationName(organization)) {
		throw new InvalidOrganizationError();
	}
	return `organizations/${organization}/token-ttl-policies`;
}

function toMap(body: unknown): Map<TtlTokenType, number> {
	const items = (body as {data?: {attributes?: {"token-type"?: unknown; "max-ttl-ms"?: unknown}}[]})?.data ?? [];
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

export class TokenTtlPolicies {
	constructor(private readonly http: Http) {}

	/**
	 * Maximum lifetime in ms per token type, or undefined when the policies cannot be read: a 404 (a Terraform
	 * Enterprise release without the API, or no access) or a 403 (no permission). Then nothing is enforced here.
	 */
	async list(organization: string): Promise<Map<TtlTokenType, number> | undefined> {
		let answer;
		try {
			answer = await this.http.send({method: "GET", path: policiesPath(organization), idempotent: true});
		} catch (error) {
			if (error instanceof TfeApiError && error.status === 403) {
				return undefined;
			}
			throw error;
		}
		return answer.status === 404 ? undefined : toMap(answer.body);
	}

	/**
	 * Sets the listed types' maximum lifetimes (`PATCH`, body `data.attributes.token-ttl-policies`, go-tfe v2's
	 * OpenAPI spec) and returns every policy as the API answers. Safe to retry: the end state is the same.
	 */
	async update(organization: string, maxTtlMs: ReadonlyMap<TtlTokenType, number>): Promise<Map<TtlTokenType, number>> {
		const {status, body} = await this.http.send({
			method: "PATCH",
			path: policiesPath(organization),
			json: {
				data: {
					type: "organization-token-ttl-policies",
					attributes: {"token-ttl-policies": [...maxTtlMs].map(([type, ms]) => ({"token-type": type, "max-ttl-ms": ms}))},
				},
			},
			idempotent: true,
		});
		if (status === 404) {
			throw new TfeApiError({
				status,
				method: "PATCH",
				path: policiesPath(organization),
				hint: `Organization ${organization} does not exist, the API token has no access to it, or the server has no token TTL policies `
					+ "(HCP Terraform has them; Terraform Enterprise from 2.0.1).",
			});
		}
		return toMap(body);
	}
}
