import type {Http} from "./http";
import {everyPage, MAX_PAGE_SIZE, pageParameters, type ListPage, type PageOptions, toListPage} from "./paging";
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

/** go-tfe's `OrganizationListOptions`: the page to read. */
export type OrganizationListOptions = PageOptions;

export class Organizations {
	constructor(private readonly http: Http) {}

	/**
	 * One page of the names of the organizations the API token can see (`GET /organizations`). A refusal (a 404 from a
	 * server or credential without the route) fails like any other error: there is no list to go on from.
	 */
	async list(options: OrganizationListOptions = {}): Promise<ListPage<string>> {
		const query = new URLSearchParams();
		pageParameters(options, query);
		const {body} = await this.http.send({method: "GET", path: `organizations?${query}`, idempotent: true, notFoundIsError: true});
		return toListPage(body, options.pageNumber ?? 1, (data: {id?: unknown}) => String(data?.id ?? ""));
	}

	/** Every organization name the API token can see, all pages, at the largest page size. */
	async listAllNames(): Promise<string[]> {
		const names = await everyPage(page => this.list({pageNumber: page, pageSize: MAX_PAGE_SIZE}));
		return [...new Set(names.filter(validOrganizationName))];
	}

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
