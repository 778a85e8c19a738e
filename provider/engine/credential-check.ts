import {createHash} from "node:crypto";
import {type Account, accountDetails} from "../api/account";
import type {TfeSettings} from "../api/config";
import {redact, TfeApiError} from "../api/errors";
import {createHttp, type HttpOptions} from "../api/http";

/**
 * Whether the API accepts the configured credential, asked once per API address and credential for the life of the
 * provider process, that is once per `pulumi preview` or `up`: one `GET /account/details`, which every resource's
 * `check` shares. A rejected credential fails every request of `up`, so a 401 fails the preview instead. So does no
 * answer at all within the request deadline (180 s, retries included): every request of `up` would meet the same,
 * and failing here keeps a whole run within that one bound instead of adding the check's wait to it. Any other
 * answer (a 5xx, a 429, a 403) proves nothing about the credential and says nothing: `up` meets it itself.
 */
export class CredentialCheck {
	// Keyed by a hash so the map holds no token.
	private readonly answers = new Map<string, Promise<{account?: Account; problem?: string}>>();

	constructor(private readonly http: Partial<HttpOptions> = {}) {}

	/** Why every request with this credential would fail, naming where it came from (never the token), or undefined. */
	async problem(settings: TfeSettings, namespace: string): Promise<string | undefined> {
		return (await this.answer(settings, namespace)).problem;
	}

	/** The account the credential acts as, from the same one request; undefined when the answer proved nothing. */
	async account(settings: TfeSettings, namespace: string): Promise<Account | undefined> {
		return (await this.answer(settings, namespace)).account;
	}

	private answer(settings: TfeSettings, namespace: string): Promise<{account?: Account; problem?: string}> {
		const key = createHash("sha256").update(`${settings.baseUrl}\n${settings.token}`).digest("hex");
		let answer = this.answers.get(key);
		if (!answer) {
			answer = accountDetails(createHttp(settings, this.http)).then(
				account => ({account}),
				(error: unknown) => {
					if (!(error instanceof TfeApiError)) {
						return {};
					}
					if (error.status === 401) {
						return {problem: rejected(error, settings, namespace)};
					}
					return error.status === 0 ? {problem: `${error.message} Every request of \`pulumi up\` would meet the same.`} : {};
				},
			);
			this.answers.set(key, answer);
		}
		return answer;
	}
}

function rejected(error: TfeApiError, settings: TfeSettings, namespace: string): string {
	const setting = `stack config ${namespace}:token`;
	const fix = settings.tokenSource === setting
		? `Set a valid one with \`pulumi config set --secret ${namespace}:token <token>\`.`
		: `Replace it there, or set one with \`pulumi config set --secret ${namespace}:token <token>\`, which takes precedence.`;
	return redact(`the API token (from ${settings.tokenSource}) was rejected by ${settings.hostname}: GET /api/v2/account/details answered `
		+ `401${error.title ? ` ${error.title}` : ""}, so every request of \`pulumi up\` would fail. ${fix}`, [settings.token]);
}
