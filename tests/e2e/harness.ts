import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {LocalWorkspace, type Stack} from "@pulumi/pulumi/automation";
import type {ExecutionContext} from "ava";
import {start, type LocalApi, type LocalApiOptions} from "../../provider/local-api";
import type * as packageApi from "../../provider";
import {installedProject} from "../installed";

type Args = packageApi.TeamTokenArgs;
type StateResource = {type: string; urn: string; id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown>};

/**
 * One stack driven by the real Pulumi engine: a project with the built package installed in its node_modules, a
 * file backend and passphrase secrets in temporary directories, and a local API. The program declares one
 * TeamToken per entry of `tokens`; a test edits that map between operations. The API address and token reach the
 * provider as stack config (`tfe:hostname`, secret `tfe:token`), as users are told to set them.
 */
export interface EngineStack {
	api: LocalApi;
	stack: Stack;
	tokens: Record<string, Args>;
	/** Everything the CLI printed, across operations. */
	output: string[];
	up(): Promise<Record<string, string>>;
	/** `pulumi stack export` (without --show-secrets) and the state file in the backend, as text. */
	exportState(): Promise<string>;
	/** Resources of our type in state. */
	resources(): Promise<StateResource[]>;
}

export async function engineStack(t: ExecutionContext, apiOptions: LocalApiOptions = {}): Promise<EngineStack> {
	const api = await start({teams: ["team-e2e1", "team-e2e2"], ...apiOptions});
	t.teardown(() => api.close());
	const project = installedProject();
	// The engine starts the dynamic-provider host in the directory of the process that runs an inline program,
	// and the host resolves the package from there, as it would from a user's project directory.
	process.chdir(project);
	// The class must come from the installed copy, so the SDK serializes the provider as a package reference.
	const {TeamToken} = require(join(project, "node_modules", "pulumi-tfe-team-token")) as typeof packageApi;
	const tokens: Record<string, Args> = {};
	const backend = mkdtempSync(join(tmpdir(), "ptt-backend-"));
	const output: string[] = [];
	const stack = await LocalWorkspace.createOrSelectStack(
		{
			stackName: "e2e",
			projectName: "tfe-team-token-e2e",
			program: async () => Object.fromEntries(Object.entries(tokens).flatMap(([name, args]) => {
				const token = new TeamToken(name, args);
				return [[`${name}Token`, token.token], [`${name}Id`, token.tokenId]];
			})),
		},
		{
			workDir: project,
			pulumiHome: mkdtempSync(join(tmpdir(), "ptt-pulumi-home-")),
			envVars: {
				PULUMI_BACKEND_URL: `file://${backend}`,
				PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
				PULUMI_SKIP_UPDATE_CHECK: "true",
				PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
				// Neither may leak in from the machine running the tests.
				TFE_TOKEN: "",
				TFE_ADDRESS: "",
			},
		},
	);
	await stack.setConfig("tfe:hostname", {value: api.url});
	await stack.setConfig("tfe:token", {value: api.adminToken, secret: true});
	const onOutput = (text: string) => output.push(text);
	// The SDK's exportStack() asks for --show-secrets; this is the plain `pulumi stack export` a user would run.
	const plainExport = async () => {
		const workspace = stack.workspace as LocalWorkspace & {runPulumiCmd(args: string[]): Promise<{stdout: string}>};
		return (await workspace.runPulumiCmd(["stack", "export", "--stack", "e2e"])).stdout;
	};

	const self: EngineStack = {
		api,
		stack,
		tokens,
		output,
		async up() {
			const result = await stack.up({onOutput});
			return Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value as string]));
		},
		async exportState() {
			const file = readFileSync(join(backend, ".pulumi", "stacks", "tfe-team-token-e2e", "e2e.json"), "utf8");
			return `${await plainExport()}\n${file}`;
		},
		async resources() {
			const deployment = JSON.parse(await plainExport()) as {deployment?: {resources?: StateResource[]}};
			return (deployment.deployment?.resources ?? []).filter(r => r.type === "pulumi-nodejs:dynamic/tfe:TeamToken");
		},
	};
	t.teardown(async () => {
		await stack.destroy().catch(() => undefined);
	});
	return self;
}

/** Team-token calls the API received since the last clear, as "METHOD path status". */
export function calls(api: LocalApi): string[] {
	return api.requests().filter(r => !r.path.endsWith("/account/details")).map(r => `${r.method} ${r.path.replace(/^\/api\/v2/, "")} ${r.status}`);
}

export async function authenticates(api: LocalApi, token: string): Promise<boolean> {
	const response = await fetch(`${api.url}/api/v2/account/details`, {headers: {authorization: `Bearer ${token}`}});
	await response.body?.cancel();
	return response.status === 200;
}
