import {readFileSync} from "node:fs";
import {homedir} from "node:os";
import {join} from "node:path";
import {redact, TfeConfigError} from "./errors";

/**
 * Where the provider finds its API address and token, in order:
 * 1. stack config `tfe:hostname`, `tfe:token` (secret), `tfe:sslSkipVerify`, handed to `configure`;
 * 2. the environment: `TFE_ADDRESS` (a full base URL, as go-tfe reads it), `TFE_HOSTNAME`, `TFE_TOKEN`,
 *    `TF_TOKEN_<host>` (Terraform CLI's convention), `TFE_SSL_SKIP_VERIFY`;
 * 3. for the token only, the Terraform CLI credentials file (`~/.terraform.d/credentials.tfrc.json`, written by
 *    `terraform login`), looked up by hostname.
 * The default address is https://app.terraform.io.
 */
export interface TfeSettings {
	/** Origin of the API, e.g. `https://app.terraform.io`; requests go to `${baseUrl}/api/v2/...`. */
	readonly baseUrl: string;
	readonly hostname: string;
	readonly token: string;
	/** Where the token came from, for error messages (never the token itself). */
	readonly tokenSource: string;
	readonly sslSkipVerify: boolean;
	/** The configuration's prefix the settings were read under (`tfe`, or the plugin's), for messages that name a key. */
	readonly namespace: string;
}

/** Stack configuration as `configure` receives it: namespaced keys such as `tfe:token`. */
export interface StackConfig {
	get(key: string): string | undefined;
}

export const DEFAULT_HOSTNAME = "app.terraform.io";

/** The settings stack configuration holds, each under the front door's namespace (`tfe:token`, `tfe-tokens:token`). */
export const SETTING_NAMES = ["hostname", "token", "sslSkipVerify"] as const;

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function nonEmpty(value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed ? trimmed : undefined;
}

/** Accepts `host`, `host:port` or a full URL; plain http is refused unless the host is loopback. */
function parseAddress(address: string, field: string): URL {
	let url: URL;
	try {
		url = new URL(address.includes("://") ? address : `https://${address}`);
	} catch {
		throw new TfeConfigError(`${field} must be a hostname (app.terraform.io) or a URL (https://tfe.example.com); got an invalid value.`);
	}
	if (url.protocol !== "https:" && url.protocol !== "http:") {
		throw new TfeConfigError(`${field} must use https (or http on a loopback host); got ${url.protocol}`);
	}
	if (url.protocol === "http:" && !isLoopback(url.hostname)) {
		throw new TfeConfigError(`${field}: plain http is only allowed to loopback hosts (127.0.0.1, localhost); use https for ${url.hostname}.`);
	}
	// Requests always go to <origin>/api/v2/: a path, query or fragment would be dropped without a word. Only the
	// path is shown; a query, fragment or user part may carry a secret.
	const refused = [
		url.pathname === "/" ? undefined : `the path ${redact(url.pathname)}`,
		url.search ? "the query (not shown)" : undefined,
		url.hash ? "the fragment (not shown)" : undefined,
		url.username || url.password ? "the user part before @ (not shown)" : undefined,
	].filter(part => part !== undefined);
	if (refused.length > 0) {
		throw new TfeConfigError(`${field} must be a host or an origin such as https://tfe.example.com, without a path, query, fragment or user `
			+ `(requests always go to <origin>/api/v2/): ${refused.join(" and ")} ${refused.length === 1 ? "is" : "are"} refused; use ${url.origin} instead.`);
	}
	return url;
}

function parseBool(value: string | undefined, field: string): boolean {
	if (value === undefined || value === "") {
		return false;
	}
	if (/^(1|true)$/i.test(value)) {
		return true;
	}
	if (/^(0|false)$/i.test(value)) {
		return false;
	}
	throw new TfeConfigError(`${field} must be true or false; got "${value}".`);
}

function tokenFromCredentialsFile(hostname: string, home: string): string | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(readFileSync(join(home, ".terraform.d", "credentials.tfrc.json"), "utf8"));
	} catch {
		// A missing or unreadable file simply offers no token; the caller explains what to configure.
		return undefined;
	}
	const entry = (parsed as {credentials?: Record<string, {token?: unknown}>})?.credentials?.[hostname];
	return typeof entry?.token === "string" ? nonEmpty(entry.token) : undefined;
}

/** Terraform CLI's `TF_TOKEN_<host>`: dots become underscores, dashes may be written as double underscores. */
function tokenFromTerraformEnv(hostname: string, env: NodeJS.ProcessEnv): string | undefined {
	const plain = `TF_TOKEN_${hostname.replaceAll(".", "_")}`;
	return nonEmpty(env[plain]) ?? nonEmpty(env[plain.replaceAll("-", "__")]);
}

/**
 * Resolves the settings at the moment a request is about to be made. Throws `TfeConfigError`. `namespace` is the
 * configuration's prefix: `tfe` for the dynamic provider, the plugin's package name for the provider plugin.
 */
export function resolveSettings(stack: StackConfig | undefined, env: NodeJS.ProcessEnv = process.env, namespace = "tfe"): TfeSettings {
	const fromStack = nonEmpty(stack?.get(`${namespace}:hostname`));
	const fromAddress = nonEmpty(env.TFE_ADDRESS);
	const fromHostname = nonEmpty(env.TFE_HOSTNAME);
	const [address, field] = fromStack
		? [fromStack, `${namespace}:hostname`]
		: fromAddress
			? [fromAddress, "TFE_ADDRESS"]
			: [fromHostname ?? DEFAULT_HOSTNAME, "TFE_HOSTNAME"];
	const url = parseAddress(address, field);
	const hostname = url.host;

	const candidates: [string | undefined, string][] = [
		[nonEmpty(stack?.get(`${namespace}:token`)), `stack config ${namespace}:token`],
		[nonEmpty(env.TFE_TOKEN), "TFE_TOKEN"],
		[tokenFromTerraformEnv(hostname, env), "TF_TOKEN_ environment variable"],
		[tokenFromCredentialsFile(hostname, env.HOME ?? homedir()), "credentials.tfrc.json"],
	];
	const found = candidates.find(([value]) => value !== undefined);
	if (!found) {
		throw new TfeConfigError(
			`No API token for ${hostname}. Set it with \`pulumi config set --secret ${namespace}:token <token>\`, `
				+ `the TFE_TOKEN environment variable, or \`terraform login ${hostname}\`.`,
		);
	}

	const skip = nonEmpty(stack?.get(`${namespace}:sslSkipVerify`));
	return {
		baseUrl: url.origin,
		hostname,
		token: found[0]!,
		tokenSource: found[1],
		namespace,
		sslSkipVerify: skip !== undefined ? parseBool(skip, `${namespace}:sslSkipVerify`) : parseBool(env.TFE_SSL_SKIP_VERIFY, "TFE_SSL_SKIP_VERIFY"),
	};
}
