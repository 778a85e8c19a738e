import {spawn} from "node:child_process";
import {join} from "node:path";
import {performance} from "node:perf_hooks";
import {PLUGIN} from "../scripts/release/platforms";
import {FLOOR, floorArchive, NODE_FLOOR, nodeFloorArchive, ourArchive, unpacked} from "./plugins";
import {type Figure, median, progress} from "./support";

/*
 * Figure 13: the provider plugin's time to ready, as the engine waits for it: from exec to the port on stdout. Ours
 * is the launcher of this machine's release archive, unpacked as the engine installs it; the floor is the do-nothing
 * Go plugin (plugins.ts); the Node.js floor is the same do-nothing plugin on our plugin's runtime, gRPC server and
 * protobuf code, in an archive built as ours is: what no Node.js plugin serving gRPC this way can beat; the bare
 * runtime is the archive's own Node.js printing a line. Started in turn, so a slow moment of the machine lands on all
 * four.
 */

const STARTS = 21;
/** Issue 28's aim: ready in the time a Go plugin is. */
const RATIO_GOAL = 1.05;

/** Milliseconds from spawning `command` to the first line on its stdout; the process is then killed. */
function timeToReady(command: string, args: string[]): Promise<number> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(command, args, {stdio: ["ignore", "pipe", "ignore"]});
		let output = "";
		child.on("error", reject);
		child.on("exit", code => reject(new Error(`${command} exited with ${code} before printing a line: ${JSON.stringify(output)}`)));
		child.stdout.on("data", (chunk: Buffer) => {
			output += chunk;
			if (!output.includes("\n")) return;
			const ms = performance.now() - started;
			child.removeAllListeners("exit");
			child.kill("SIGKILL");
			resolve(ms);
		});
	});
}

export async function pluginReady(): Promise<Figure> {
	const ours = unpacked(await ourArchive());
	const floor = unpacked(floorArchive());
	const nodeFloor = unpacked(await nodeFloorArchive());
	const subjects = {
		ours: () => timeToReady(join(ours, PLUGIN), []),
		floor: () => timeToReady(join(floor, `pulumi-resource-${FLOOR.name}`), []),
		nodeFloor: () => timeToReady(join(nodeFloor, `pulumi-resource-${NODE_FLOOR.name}`), []),
		runtime: () => timeToReady(join(ours, "node", "node"), ["-e", "process.stdout.write('0\\n')"]),
	};
	const runs: Record<keyof typeof subjects, number[]> = {ours: [], floor: [], nodeFloor: [], runtime: []};
	// The first start of each reads its files from disk; the figure is of a start the machine has seen before.
	for (const start of Object.values(subjects)) await start();
	for (let i = 0; i < STARTS; i++) {
		for (const [name, start] of Object.entries(subjects) as [keyof typeof subjects, () => Promise<number>][]) runs[name].push(await start());
	}
	const medians = {ours: median(runs.ours), floor: median(runs.floor), nodeFloor: median(runs.nodeFloor), runtime: median(runs.runtime)};
	progress(`time to ready, medians of ${STARTS}: ours ${medians.ours.toFixed(1)} ms, Go floor ${medians.floor.toFixed(1)} ms, `
		+ `Node.js floor ${medians.nodeFloor.toFixed(1)} ms, bare runtime ${medians.runtime.toFixed(1)} ms`);
	const ms = (value: number) => `${value.toFixed(1)} ms`;
	const ratio = (measure: string, a: number, b: number) =>
		({measure: `provider plugin: exec to port on stdout, ${measure}`, value: `${ms(a)} / ${ms(b)} = ${(a / b).toFixed(2)} (medians of ${STARTS})`, goal: "reported", met: true});
	return {
		id: "13",
		title: "Provider plugin start-up",
		rows: [
			{
				measure: "provider plugin: exec to port on stdout, ours / do-nothing Go plugin",
				value: `${ms(medians.ours)} / ${ms(medians.floor)} = ${(medians.ours / medians.floor).toFixed(2)} (medians of ${STARTS})`,
				goal: `<= ${RATIO_GOAL}`,
				met: medians.ours / medians.floor <= RATIO_GOAL,
			},
			ratio("ours / do-nothing Node.js plugin (the Node.js floor)", medians.ours, medians.nodeFloor),
			ratio("Node.js floor / Go floor", medians.nodeFloor, medians.floor),
			{
				measure: "provider plugin: exec to port on stdout, ours - bare runtime (the archive's node printing a line)",
				value: `${ms(medians.ours)} - ${ms(medians.runtime)} = ${ms(medians.ours - medians.runtime)}`,
				goal: "reported",
				met: true,
			},
		],
		notes: [
			`12: ours: the launcher of this machine's release archive (PTT_RELEASE_DIR's, else built by the bench), unpacked into a new folder; `
				+ `floor: pulumi-resource-${FLOOR.name} (tools/floor-provider, the Pulumi Go SDK's provider.Main around a server that does nothing); `
				+ `Node.js floor: pulumi-resource-${NODE_FLOOR.name} (tools/floor-provider-node, the same server on the SDK's grpc-js and protobuf code, `
				+ "bundled, launched and compile-cached as ours, in an archive with the same runtime, built by the bench); "
				+ "bare runtime: the archive's node/node -e printing a line. Each started without an engine address (the Go SDK then skips its "
				+ `engine health check), once to warm the disk cache, then ${STARTS} times in turn; from spawn to the first line on stdout, then killed.`,
		],
		data: {starts: STARTS, medians, runs},
	};
}
