import type {Http} from "./http";

/** The id of the user (or team) the API token acts as, as tokens' `created-by` names it. */
export async function whoAmI(http: Http): Promise<string | undefined> {
	const {body} = await http.send({method: "GET", path: "account/details", idempotent: true});
	const id = (body as {data?: {id?: unknown}})?.data?.id;
	return typeof id === "string" ? id : undefined;
}
