import {join, resolve} from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {generateSecret} from "../dist/provider/local-api/ids";
import {installedProject} from "../tests/installed";
import {scratchDir} from "../tests/scratch";
import {type Figure, loadNaiveProvider} from "./support";

const GOAL_BYTES = 1024;
const root = resolve(__dirname, "..");

/**
 * Exactly what the SDK's dynamic Resource stores as `__provider` for the naive provider; the parameter is named
 * `provider` as in the SDK, because the captured variable's name is part of the serialized text.
 */
async function serialized(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
	return (await pulumi.runtime.serializeFunction(() => provider, {allowSecrets: true})).text;
}

type Serialize = (cwd: string) => string;

/** What TeamToken stores as `__provider` when the program runs in `cwd`, from the given copy of the package. */
function ours(packageDir: string, cwd: string): string {
	return (require(join(packageDir, "dist", "provider", "dynamic", "serialized-provider")) as {serializedProvider: Serialize}).serializedProvider(cwd);
}

/**
 * Figure 1. Runs in the bench's main thread, where the SDK's closure serializer works (it inspects live closures
 * through this process's inspector; not in a worker thread), and before the engine figure runs an inline program
 * in the same process.
 */
export async function stateCost(): Promise<Figure> {
	// A token-shaped value that no server knows, so finding it in the text can only mean it was captured.
	const env = {TFE_ADDRESS: "http://127.0.0.1:9", TFE_TOKEN: generateSecret()};
	const project = installedProject();
	const candidates: [string, string, () => Promise<string>][] = [
		["installed", "TeamToken, package installed in node_modules", async () => ours(join(project, "node_modules", "pulumi-tfe-team-token"), project)],
		["checkout", "TeamToken, from the checkout (examples/, the root Pulumi.yaml, a file: link)", async () => ours(root, join(root, "examples", "basic"))],
		["unresolvable", "TeamToken, run where the project cannot resolve the package", async () => ours(root, scratchDir("unresolvable"))],
		["naive", "naive provider (bench/naive-provider.ts), serialized by the SDK", () => serialized(loadNaiveProvider(env))],
	];
	const saved = {...process.env};
	// Ours must not pick the token up even when it is in the environment at serialization time.
	Object.assign(process.env, env);
	const data: Record<string, unknown> = {};
	const rows = [];
	try {
		for (const [key, label, make] of candidates) {
			const text = await make();
			const bytes = Buffer.byteLength(text);
			const facts = {
				bytes,
				bytesInState: 2 * bytes,
				holdsApiToken: text.includes(env.TFE_TOKEN),
				holdsApiAddress: text.includes(env.TFE_ADDRESS),
				holdsCheckoutPath: text.includes(root),
				requiresPackage: /require\("pulumi-tfe-team-token\//.test(text),
			};
			data[key] = facts;
			const mine = key !== "naive";
			rows.push({
				measure: `__provider: ${label}`,
				value: `${bytes} B (x2 in state: ${facts.bytesInState} B); API token in text: ${facts.holdsApiToken ? "YES" : "no"}`
					+ (facts.holdsCheckoutPath ? "; holds the checkout's absolute path" : ""),
				...(mine ? {goal: `<= ${GOAL_BYTES} B, no token`, met: bytes <= GOAL_BYTES && !facts.holdsApiToken} : {}),
			});
		}
	} finally {
		for (const key of Object.keys(env)) delete process.env[key];
		Object.assign(process.env, saved);
	}
	return {
		id: "1",
		title: "State cost",
		rows,
		notes: [
			"1: TeamToken's __provider is the text provider/dynamic/serialized-provider.ts writes for the program's folder; the naive "
				+ "provider's is pulumi.runtime.serializeFunction(() => provider, {allowSecrets: true}), as pulumi.dynamic.Resource "
				+ "makes it. TFE_ADDRESS/TFE_TOKEN are set meanwhile; the engine keeps __provider in both inputs and outputs, hence x2.",
		],
		data,
	};
}
