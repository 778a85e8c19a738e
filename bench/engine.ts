import {spawnSync} from "node:child_process";
import {readFileSync, statSync} from "node:fs";
import {createEngineStack, type StateResource} from "../tests/e2e/engine";
import {type Figure, seconds, timed} from "./support";

const RESOURCES = 50;

function pulumiVersion(): string | undefined {
	const result = spawnSync("pulumi", ["version"], {encoding: "utf8", env: {...process.env, PULUMI_SKIP_UPDATE_CHECK: "true"}});
	return result.status === 0 ? result.stdout.trim() : undefined;
}

/** TeamToken resources as the file backend stores them (the checkpoint's `latest` deployment). */
function teamTokensInStateFile(file: string): StateResource[] {
	const checkpoint = JSON.parse(readFileSync(file, "utf8")) as {checkpoint?: {latest?: {resources?: StateResource[]}}};
	return (checkpoint.checkpoint?.latest?.resources ?? []).filter(r => r.type === "pulumi-nodejs:dynamic/tfe:TeamToken");
}

const average = (values: number[]) => values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : 0;

/** Figure 5: `pulumi up` and `pulumi destroy` of 50 legacy TeamTokens through the Automation API. */
export async function throughTheEngine(): Promise<Figure> {
	const version = pulumiVersion();
	if (!version) {
		const skipped = "skipped: pulumi CLI not on PATH (run bash scripts/ensure-pulumi.sh)";
		return {id: "5", title: "Through the engine", rows: [{measure: "engine: up / destroy of 50 TeamTokens", value: skipped}], notes: [], data: {skipped}};
	}
	const cleanups: (() => unknown)[] = [];
	const cwd = process.cwd();
	try {
		const e = await createEngineStack(action => cleanups.push(action), {teams: RESOURCES});
		for (const [index, teamId] of e.api.teams.entries()) {
			e.tokens[`t${index}`] = {teamId};
		}
		const up = await timed(() => e.up());
		const upRequests = e.api.requests().length;
		const upBytes = statSync(e.stateFile).size;
		const resources = teamTokensInStateFile(e.stateFile);
		const resourceBytes = resources.map(r => Buffer.byteLength(JSON.stringify(r)));
		const providerBytes = resources.flatMap(r => [r.inputs.__provider, r.outputs.__provider]).map(p => Buffer.byteLength(String(p)));
		const tokensAfterUp = e.api.tokens().length;

		e.api.clearRequests();
		const destroy = await timed(() => e.stack.destroy({onOutput: text => e.output.push(text)}));
		const destroyRequests = e.api.requests().length;
		const emptyBytes = statSync(e.stateFile).size;

		const data = {
			pulumi: version,
			resources: RESOURCES,
			program: "legacy tokens with the existing-token check, one per team",
			upMs: Math.round(up.ms),
			destroyMs: Math.round(destroy.ms),
			upRequests,
			destroyRequests,
			tokensAfterUp,
			tokensAfterDestroy: e.api.tokens().length,
			stateFileBytes: upBytes,
			stateFileBytesPerResource: Math.round(upBytes / RESOURCES),
			stateFileBytesAfterDestroy: emptyBytes,
			marginalBytesPerResource: Math.round((upBytes - emptyBytes) / RESOURCES),
			teamTokenEntryBytes: average(resourceBytes),
			providerBytesInState: average(providerBytes),
		};
		return {
			id: "5",
			title: "Through the engine",
			rows: [
				{measure: `engine: pulumi up, ${RESOURCES} TeamTokens`, value: `${seconds(data.upMs)}; ${upRequests} requests; ${tokensAfterUp} tokens on the API`},
				{measure: `engine: pulumi destroy, ${RESOURCES} TeamTokens`, value: `${seconds(data.destroyMs)}; ${destroyRequests} requests; ${data.tokensAfterDestroy} tokens left`},
				{
					measure: "engine: state file",
					value: `${upBytes} B, ${data.stateFileBytesPerResource} B per resource (${data.marginalBytesPerResource} B over the empty stack's ${emptyBytes} B); `
						+ `one TeamToken entry ${data.teamTokenEntryBytes} B compact, its __provider ${data.providerBytesInState} B x2`,
				},
			],
			notes: [
				`5: Automation API, inline program, file backend, ${version}; ${RESOURCES} legacy TeamTokens on ${RESOURCES} teams (with the existing-token check); `
					+ "the state file is pretty-printed JSON and includes the stack's outputs (each token, encrypted, and its id).",
			],
			data,
		};
	} finally {
		for (const action of cleanups.reverse()) {
			await action();
		}
		process.chdir(cwd);
	}
}
