import {benchStack, benchTeamIds, pulumiVersion} from "./cli-stack";
import {sharedRuns, type StateSample} from "./shared-runs";
import {type Figure, type Row, withLocalApi} from "./support";

/*
 * Figure 5: where a TeamToken's bytes in state go, from `pulumi stack export` of a stack of legacy TeamTokens whose
 * program exports nothing (so the stack's outputs add nothing and resources are measured alone).
 */

const COUNT = 50;
const TEAM_TOKEN = "pulumi-nodejs:dynamic/tfe:TeamToken";

interface ExportedResource {
	type: string;
	inputs?: Record<string, unknown>;
	outputs?: Record<string, unknown>;
	[key: string]: unknown;
}

type Part = "bookkeeping" | "encryptedToken" | "inputs" | "outputsRepeatingInputs" | "outputsOnly" | "provider";

const LABELS: Record<Part, string> = {
	bookkeeping: "Pulumi's bookkeeping (urn, type, id, custom, parent, provider reference, propertyDependencies, timestamps, ...)",
	encryptedToken: "the token, encrypted (outputs.token)",
	inputs: "inputs (but __provider)",
	outputsRepeatingInputs: "outputs repeating an input",
	outputsOnly: "outputs only in outputs (tokenId, createdAt, ...)",
	provider: "__provider, in inputs and outputs",
};

/** A `"key":value,` member of a compact JSON object. */
const memberBytes = (key: string, value: unknown) => Buffer.byteLength(`${JSON.stringify(key)}:${JSON.stringify(value)},`);

/** Splits one resource's compact JSON; bookkeeping is everything the other parts leave, braces included. */
function breakdown(resource: ExportedResource): Record<Part, number> & {total: number} {
	const inputs = resource.inputs ?? {};
	const outputs = resource.outputs ?? {};
	const parts: Record<Part, number> = {bookkeeping: 0, encryptedToken: 0, inputs: 0, outputsRepeatingInputs: 0, outputsOnly: 0, provider: 0};
	for (const [key, value] of Object.entries(inputs)) parts[key === "__provider" ? "provider" : "inputs"] += memberBytes(key, value);
	for (const [key, value] of Object.entries(outputs)) {
		const part: Part = key === "__provider" ? "provider"
			: key === "token" ? "encryptedToken"
			: key in inputs && JSON.stringify(inputs[key]) === JSON.stringify(value) ? "outputsRepeatingInputs"
			: "outputsOnly";
		parts[part] += memberBytes(key, value);
	}
	const total = Buffer.byteLength(JSON.stringify(resource));
	parts.bookkeeping = total - Object.values(parts).reduce((a, b) => a + b, 0);
	return {...parts, total};
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** A stack of COUNT TeamTokens of its own, when the engine-floor figure has not left one. */
async function freshSample(): Promise<StateSample> {
	return withLocalApi({teams: benchTeamIds(COUNT)}, async api => {
		const stack = await benchStack("state", "ours", {api});
		try {
			await stack.setCount(COUNT);
			await stack.measure("up");
			const sample = {count: COUNT, exported: await stack.exportState(), stateFileBytes: stack.stateFileBytes()};
			await stack.measure("destroy");
			return {...sample, emptyStateFileBytes: stack.stateFileBytes()};
		} finally {
			await stack.remove();
		}
	});
}

export async function stateBreakdown(): Promise<Figure> {
	const version = pulumiVersion();
	const sample = sharedRuns.stateSample ?? await freshSample();
	const resources = (JSON.parse(sample.exported) as {deployment: {resources?: ExportedResource[]}}).deployment.resources ?? [];
	const tokens = resources.filter(r => r.type === TEAM_TOKEN).map(breakdown);
	if (tokens.length !== sample.count) throw new Error(`expected ${sample.count} TeamTokens in the export, found ${tokens.length}`);
	const average = Object.fromEntries((Object.keys(LABELS) as Part[]).map(part => [part, mean(tokens.map(t => t[part]))])) as Record<Part, number>;
	const total = mean(tokens.map(t => t.total));
	// The bookkeeping's largest fields, so that a surprise there has a name.
	const fields = [...new Set(resources.filter(r => r.type === TEAM_TOKEN).flatMap(r => Object.keys(r)))].filter(key => key !== "inputs" && key !== "outputs");
	const fieldBytes = fields.map(key => ({key, bytes: mean(resources.filter(r => r.type === TEAM_TOKEN).map(r => key in r ? memberBytes(key, r[key]) : 0))}))
		.sort((a, b) => b.bytes - a.bytes);
	const others = resources.filter(r => r.type !== TEAM_TOKEN).map(r => ({type: r.type, bytes: Buffer.byteLength(JSON.stringify(r)), outputs: Object.keys(r.outputs ?? {}).length}));
	const marginal = (sample.stateFileBytes - sample.emptyStateFileBytes) / sample.count;
	const rows: Row[] = [
		{measure: "state: one TeamToken entry in `pulumi stack export`, compact JSON", value: `${total.toFixed(0)} B (mean of ${tokens.length})`},
		...(Object.keys(LABELS) as Part[]).map(part => ({
			measure: `state per TeamToken: ${LABELS[part]}`,
			value: `${average[part].toFixed(0)} B (${((100 * average[part]) / total).toFixed(1)}%)`,
		})),
		{
			measure: "state per TeamToken: bookkeeping by field",
			value: fieldBytes.map(f => `${f.key} ${f.bytes.toFixed(0)} B`).join(", "),
		},
		{
			measure: "state: the rest of the stack (program exports nothing)",
			value: others.map(o => `${o.type} ${o.bytes} B, ${o.outputs} outputs`).join("; "),
		},
		{
			measure: `state file (file backend, pretty-printed), ${sample.count} TeamTokens`,
			value: `${sample.stateFileBytes} B; ${marginal.toFixed(0)} B per TeamToken over the ${sample.emptyStateFileBytes} B of the stack after destroy`,
		},
	];
	return {
		id: "5",
		title: "State per TeamToken",
		rows,
		notes: [
			`5: pulumi ${version} CLI, ${sample.count} legacy TeamTokens (forceRegenerate: true) in a stack whose program exports nothing; `
				+ "`pulumi stack export` (secrets encrypted by the passphrase provider), each resource entry as compact JSON. A part's bytes are "
				+ "its `\"key\":value,` members; bookkeeping is the entry minus the other parts (every top-level field but inputs and "
				+ "outputs, and the braces). Outputs repeating an input: same key, same value. Shares are of the mean entry.",
		],
		data: {pulumi: version, count: sample.count, meanEntryBytes: total, meanBytes: average, bookkeepingFields: fieldBytes, otherResources: others,
			stateFileBytes: sample.stateFileBytes, emptyStateFileBytes: sample.emptyStateFileBytes, marginalStateFileBytesPerToken: marginal},
	};
}
