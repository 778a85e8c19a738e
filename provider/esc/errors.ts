import {redact, TfeApiError} from "../api/errors";

/** An answer other than 200, with the short message its JSON body carries as `error`. */
export class EscError extends Error {
	override name = "EscError";
	constructor(readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 502, message: string) {
		super(message);
	}
}

/** 401: a check of the caller's JWT, or of the request around it, failed; the message names which. */
export const unauthenticated = (message: string) => new EscError(401, message);

/** 400: the request asks for something malformed; the message names the field and what is allowed. */
export const badRequest = (message: string) => new EscError(400, message);

/**
 * Any failure as the answer ESC gets. HCP Terraform's errors are 502 with its status and message (no secret: the
 * API layer redacts them, and `secrets` are redacted again); anything unforeseen is a 500 without detail.
 */
export function toAnswer(error: unknown, secrets: readonly string[]): {status: number; message: string} {
	if (error instanceof EscError) {
		return {status: error.status, message: redact(error.message, secrets)};
	}
	if (error instanceof TfeApiError) {
		const status = error.status === 0 ? "no answer" : `status ${error.status}`;
		return {status: 502, message: redact(`HCP Terraform answered ${status}: ${error.message}`, secrets)};
	}
	return {status: 500, message: "internal error (see the adapter's log)"};
}
