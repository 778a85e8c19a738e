import test from "ava";
import {execFileSync, spawn} from "node:child_process";
import {once} from "node:events";
import {readFileSync, writeFileSync} from "node:fs";
import {request as httpsRequest} from "node:https";
import {join} from "node:path";
import {createInterface} from "node:readline";
import {redact} from "../provider/api/errors";
import {start} from "../provider/local-api";
import {jwtFor, ORG, POLICY, serve, signingKey} from "./esc-harness";
import {scratchDir} from "./scratch";

// The CLI runs from source through ts-node, as the local-api CLI tests run it.
function runCli(args: string[], env: Record<string, string> = {}) {
	const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "provider/cli.ts", "esc-adapter", ...args], {
		cwd: `${__dirname}/..`,
		env: {...process.env, TFE_TOKEN: "", TFE_ADDRESS: "", TFE_HOSTNAME: "", ESC_ADAPTER_POLICY: "", ...env},
		stdio: ["ignore", "pipe", "pipe"],
	});
	const lines = createInterface({input: child.stdout})[Symbol.asyncIterator]();
	let stderr = "";
	child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
	const exited = once(child, "close") as Promise<[number | null, NodeJS.Signals | null]>;
	return {child, nextLine: async () => (await lines.next()).value as string | undefined, exited, stderr: () => stderr};
}

function policyFile(text = POLICY): string {
	const file = join(scratchDir("esc-policy"), "policy.yaml");
	writeFileSync(file, text);
	return file;
}

test("CLI: usage mistakes exit 2 naming the flag or field", async t => {
	const cases: [string[], Record<string, string>, RegExp][] = [
		[["--insecure-http"], {}, /--policy FILE is required/],
		[["--policy", policyFile(), "--insecure-http", "--bogus"], {}, /Unknown option '--bogus'/],
		[["--policy", policyFile(), "--insecure-http", "extra"], {}, /Unexpected argument 'extra'/],
		[["--policy", policyFile()], {TFE_TOKEN: "x".repeat(20)}, /give --tls-cert and --tls-key, or --insecure-http/],
		[["--policy", policyFile(), "--tls-cert", "c.pem", "--insecure-http"], {}, /--tls-cert and --tls-key go together/],
		[["--policy", policyFile("grants: [{pulumiOrganization: a, environments: [ci]}]"), "--insecure-http"], {TFE_TOKEN: "x".repeat(20)}, /grants\[0\]\.environments\[0\]/],
		[["--policy", policyFile(), "--insecure-http", "--listen", "nowhere"], {}, /--listen must be HOST:PORT/],
		[["--policy", policyFile(), "--insecure-http", "--listen", "127.0.0.1:0"], {HOME: scratchDir("home")}, /No API token/],
	];
	for (const [args, env, message] of cases) {
		const cli = runCli(args, env);
		t.deepEqual(await cli.exited, [2, null], cli.stderr());
		t.regex(cli.stderr(), message);
	}
});

test("CLI: --insecure-http warns loudly, prints its URL first, serves opens with a log line each, and exits 0 on SIGTERM", async t => {
	const api = await start({teams: ["team-abc1"]});
	t.teardown(() => api.close());
	const key = await signingKey();
	const jwks = await serve(t, (_req, res) => void res.writeHead(200, {"content-type": "application/json"}).end(JSON.stringify({keys: [key.jwk]})));
	const cli = runCli(["--policy", policyFile(), "--insecure-http", "--listen", "127.0.0.1:0", "--public-url", "https://esc-adapter.example.com",
		"--jwks-url", jwks.url], {TFE_TOKEN: api.adminToken, TFE_ADDRESS: api.url});
	t.teardown(() => cli.child.kill("SIGKILL"));
	const first = await cli.nextLine();
	const url = /^esc adapter listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first ?? "")?.[1];
	t.truthy(url, redact(`${first} ${cli.stderr()}`, [api.adminToken]));
	t.regex(cli.stderr(), /WARNING: --insecure-http.*TLS-terminating proxy/s);
	t.deepEqual(await (await fetch(`${url}/healthz`)).json(), {ok: true});
	const body = new TextEncoder().encode(JSON.stringify({team: "team-abc1", ttl: "5m"}));
	const jwt = await jwtFor(key, "/open", body);
	const answer = await fetch(`${url}/open`, {method: "POST", headers: {authorization: `Bearer ${jwt}`, "content-type": "application/json"}, body});
	const opened = await answer.json() as {token: string; tokenId: string};
	t.is(answer.status, 200, redact(JSON.stringify(opened)));
	t.like(JSON.parse((await cli.nextLine())!), {route: "/healthz", status: 200});
	const line = (await cli.nextLine())!;
	t.like(JSON.parse(line), {route: "/open", org: ORG, tokenId: opened.tokenId, status: 200});
	t.false(line.includes(opened.token));
	cli.child.kill("SIGTERM");
	t.deepEqual(await cli.exited, [0, null]);
});

test("CLI: with --tls-cert and --tls-key it serves https, and the public URL defaults to the one it listens on", async t => {
	const dir = scratchDir("tls");
	const [cert, keyFile] = [join(dir, "cert.pem"), join(dir, "key.pem")];
	execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", cert, "-days", "1",
		"-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], {stdio: "ignore"});
	const cli = runCli(["--policy", policyFile(), "--tls-cert", cert, "--tls-key", keyFile, "--listen", "127.0.0.1:0"], {TFE_TOKEN: "x".repeat(20), TFE_ADDRESS: "http://127.0.0.1:9"});
	t.teardown(() => cli.child.kill("SIGKILL"));
	const url = /^esc adapter listening on (https:\/\/127\.0\.0\.1:\d+)$/.exec((await cli.nextLine()) ?? "")?.[1];
	t.truthy(url, cli.stderr());
	// Written to stderr right after the stdout line, which may arrive first.
	for (let wait = 0; wait < 50 && !cli.stderr().includes("JWTs must name"); wait++) await new Promise(resolve => setTimeout(resolve, 100));
	t.regex(cli.stderr(), new RegExp(`JWTs must name ${url!.replace(/\./g, "\\.")}/open`));
	const status = await new Promise<number>((resolve, reject) => {
		httpsRequest(`${url}/healthz`, {ca: readFileSync(cert)}, res => {
			res.resume();
			resolve(res.statusCode ?? 0);
		}).on("error", reject).end();
	});
	t.is(status, 200);
	cli.child.kill("SIGINT");
	t.deepEqual(await cli.exited, [0, null]);
});
