import {spawn} from "node:child_process";
import {EventEmitter, once} from "node:events";
import {mkdirSync, writeFileSync} from "node:fs";
import {createServer, type Server} from "node:net";
import {join} from "node:path";
import test from "ava";
import {watchEngine, watchEngineIfHost} from "../provider/dynamic/host-watch";
import {scratchDir} from "./scratch";

async function listeningServer(): Promise<{server: Server; address: string}> {
	const server = createServer(socket => socket.destroy());
	server.listen(0, "127.0.0.1");
	await once(server, "listening");
	return {server, address: `127.0.0.1:${(server.address() as {port: number}).port}`};
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

test("the watch leaves the host alone while the engine listens, and exits it once the engine is gone", async t => {
	const {server, address} = await listeningServer();
	const exits: number[] = [];
	const watch = watchEngine({engine: address, intervalMs: 20, exit: code => exits.push(code), stderr: new EventEmitter()});
	t.teardown(() => watch.stop());
	await sleep(150);
	t.deepEqual(exits, [], "the engine still listens");
	server.close();
	const started = Date.now();
	while (exits.length === 0 && Date.now() - started < 2000) await sleep(20);
	t.is(exits[0], 1);
});

test("a broken stderr (no one reads the host any more) exits it at once", t => {
	const stderr = new EventEmitter();
	const exits: number[] = [];
	const watch = watchEngine({engine: "127.0.0.1:1", intervalMs: 60_000, exit: code => exits.push(code), stderr});
	t.teardown(() => watch.stop());
	stderr.emit("error", Object.assign(new Error("write EPIPE"), {code: "EPIPE"}));
	t.deepEqual(exits, [1]);
});

test("only the dynamic-provider host is watched, however the engine's script names its entry point", t => {
	t.is(watchEngineIfHost(["/usr/bin/node", "/repo/node_modules/ava/entrypoints/cli.mjs"]), undefined);
	t.is(watchEngineIfHost(["/usr/bin/node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider"]), undefined, "no engine address");
	for (const script of ["/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"]) {
		const watch = watchEngineIfHost(["/usr/bin/node", script, "127.0.0.1:1"]);
		t.truthy(watch, script);
		watch?.stop();
	}
});

test("a host that loaded the provider ends by itself when its engine goes away", async t => {
	const {server, address} = await listeningServer();
	t.teardown(() => server.close());
	// Where the engine's plugin script points node, so that the provider module sees itself loaded by the host.
	const dir = join(scratchDir("host"), "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider");
	mkdirSync(dir, {recursive: true});
	writeFileSync(join(dir, "index.js"), [
		`require(${JSON.stringify(require.resolve("../dist/provider/provider.js"))});`,
		// The SDK host's gRPC server keeps its process alive; this stands for it.
		"setInterval(() => {}, 1000);",
		"console.log('ready');",
	].join("\n"));
	const host = spawn(process.execPath, [join(dir, "index.js"), address], {stdio: ["ignore", "pipe", "inherit"]});
	t.teardown(() => host.kill("SIGKILL"));
	await once(host.stdout, "data");
	await sleep(300);
	t.is(host.exitCode, null, "alive while the engine listens");
	server.close();
	const [code] = await Promise.race([once(host, "exit"), sleep(10_000).then(() => ["still running"])]);
	t.is(code, 1);
});
