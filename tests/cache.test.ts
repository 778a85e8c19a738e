import {type ChildProcess, spawn, spawnSync} from "node:child_process";
import {once} from "node:events";
import {cpSync, existsSync, lstatSync, mkdirSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {createServer} from "node:net";
import {delimiter, dirname, join, resolve} from "node:path";
import * as grpc from "@grpc/grpc-js";
import {ResourceProviderClient} from "@pulumi/pulumi/proto/provider_grpc_pb";
import {CheckRequest, type CheckResponse, ConfigureRequest, CreateRequest, type CreateResponse, DeleteRequest} from "@pulumi/pulumi/proto/provider_pb";
import {Struct} from "google-protobuf/google/protobuf/struct_pb";
import test, {type ExecutionContext} from "ava";
import {start} from "../provider/local-api";
import {installedProject} from "./installed";
import {authenticates} from "./probe";
import {scratchDir} from "./scratch";

/*
 * The tool cache of scripts/ensure-pulumi.sh ($PTT_CACHE/pulumi/bin) is shared by every checkout and project on the
 * machine, and users put it on PATH: its dynamic-provider shim must keep working once the checkout that installed
 * it is moved or deleted. A user's own Pulumi install (stubs here, so nothing is built) is found first.
 */

const root = resolve(__dirname, "..");
const SHIM = "pulumi-resource-pulumi-nodejs";

/** What ensure-pulumi.sh reads of its checkout, copied to a folder of its own. */
function copyOfCheckout(): string {
	const checkout = scratchDir("checkout");
	for (const file of [`scripts/ensure-pulumi.sh`, "scripts/go-tools.sh", `scripts/${SHIM}`, "tools/pulumi-cli/go.mod", "tools/pulumi-language-nodejs/go.mod"]) {
		mkdirSync(dirname(join(checkout, file)), {recursive: true});
		cpSync(join(root, file), join(checkout, file));
	}
	return checkout;
}

/** A user's own `pulumi` and language host on PATH, as a regular install puts them side by side. */
function ownPulumi(): string {
	const dir = scratchDir("own-pulumi");
	writeFileSync(join(dir, "pulumi"), "#!/bin/sh\necho v3.0.0\n", {mode: 0o755});
	writeFileSync(join(dir, "pulumi-language-nodejs"), "#!/bin/sh\nexit 1\n", {mode: 0o755});
	return dir;
}

/** The environment of a process the engine starts: no NODE_PATH, so the SDK is found from the project only. */
function env(path: string, cache: string): NodeJS.ProcessEnv {
	const {NODE_PATH: _ignored, ...rest} = process.env;
	return {...rest, PATH: path, PTT_CACHE: cache};
}

/** Runs ensure-pulumi.sh from `checkout` with the stub install first on PATH; returns the cache it filled. */
function ensure(t: ExecutionContext, checkout: string, cache = scratchDir("cache")): {cache: string; path: string} {
	const path = [ownPulumi(), dirname(process.execPath), process.env.PATH].join(delimiter);
	const ran = spawnSync("bash", [join(checkout, "scripts", "ensure-pulumi.sh")], {env: env(path, cache), encoding: "utf8"});
	t.is(ran.status, 0, `${ran.stdout}\n${ran.stderr}`);
	t.regex(ran.stdout, /using pulumi from PATH: \S*own-pulumi-\w+\/pulumi/, "the user's own install comes first");
	t.false(existsSync(join(cache, "pulumi", "bin", "pulumi")), "nothing built");
	return {cache, path};
}

/** Starts the cached shim as the engine does (in the project's folder, the engine's address as argument). */
async function startHost(t: ExecutionContext, shim: string, project: string, path: string, cache: string): Promise<ResourceProviderClient> {
	// The engine's address: the provider's host watch exits the host once nothing listens there.
	const engine = createServer(socket => socket.destroy()).listen(0, "127.0.0.1");
	await once(engine, "listening");
	t.teardown(() => engine.close());
	const host: ChildProcess = spawn(shim, [`127.0.0.1:${(engine.address() as {port: number}).port}`], {cwd: project, env: env(path, cache), stdio: ["ignore", "pipe", "pipe"]});
	t.teardown(() => host.kill("SIGKILL"));
	let stderr = "";
	host.stderr!.on("data", (chunk: Buffer) => stderr += chunk);
	const [first] = await Promise.race([
		once(host.stdout!, "data") as Promise<[Buffer]>,
		once(host, "exit").then(([code]) => Promise.reject(new Error(`the host exited with ${code}: ${stderr}`))),
		once(host, "error").then(([error]) => Promise.reject(error as Error)),
	]);
	const client = new ResourceProviderClient(`127.0.0.1:${first.toString().trim()}`, grpc.credentials.createInsecure());
	t.teardown(() => client.close());
	return client;
}

/** One unary call to the host, as a promise. */
function unary<Response>(send: (callback: (error: grpc.ServiceError | null, response: Response) => void) => unknown): Promise<Response> {
	return new Promise((resolve, reject) => send((error, response) => error ? reject(error) : resolve(response)));
}

test("the cached shim outlives the checkout that installed it: it serves a TeamToken from the project's own SDK", async t => {
	// What earlier versions of ensure-pulumi.sh left: a link into a checkout since deleted.
	const cache = scratchDir("cache");
	mkdirSync(join(cache, "pulumi", "bin"), {recursive: true});
	symlinkSync(join(scratchDir("deleted-checkout"), "scripts", SHIM), join(cache, "pulumi", "bin", SHIM));
	const checkout = copyOfCheckout();
	const {path} = ensure(t, checkout, cache);
	rmSync(checkout, {recursive: true, force: true});
	t.true(lstatSync(join(cache, "pulumi", "bin", SHIM)).isFile(), "a file of its own, not a link");

	const api = await start({teams: ["team-cache1"]});
	t.teardown(() => api.close());
	const project = installedProject();
	const client = await startHost(t, join(cache, "pulumi", "bin", SHIM), project, path, cache);
	const installed = join(project, "node_modules", "pulumi-tfe-team-token", "dist", "provider", "dynamic", "serialized-provider.js");
	const {serializedProvider} = require(installed) as typeof import("../provider/dynamic/serialized-provider");
	const urn = "urn:pulumi:cache::cache::pulumi-nodejs:dynamic/tfe:TeamToken::ci";

	const configure = new ConfigureRequest();
	configure.setArgs(Struct.fromJavaScript({"tfe:hostname": api.url, "tfe:token": api.adminToken}));
	await unary(done => client.configure(configure, done));
	const check = new CheckRequest();
	check.setUrn(urn);
	check.setOlds(Struct.fromJavaScript({}));
	check.setNews(Struct.fromJavaScript({teamId: "team-cache1", description: "cache", __provider: serializedProvider(project)}));
	const checked = await unary<CheckResponse>(done => client.check(check, done));
	t.deepEqual(checked.getFailuresList().map(failure => failure.getReason()), []);

	const create = new CreateRequest();
	create.setUrn(urn);
	create.setProperties(checked.getInputs());
	const created = await unary<CreateResponse>(done => client.create(create, done));
	const outputs = created.getProperties()!.toJavaScript() as {token?: string};
	t.is(api.tokens().length, 1);
	t.true(await authenticates(api, outputs.token ?? ""), "the token the host made works");

	const remove = new DeleteRequest();
	remove.setUrn(urn);
	remove.setId(created.getId());
	remove.setProperties(created.getProperties());
	await unary(done => client.delete(remove, done));
	t.deepEqual(api.tokens(), []);
});

test("the shim names the folder it searched when no @pulumi/pulumi is found from there", t => {
	const {cache, path} = ensure(t, copyOfCheckout());
	const elsewhere = scratchDir("no-sdk");
	const ran = spawnSync(join(cache, "pulumi", "bin", SHIM), ["127.0.0.1:1"], {cwd: elsewhere, env: env(path, cache), encoding: "utf8"});
	t.is(ran.status, 1);
	t.true(ran.stderr.includes(elsewhere), ran.stderr);
	t.regex(ran.stderr, /@pulumi\/pulumi/);
});
