import {benchStack, benchTeamIds, type Mode, pulumiVersion} from "./cli-stack";
import type {Measured} from "./pulumi-command";
import {type Figure, progress, type Row, seconds, withLocalApi} from "./support";

/*
 * Figure 9: the two front doors over the one engine, in the same run: `pulumi up` and `pulumi destroy` of 200
 * legacy TeamTokens through the dynamic provider and through the provider plugin (tfe-tokens), with the state
 * each leaves per resource. Both programs are the same JavaScript, so the difference is the provider's host and
 * what each writes to state (the dynamic provider's `__provider`, stored in inputs and outputs).
 */

const COUNT = 200;
const DOORS: readonly Mode[] = ["ours", "plugin"];
const LABEL: Record<string, string> = {ours: "dynamic provider", plugin: "provider plugin"};

interface Door {
	up: Measured;
	destroy: Measured;
	stateBytesPerResource: number;
}

export async function pluginVsDynamic(): Promise<Figure> {
	const version = pulumiVersion();
	const doors = await withLocalApi({teams: benchTeamIds(COUNT)}, async api => {
		const result: Record<string, Door> = {};
		for (const mode of DOORS) {
			const stack = await benchStack(`door-${mode}`, mode, {api});
			try {
				await stack.setCount(COUNT);
				const up = await stack.measure("up");
				const stateBytesPerResource = Math.round(stack.stateFileBytes() / COUNT);
				const destroy = await stack.measure("destroy");
				progress(`${LABEL[mode]}: up ${seconds(up.ms)}, destroy ${seconds(destroy.ms)}, ${stateBytesPerResource} B/resource`);
				result[mode] = {up, destroy, stateBytesPerResource};
			} finally {
				await stack.remove();
			}
		}
		return result as Record<"ours" | "plugin", Door>;
	});
	const {ours, plugin} = doors;
	const ratio = (a: number, b: number) => (a / b).toFixed(2);
	const rows: Row[] = [
		...(["up", "destroy"] as const).map(command => ({
			measure: `${COUNT} TeamTokens: pulumi ${command}`,
			value: `dynamic ${seconds(ours[command].ms)} (${ours[command].requests!.total} requests), plugin ${seconds(plugin[command].ms)} `
				+ `(${plugin[command].requests!.total} requests); plugin / dynamic = ${ratio(plugin[command].ms, ours[command].ms)}`,
			goal: "plugin <= 1.10 x dynamic, same requests",
			met: plugin[command].ms <= 1.1 * ours[command].ms && plugin[command].requests!.total === ours[command].requests!.total,
		})),
		{
			measure: `${COUNT} TeamTokens: state file per resource`,
			value: `dynamic ${ours.stateBytesPerResource} B, plugin ${plugin.stateBytesPerResource} B; plugin / dynamic = ${ratio(plugin.stateBytesPerResource, ours.stateBytesPerResource)}`,
			goal: "reported",
			met: true,
		},
	];
	return {
		id: "9",
		title: "Provider plugin beside the dynamic provider",
		rows,
		notes: [
			`9: pulumi ${version} CLI, default --parallel, ${COUNT} legacy TeamTokens (forceRegenerate: true, one per team), no rate limit, one `
				+ "after the other on the same local API; the plugin is this checkout's build, found on PATH. The same JavaScript program registers "
				+ "either the TeamToken class or a custom resource of type tfe-tokens:index:TeamToken with the same properties; state bytes are the "
				+ "stack's checkpoint file after up, divided by the resources.",
		],
		data: {pulumi: version, count: COUNT, ...doors},
	};
}
