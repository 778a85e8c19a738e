import {createHash} from "node:crypto";
import type * as Jose from "jose";
import {unauthenticated} from "./errors";
import {ESC_DEFAULTS, type ResolvedEscOptions} from "./options";
import {ReplayCache} from "./replay";

/** Who called, as the verified JWT says: the Pulumi organization, the environment and the rest for the log. */
export interface Caller {
	org: string;
	/** `<project>/<env>`; the legacy `default` project's environments are `default/<env>`. */
	environment: string;
	jti: string;
	triggerUser: string | undefined;
}

/** `sha256-` and the standard base64 of the SHA-256 of the bytes received, as Pulumi computes `body_hash`. */
export function bodyHash(body: Uint8Array): string {
	return `sha256-${createHash("sha256").update(body).digest("base64")}`;
}

const SUBJECT = /^pulumi:environments:org:([^:]+):env:(.+)$/;

/**
 * The environment from `sub` (`pulumi:environments:org:<org>:env:<project>/<env>`, without `<project>/` in the
 * legacy `default` project), else from `current_env`, which examples show as `<project>/<env>` and as `<org>/<env>`.
 */
function environmentOf(payload: Record<string, unknown>, org: string): string {
	const subject = typeof payload.sub === "string" ? SUBJECT.exec(payload.sub) : null;
	if (subject) {
		if (subject[1] !== org) {
			throw unauthenticated(`jwt: sub names organization ${subject[1]}, org claim is ${org}`);
		}
		return subject[2]!.includes("/") ? subject[2]! : `default/${subject[2]}`;
	}
	const current = payload.current_env;
	if (typeof current === "string" && current.includes("/")) {
		return current;
	}
	throw unauthenticated("jwt: neither sub nor current_env names the environment");
}

/**
 * jose is an ES module only; importing it when the first request arrives keeps `require` of this package working on
 * every Node.js it supports, and the library out of processes that never verify a JWT.
 */
let jose: Promise<typeof Jose> | undefined;
const loadJose = () => (jose ??= import("jose"));

/** What each of jose's failures means, worded as the check that failed; the token itself is never in it. */
function checkThatFailed(errors: typeof Jose.errors, error: unknown): string {
	if (error instanceof errors.JWTExpired) return error.claim === "iat" ? "jwt: iat too old or in the future" : "jwt: expired";
	if (error instanceof errors.JWTClaimValidationFailed) {
		switch (error.claim) {
			case "iss":
				return "jwt: iss not allowed";
			case "aud":
				return "jwt: aud does not match this route's URL";
			case "iat":
				return `jwt: iat ${error.reason === "check_failed" ? "too old or in the future" : "missing or invalid"}`;
			case "nbf":
				return "jwt: not valid yet (nbf)";
			default:
				return `jwt: ${error.claim} claim ${error.reason === "missing" ? "missing" : "invalid"}`;
		}
	}
	if (error instanceof errors.JOSEAlgNotAllowed) return "jwt: alg must be RS256";
	if (error instanceof errors.JWKSNoMatchingKey) return "jwt: unknown kid";
	if (error instanceof errors.JWSSignatureVerificationFailed) return "jwt: signature does not verify";
	// A failed fetch of the keys reaches here as fetch's own error, not as one of jose's.
	if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
		return "jwt: the JWKS could not be fetched";
	}
	return "jwt: malformed";
}

export interface Verifier {
	/**
	 * Runs every authentication check on the raw request, before anything in it is parsed: the bearer JWT's
	 * signature (RS256, key by `kid`), `iss`, `aud` (this route's public URL), `exp` and `iat`, `body_hash` against
	 * the bytes received, and `jti` against replay. Throws a 401 EscError naming the failed check.
	 */
	verify(authorization: string | undefined, body: Uint8Array, route: string): Promise<Caller>;
}

export function createVerifier(options: ResolvedEscOptions): Verifier {
	let keys: Jose.JWTVerifyGetKey | undefined;
	const keysOf = (library: typeof Jose) => (keys ??= options.jwks
		? library.createLocalJWKSet(options.jwks as Jose.JSONWebKeySet)
		: library.createRemoteJWKSet(new URL(options.jwksUrl), {
			cooldownDuration: options.jwksRefetchCooldownMs,
			cacheMaxAge: options.jwksCacheMs,
			timeoutDuration: ESC_DEFAULTS.jwksTimeoutMs,
		}));
	const replays = new ReplayCache();
	return {
		async verify(authorization, body, route) {
			const jwt = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
			if (!jwt) {
				throw unauthenticated("jwt: no bearer token in the Authorization header");
			}
			const library = await loadJose();
			let header;
			try {
				header = library.decodeProtectedHeader(jwt);
			} catch {
				throw unauthenticated("jwt: malformed");
			}
			// Before any key is looked up: no `none`, no HMAC keyed with a public key.
			if (header.alg !== "RS256") {
				throw unauthenticated("jwt: alg must be RS256");
			}
			if (typeof header.kid !== "string" || header.kid === "") {
				throw unauthenticated("jwt: no kid in the header");
			}
			const now = options.now();
			let payload: Record<string, unknown>;
			try {
				({payload} = await library.jwtVerify(jwt, keysOf(library), {
					algorithms: ["RS256"],
					issuer: [...options.issuers],
					audience: `${options.publicUrl}${route}`,
					clockTolerance: options.clockSkewSeconds,
					maxTokenAge: options.maxTokenAgeSeconds,
					requiredClaims: ["exp", "iat", "jti", "org", "body_hash"],
					currentDate: now,
				}));
			} catch (error) {
				throw unauthenticated(checkThatFailed(library.errors, error));
			}
			if (payload.body_hash !== bodyHash(body)) {
				throw unauthenticated("jwt: body_hash mismatch");
			}
			const {jti, org} = payload;
			if (typeof jti !== "string" || jti === "" || typeof org !== "string" || org === "") {
				throw unauthenticated("jwt: jti and org must be non-empty strings");
			}
			const environment = environmentOf(payload, org);
			// Last, so a request refused for another reason does not use up its jti.
			const until = (payload.exp as number + options.clockSkewSeconds) * 1000;
			if (!replays.accept(jti, until, now.getTime())) {
				throw unauthenticated("jwt: jti replayed");
			}
			return {org, environment, jti, triggerUser: typeof payload.trigger_user === "string" ? payload.trigger_user : undefined};
		},
	};
}
