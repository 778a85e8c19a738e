import type {Http} from "./http";
import {createBody, findDescribedSince, pageQuery, relatedId, type TokenData, type TokenRecord, toTokenRecord} from "./token-document";
import {everyPage, toListPage} from "./paging";
import {InvalidUserIdError, tokenPath, validUserId} from "./validation";

/**
 * User tokens (HashiCorp docs "User tokens API reference"; go-tfe user_token.go): several per user, created and
 * listed on the user, read and revoked by id. Only a user token may call these routes, and only for its own user.
 */
export interface UserTokenCreateOptions {
	description?: string;
	/** RFC 3339 instant; omitted lets the server apply its default lifetime. */
	expiredAt?: string;
}

/** A token read by id, with whether its answer names a team, organization or agent pool (then it is no user token). */
export interface UserTokenRecord extends TokenRecord {
	hasOtherOwner: boolean;
}

function userPath(userId: string): string {
	if (!validUserId(userId)) {
		throw new InvalidUserIdError();
	}
	return `users/${userId}/authentication-tokens`;
}

const notFound = (userId: string) =>
	`User ${userId} does not exist, or the API token may not manage its tokens (the API answers 404 for both; only the `
	+ "user's own user token may).";

export class UserTokens {
	constructor(private readonly http: Http) {}

	/**
	 * Creates one more token for the user. Never retried after a 5xx or network error: if the first attempt took
	 * effect, a second could leave a token that no state knows of.
	 */
	async create(userId: string, options: UserTokenCreateOptions): Promise<TokenRecord> {
		const {body} = await this.http.send({
			method: "POST",
			path: userPath(userId),
			json: createBody(options),
			idempotent: false,
			notFoundHint: notFound(userId),
		});
		return toTokenRecord((body as {data?: TokenData})?.data);
	}

	/**
	 * The user's token with this description created at or after `since`, after a lost answer to a create.
	 * Descriptions may repeat, so `since` is what tells a lost create from the token it replaces.
	 */
	async find(userId: string, description: string, since: Date): Promise<TokenRecord | undefined> {
		return findDescribedSince(this.http, userPath(userId), description, since, `the user ${userId}`);
	}

	/** Every token of the user, all pages; none when the list is refused (404: another user's, or the user is gone). */
	async listAll(userId: string): Promise<TokenRecord[]> {
		return everyPage(async page => {
			const {status, body} = await this.http.send({method: "GET", path: `${userPath(userId)}?${pageQuery(page)}`, idempotent: true});
			return status === 404 ? undefined : toListPage(body, page, (data: TokenData) => toTokenRecord(data));
		});
	}

	/** A token by id, or undefined when it no longer exists (or belongs to another user: the API answers 404). */
	async read(tokenId: string): Promise<UserTokenRecord | undefined> {
		const {status, body} = await this.http.send({method: "GET", path: tokenPath(tokenId), idempotent: true});
		if (status === 404) {
			return undefined;
		}
		const data = (body as {data?: TokenData})?.data;
		const hasOtherOwner = ["team", "organization", "agent-pool"].some(name => relatedId(data, name) !== null);
		return {...toTokenRecord(data), hasOtherOwner};
	}

	/** Revokes a token by id. False when it did not exist. */
	async delete(tokenId: string): Promise<boolean> {
		const {status} = await this.http.send({method: "DELETE", path: tokenPath(tokenId), idempotent: true});
		return status !== 404;
	}
}
