import type {Http} from "./http";
import {createBody, type TokenData, type TokenRecord, toTokenRecord} from "./token-document";
import {InvalidOrganizationError, validOrganizationName} from "./validation";

/**
 * The organization's two single tokens on one route: its organization token, and with `?token=audit-trails` its
 * audit-trail token (HashiCorp docs "Organization tokens API" and "Audit trail tokens API"; go-tfe
 * organization_token.go). A POST replaces the token, so the organization has at most one of each.
 */
export type OrganizationTokenType = "organization" | "audit-trails";

export interface OrganizationTokenCreateOptions {
	/** RFC 3339 instant; omitted lets the server apply its default lifetime. */
	expiredAt?: string;
}

const notFound = (organization: string) =>
	`Organization ${organization} does not exist, or the API token has no access to it (the API answers 404 for both; `
	+ "only the owners team, its team token and the organization token may manage organization tokens).";

export class OrganizationTokens {
	constructor(private readonly http: Http, readonly type: OrganizationTokenType) {}

	/** The route, from a validated name only, so no input can address another endpoint. */
	path(organization: string): string {
		if (!validOrganizationName(organization)) {
			throw new InvalidOrganizationError();
		}
		const query = this.type === "audit-trails" ? "?token=audit-trails" : "";
		return `organizations/${organization}/authentication-token${query}`;
	}

	/** Generates the token, revoking the previous one. Safe to retry: the end state is the same. */
	async generate(organization: string, options: OrganizationTokenCreateOptions = {}): Promise<TokenRecord> {
		const {body} = await this.http.send({
			method: "POST",
			path: this.path(organization),
			json: createBody(options),
			idempotent: true,
			notFoundHint: notFound(organization),
		});
		return toTokenRecord((body as {data?: TokenData})?.data);
	}

	/** The current token (without its secret), or undefined when there is none. */
	async read(organization: string): Promise<TokenRecord | undefined> {
		const {status, body} = await this.http.send({method: "GET", path: this.path(organization), idempotent: true});
		return status === 404 ? undefined : toTokenRecord((body as {data?: TokenData})?.data);
	}

	/** Revokes the current token. False when there was none. */
	async delete(organization: string): Promise<boolean> {
		const {status} = await this.http.send({method: "DELETE", path: this.path(organization), idempotent: true});
		return status !== 404;
	}
}
