import type {Http} from "./http";

/**
 * Whom the API token acts as, from `GET /account/details`. HCP Terraform answers it for team and organization
 * tokens too, with a service account made for the team or organization (`is-service-account` true, go-tfe's
 * `User.IsServiceAccount`): that flag is what tells a user token from the others.
 */
export interface Account {
	/** The user id (`user-...`), as tokens' `created-by` names it. */
	id: string;
	username: string | null;
	isServiceAccount: boolean;
}

/** The account the API token acts as; undefined when the answer names none. */
export async function accountDetails(http: Http): Promise<Account | undefined> {
	const {body} = await http.send({method: "GET", path: "account/details", idempotent: true});
	const data = (body as {data?: {id?: unknown; attributes?: Record<string, unknown>}})?.data;
	if (typeof data?.id !== "string") {
		return undefined;
	}
	const username = data.attributes?.username;
	return {id: data.id, username: typeof username === "string" ? username : null, isServiceAccount: data.attributes?.["is-service-account"] === true};
}

/** The id of the user (or team) the API token acts as, as tokens' `created-by` names it. */
export async function whoAmI(http: Http): Promise<string | undefined> {
	return (await accountDetails(http))?.id;
}
