import type {Http} from "../api/http";
import {OrganizationTokens} from "../api/organization-tokens";
import {TeamTokens} from "../api/team-tokens";
import type {TokenRecord} from "../api/token-document";
import {DEFAULT_MAX_TTL_MS, type TtlTokenType} from "../api/token-ttl-policies";
import {cutOff, formatDays} from "../engine/lifetime-policy";
import {DAY_MS} from "../engine/rotation";
import type {StackRun} from "../engine/stack-run";

/** Token ids named in one sentence at most; the count says how many there are. */
const NAMED = 10;

/**
 * The organization's tokens of a type other than `user`, without values: every team token (all pages, as the audit
 * reads them), the organization and the audit-trail token by reading them.
 */
async function tokensOf(http: Http, organization: string, type: Exclude<TtlTokenType, "user">): Promise<TokenRecord[]> {
	if (type === "team") {
		return new TeamTokens(http).listAll(organization);
	}
	const token = await new OrganizationTokens(http, type === "organization" ? "organization" : "audit-trails").read(organization);
	return token ? [token] : [];
}

const days = (ms: number) => `${formatDays(ms / DAY_MS)} days`;

function ids(tokens: readonly TokenRecord[]): string {
	const shown = tokens.slice(0, NAMED).map(token => token.id).join(", ");
	return tokens.length > NAMED ? `${shown} and ${tokens.length - NAMED} more` : shown;
}

/**
 * One sentence per token type whose maximum the policy shortens: how many of the organization's live tokens of the
 * type the new limit cuts off at once or ends before their expiry, and which of those this stack manages, as far as
 * the engine has shown them to this process.
 */
export async function cutOffReport(
	http: Http,
	organization: string,
	current: ReadonlyMap<TtlTokenType, number> | undefined,
	planned: ReadonlyMap<TtlTokenType, number>,
	run: StackRun,
	now: Date,
): Promise<string[]> {
	const sentences: string[] = [];
	for (const [type, maxMs] of planned) {
		const before = current?.get(type) ?? DEFAULT_MAX_TTL_MS;
		if (maxMs >= before) {
			continue;
		}
		const change = `${type} tokens from ${days(before)} to ${days(maxMs)}`;
		// User tokens are listed only for the credential's own user (`GET /users/:id/authentication-tokens`, with a user
		// token), never for an organization.
		if (type === "user") {
			sentences.push(`${change}: not counted, the API lists user tokens only for the credential's own user, not for an organization.`);
			continue;
		}
		const live = (await tokensOf(http, organization, type)).filter(token => !token.expiredAt || Date.parse(token.expiredAt) > now.getTime());
		const atOnce = live.filter(token => cutOff(token, maxMs, now) === "now");
		const early = live.filter(token => cutOff(token, maxMs, now) === "early");
		if (atOnce.length + early.length === 0) {
			sentences.push(`${change}: none of the organization's ${live.length} live ${type} tokens outlives it.`);
			continue;
		}
		const ours = [...atOnce, ...early].flatMap(token => {
			const seen = run.seen(token.id);
			return seen ? [`${token.id} (${seen.resource})`] : [];
		});
		sentences.push(`${change}: cuts off ${atOnce.length} of the organization's ${live.length} live ${type} tokens at once`
			+ `${atOnce.length ? ` (${ids(atOnce)})` : ""} and ends ${early.length} more before their expiry${early.length ? ` (${ids(early)})` : ""}; `
			+ `of these, this stack manages ${ours.length ? ours.join(", ") : "none the engine has shown this provider yet"}.`);
	}
	return sentences;
}
