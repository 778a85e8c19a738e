import {readFileSync} from "node:fs";
import {join} from "node:path";
import {LocalWorkspace, type Stack} from "@pulumi/pulumi/automation";
import {start, type LocalApi, type LocalApiOptions} from "../../provider/local-api";
import type * as packageApi from "../../provider";
import {BUILT, installedProject, installPackage} from "../installed";
import {scratchDir} from "../scratch";

/*
 * The engine stack without any test framework, so the e2e tests (through harness.ts) and the benchmark (bench/)
 * drive the same setup.
 */

/** A TeamToken's args, or another kind's with the name of its class. */
export type TokenDeclaration =
	| (packageApi.TeamTokenArgs & {resource?: "TeamToken"})
	| (packageApi.OrganizationTokenArgs & {resource: "OrganizationToken" | "AuditTrailToken"})
	| (packageApi.AgentTokenArgs & {resource: "AgentToken"})
	| (packageApi.UserTokenArgs & {resource: "UserToken"})
	| (packageApi.TokenLifetimePolicyArgs & {resource: "TokenLifetimePolicy"});
/** A declaration, and the names of those declared before it that it depends on (`dependsOn`). */
export type Declaration = TokenDeclaration & {after?: string[]};
export type StateResource = {type: string; urn: string; id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown>};

/** Registers work to run when the caller is done with the stack; the caller runs it last-registered first. */
export type Cleanup = (action: () => unknown) => void;

const STACK = "e2e";
const PROJECT = "tfe-team-token-e2e";

/**
 * One stack driven by the real Pulumi engine: a project with the built package installed in its node_modules, a
 * file backend and passphrase secrets in temporary directories, and a local API. The program declares one
 * TeamToken per entry of `tokens`; a test edits that map between operations. The API address and token reach the
 * provider as stack config (`tfe:hostname`, secret `tfe:token`), as users are told to set them.
 */
export interface EngineStack {
	api: LocalApi;
	stack: Stack;
	tokens: Record<string, Declaration>;
	/** Everything the CLI printed, across operations. */
	output: string[];
	/** The stack's state file in the file backend. */
	stateFile: string;
	up(): Promise<Record<string, string>>;
	/** `pulumi stack export` (without --show-secrets) and the state file in the backend, as text. */
	exportState(): Promise<string>;
	/** Resources of our types in state. */
	resources(): Promise<StateResource[]>;
	/** Replaces the installed package with another build, as upgrading it with npm would. */
	install(dist: string): void;
	/** More stack outputs the program computes with the installed package, e.g. a function's result. */
	moreOutputs?: (installed: typeof packageApi) => Promise<Record<string, unknown>>;
}

/**
 * Sets up the stack and registers, through `cleanup`, closing the API and then destroying the stack; with
 * last-registered-first order the destroy runs while the API still answers.
 */
export async function createEngineStack(cleanup: Cleanup, apiOptions: LocalApiOptions = {}, dist: string = BUILT): Promise<EngineStack> {
	const api = await start({teams: ["team-e2e1", "team-e2e2"], agentPools: ["apool-e2e1"], ...apiOptions});
	cleanup(() => api.close());
	const project = installedProject(dist);
	// The engine starts the dynamic-provider host in the directory of the process that runs an inline program,
	// and the host resolves the package from there, as it would from a user's project directory.
	process.chdir(project);
	// The classes come from the installed copy, as in a user's project: the package under test is the one npm would
	// install. Loaded at each run, so that a test can install another build in between.
	const installed = join(project, "node_modules", "pulumi-tfe-team-token");
	const load = () => require(installed) as typeof packageApi;
	const tokens: Record<string, Declaration> = {};
	const backend = scratchDir("backend");
	const output: string[] = [];
	const stack = await LocalWorkspace.createOrSelectStack(
		{
			stackName: STACK,
			projectName: PROJECT,
			program: async () => {
				const classes = load();
				const declared: Record<string, import("@pulumi/pulumi").CustomResource> = {};
				return {
					...Object.fromEntries(Object.entries(tokens).flatMap(([name, {resource = "TeamToken", after = [], ...args}]) => {
						const made = new classes[resource](name, args as never, {dependsOn: after.map(other => declared[other]!)});
						declared[name] = made;
						return "token" in made ? [[`${name}Token`, made.token], [`${name}Id`, made.tokenId]] : [];
					})),
					...await self.moreOutputs?.(classes),
				};
			},
		},
		{
			workDir: project,
			pulumiHome: scratchDir("pulumi-home"),
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
		// runPulumiCmd is private in the SDK's types, hence the cast through unknown.
		const workspace = stack.workspace as unknown as {runPulumiCmd(args: string[]): Promise<{stdout: string}>};
		return (await workspace.runPulumiCmd(["stack", "export", "--stack", STACK])).stdout;
	};
	const stateFile = join(backend, ".pulumi", "stacks", PROJECT, `${STACK}.json`);

	const self: EngineStack = {
		api,
		stack,
		tokens,
		output,
		stateFile,
		async up() {
			const result = await stack.up({onOutput});
			return Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value as string]));
		},
		async exportState() {
			return `${await plainExport()}\n${readFileSync(stateFile, "utf8")}`;
		},
		async resources() {
			const deployment = JSON.parse(await plainExport()) as {deployment?: {resources?: StateResource[]}};
			return (deployment.deployment?.resources ?? []).filter(r => r.type.startsWith("pulumi-nodejs:dynamic/tfe:"));
		},
		install(build) {
			installPackage(project, build);
			for (const path of Object.keys(require.cache).filter(path => path.startsWith(installed))) {
				delete require.cache[path];
			}
		},
	};
	cleanup(async () => {
		await stack.destroy().catch(() => undefined);
	});
	return self;
}
