import type {LocalApi} from "../provider/local-api";

/** The status `GET /account/details` answers for a credential: 200 while the token works, 401 once revoked. */
export async function accountStatus(url: string, token: string): Promise<number> {
	const response = await fetch(`${url}/api/v2/account/details`, {headers: {authorization: `Bearer ${token}`}});
	await response.body?.cancel();
	return response.status;
}

/** Whether the API accepts the token, to prove a token works or has been revoked. */
export async function authenticates(api: LocalApi, token: string): Promise<boolean> {
	return (await accountStatus(api.url, token)) === 200;
}

/** The team-token requests the API received, as "METHOD path status"; credential probes are left out. */
export function requestsOf(api: LocalApi): string[] {
	return api.requests().filter(r => !r.path.endsWith("/account/details")).map(r => `${r.method} ${r.path.replace(/^\/api\/v2/, "")} ${r.status}`);
}
