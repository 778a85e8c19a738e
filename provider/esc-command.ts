import {readFileSync} from "node:fs";
import {createServer as createHttpServer, type RequestListener, type Server} from "node:http";
import {createServer as createHttpsServer} from "node:https";
import type {AddressInfo} from "node:net";
import {resolveSettings} from "./api/config";
import {parseFlags} from "./command-flags";
import {createEscAdapter, ESC_DEFAULTS, loadPolicy} from "./esc";

export const ESC_ADAPTER_USAGE = `Usage: pulumi-tfe-team-token esc-adapter --policy FILE [flags]

Serves Pulumi ESC's fn::open::external (POST /open) and fn::rotate::external (POST /rotate) with HCP Terraform
tokens, and GET /healthz (docs/esc.md). Its own HCP Terraform credential and address come from TFE_TOKEN and
TFE_ADDRESS / TFE_HOSTNAME, as the audit command's do. The first line on stdout names the URL it listens on; then
one JSON line per request.

Flags (environment variable used when the flag is absent):
  --policy FILE          the grants, YAML or JSON (required)                    ESC_ADAPTER_POLICY
  --public-url URL       the base URL ESC calls; a JWT's aud must be it plus     ESC_ADAPTER_PUBLIC_URL
                         /open or /rotate (default: the URL it listens on)
  --listen HOST:PORT     where to listen (default 0.0.0.0:8443; port 0 picks)   ESC_ADAPTER_LISTEN
  --tls-cert FILE        the TLS certificate chain, PEM                         ESC_ADAPTER_TLS_CERT
  --tls-key FILE         its private key, PEM                                   ESC_ADAPTER_TLS_KEY
  --insecure-http        plain HTTP, only behind a TLS-terminating proxy
  --issuer ISS           an allowed JWT issuer, repeatable                      ESC_ADAPTER_ISSUERS (comma separated)
                         (default ${ESC_DEFAULTS.issuers.join(", ")})
  --jwks-url URL         the issuer's keys (default ${ESC_DEFAULTS.jwksUrl})
                                                                                ESC_ADAPTER_JWKS_URL
  -h, --help             print this help

Exit status: 0 after SIGTERM or SIGINT, 2 a usage or configuration error, 1 another failure.
`;

export class EscUsageError extends Error {}

interface EscCommand {
	policy: string;
	publicUrl: string | undefined;
	host: string;
	port: number;
	tls: {cert: string; key: string} | undefined;
	issuers: string[] | undefined;
	jwksUrl: string | undefined;
}

function parse(args: readonly string[], env: NodeJS.ProcessEnv): EscCommand | "help" {
	const values = parseFlags(args, {
		policy: {type: "string"},
		"public-url": {type: "string"},
		listen: {type: "string"},
		"tls-cert": {type: "string"},
		"tls-key": {type: "string"},
		"insecure-http": {type: "boolean"},
		issuer: {type: "string", multiple: true},
		"jwks-url": {type: "string"},
	}, EscUsageError);
	if (values === "help") {
		return "help";
	}
	const policy = values.policy ?? env.ESC_ADAPTER_POLICY;
	if (!policy) {
		throw new EscUsageError("--policy FILE is required (or ESC_ADAPTER_POLICY): without grants every request would be refused");
	}
	const listen = values.listen ?? env.ESC_ADAPTER_LISTEN ?? "0.0.0.0:8443";
	const match = /^(.+):(\d{1,5})$/.exec(listen);
	if (!match || Number(match[2]) > 65_535) {
		throw new EscUsageError(`--listen must be HOST:PORT (e.g. 0.0.0.0:8443, 127.0.0.1:0); got ${JSON.stringify(listen)}`);
	}
	const cert = values["tls-cert"] ?? env.ESC_ADAPTER_TLS_CERT;
	const key = values["tls-key"] ?? env.ESC_ADAPTER_TLS_KEY;
	if ((cert === undefined) !== (key === undefined)) {
		throw new EscUsageError("--tls-cert and --tls-key go together: give both, or --insecure-http behind a TLS proxy");
	}
	if (cert !== undefined && values["insecure-http"]) {
		throw new EscUsageError("--insecure-http and --tls-cert/--tls-key exclude each other");
	}
	if (cert === undefined && !values["insecure-http"]) {
		throw new EscUsageError("ESC calls https URLs only: give --tls-cert and --tls-key, or --insecure-http when a TLS-terminating proxy is in front");
	}
	const issuers = values.issuer ?? env.ESC_ADAPTER_ISSUERS?.split(",").map(issuer => issuer.trim()).filter(Boolean);
	return {
		policy,
		publicUrl: values["public-url"] ?? env.ESC_ADAPTER_PUBLIC_URL,
		host: match[1]!.replace(/^\[(.*)\]$/, "$1"),
		port: Number(match[2]),
		tls: cert === undefined ? undefined : {cert: cert, key: key!},
		issuers: issuers?.length ? issuers : undefined,
		jwksUrl: values["jwks-url"] ?? env.ESC_ADAPTER_JWKS_URL,
	};
}

function readPem(file: string, flag: string): string {
	try {
		return readFileSync(file, "utf8");
	} catch (error) {
		throw new EscUsageError(`${flag} ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
	}
}

export interface EscIo {
	env: NodeJS.ProcessEnv;
	out: (text: string) => void;
	err: (text: string) => void;
}

/** Starts the adapter's server; resolves with it once it listens (the first stdout line written). */
export async function runEscAdapter(args: readonly string[], io: EscIo): Promise<Server | undefined> {
	const command = parse(args, io.env);
	if (command === "help") {
		io.out(ESC_ADAPTER_USAGE);
		return undefined;
	}
	let policy;
	try {
		policy = loadPolicy(command.policy);
	} catch (error) {
		throw new EscUsageError((error as Error).message);
	}
	const tfe = resolveSettings(undefined, io.env);
	const tls = command.tls && {cert: readPem(command.tls.cert, "--tls-cert"), key: readPem(command.tls.key, "--tls-key")};
	if (!tls) {
		io.err("WARNING: --insecure-http: serving plain HTTP. JWTs and issued tokens cross the network in clear text unless a "
			+ "TLS-terminating proxy sits in front of this port; never expose it directly.\n");
	}
	// The handler is built once the port is known: with port 0 the public URL is the one the server got.
	let handler: RequestListener | undefined;
	const serve: RequestListener = (req, res) => handler!(req, res);
	const server = tls ? createHttpsServer(tls, serve) : createHttpServer(serve);
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(command.port, command.host, () => resolve());
	});
	const {port} = server.address() as AddressInfo;
	const host = command.host.includes(":") ? `[${command.host}]` : command.host;
	const listening = `${tls ? "https" : "http"}://${host}:${port}`;
	const publicUrl = command.publicUrl ?? listening.replace("//0.0.0.0:", "//127.0.0.1:");
	let adapter;
	try {
		adapter = createEscAdapter({
			policy,
			publicUrl,
			tfe,
			...(command.issuers ? {issuers: command.issuers} : {}),
			...(command.jwksUrl ? {jwksUrl: command.jwksUrl} : {}),
			log: line => io.out(`${line}\n`),
		});
	} catch (error) {
		server.close();
		throw error instanceof RangeError ? new EscUsageError(error.message) : error;
	}
	handler = adapter.node;
	io.out(`esc adapter listening on ${listening}\n`);
	if (command.publicUrl === undefined) {
		io.err(`--public-url not given: JWTs must name ${publicUrl}/open or ${publicUrl}/rotate as their aud\n`);
	}
	server.once("close", () => adapter.close());
	return server;
}
