/** Why an attempt got no answer, worded for the user, and whether another attempt could get one. */
export interface NoAnswer {
	detail: string;
	/** False when every attempt would end the same way, so retrying only delays the error. */
	transient: boolean;
}

type SystemError = Error & {code?: unknown; reason?: unknown};

/** fetch wraps the error worth showing (ky: NetworkError, then TypeError "fetch failed", then the socket's). */
function rootCause(error: Error): SystemError {
	let current: Error = error;
	while (current.cause instanceof Error) {
		current = current.cause;
	}
	return current;
}

/**
 * Reads a failed fetch. A TLS handshake that fails with a protocol error (OpenSSL's ERR_SSL_*, EPROTO on older Node)
 * is not transient: the server spoke, and it will say the same next time. The commonest is https to a plain-http
 * server, such as the local API addressed as `127.0.0.1:PORT`: OpenSSL reads its "HTTP/1.1 400" as a TLS record of
 * a "wrong version number".
 */
export function noAnswer(error: unknown, host: string): NoAnswer {
	if (!(error instanceof Error)) {
		return {detail: String(error), transient: true};
	}
	const cause = rootCause(error);
	const code = typeof cause.code === "string" ? cause.code : "";
	if (!code.startsWith("ERR_SSL_") && code !== "EPROTO") {
		// Only what fetch wrapped is from the network; an AggregateError of refused connections has no message.
		return {detail: cause === error ? error.message : `network error: ${cause.message || code}`, transient: true};
	}
	const reason = typeof cause.reason === "string" ? cause.reason : cause.message;
	if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number/i.test(reason)) {
		return {
			detail: `the server at ${host} does not speak TLS (the TLS handshake failed: ${reason}); for the local API, `
				+ `or another plain-http server on a loopback host, use http://${host}`,
			transient: false,
		};
	}
	return {detail: `the TLS handshake with ${host} failed: ${reason} (${code})`, transient: false};
}
