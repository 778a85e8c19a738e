import type {Http} from "./http";
import {everyPage, organizationList, toListPage} from "./paging";
import {pageQuery} from "./token-document";

/**
 * The organization's teams (go-tfe team.go `List`: `GET /organizations/:name/teams`) and agent pools (agent_pool.go
 * `List`: `GET /organizations/:name/agent-pools`), read for what tokens only point at by id: a name.
 */
export type NamedCollection = "teams" | "agent-pools";

export interface NamedResource {
	id: string;
	/** Null when the API gave none. */
	name: string | null;
}

type Data = {id?: unknown; attributes?: {name?: unknown}};

const toNamed = (data: Data): NamedResource => ({
	id: String(data?.id ?? ""),
	name: typeof data?.attributes?.name === "string" ? data.attributes.name : null,
});

/** Every team or agent pool of the organization, all pages. */
export function listNamed(http: Http, organization: string, collection: NamedCollection): Promise<NamedResource[]> {
	return everyPage(async page => {
		const {body} = await http.send(organizationList(organization, `${collection}?${pageQuery(page)}`));
		return toListPage(body, page, toNamed);
	});
}
