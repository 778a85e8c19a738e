import type {Http} from "./http";
import {MAX_PAGES, pageQuery, relatedId, type TokenData, toTokenRecord} from "./token-document";
import type {TeamTokenRecord} from "./team-tokens";
import {InvalidOrganizationError, validOrganizationName} from "./validation";

/**
 * Every team token of the organization (`GET /organizations/:name/team-tokens`, 100 a page, every page in turn at
 * the client's pace), without their values. Undefined when the list cannot be read (404: no such organization, no
 * access, or a server without the route).
 */
export async function listTeamTokens(http: Http, organization: string): Promise<TeamTokenRecord[] | undefined> {
	if (!validOrganizationName(organization)) {
		throw new InvalidOrganizationError();
	}
	const tokens: TeamTokenRecord[] = [];
	for (let page = 1; page <= MAX_PAGES; page++) {
		const {status, body} = await http.send({method: "GET", path: `organizations/${organization}/team-tokens?${pageQuery(page)}`, idempotent: true});
		if (status === 404) {
			return undefined;
		}
		const list = body as {data?: TokenData[]; meta?: {pagination?: {"next-page"?: number | null}}};
		tokens.push(...(list?.data ?? []).map(data => ({...toTokenRecord(data), teamId: relatedId(data, "team") ?? ""})));
		if (!list?.meta?.pagination?.["next-page"]) {
			return tokens;
		}
	}
	throw new Error(`the organization ${organization} lists more than ${MAX_PAGES * 100} team tokens`);
}
