import {execFileSync} from "node:child_process";
import {copyFileSync, mkdirSync, writeFileSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import type {ExecutionContext} from "ava";
import {start, type LocalApi, type LocalApiOptions} from "../../provider/local-api";
import {archiveName, hostPlatform} from "../../scripts/release/platforms";
import {PulumiCli} from "../pulumi-cli";
import {scratchDir} from "../scratch";
import {pythonWheel, releaseDir} from "./download";
import {goEnv, newGoModule} from "./go-program";
import {installJavaSdk, mavenEnv} from "./java-program";
import {type Declared, type Language, PROGRAM_FILE, PROJECT, programText} from "./plugin-programs";

/*
 * Programs in every language but TypeScript using the provider plugin through the `pulumi` CLI, as the README tells
 * users to run them, from what a release ships: the plugin installed from its archive with `pulumi plugin install`
 * (plugin-download.test.ts and the examples' tests prove the engine's own download of it), the Python SDK from its
 * wheel, Go and Java programs built against its Go module and jar (go-program.ts, java-program.ts), the language
 * hosts of scripts/ensure-language-hosts.sh.
 */

const root = resolve(__dirname, "..", "..");
const bash = (script: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
	execFileSync("bash", [join(root, "scripts", script), ...args], {encoding: "utf8", env, stdio: ["ignore", "pipe", "inherit"]}).trim();

export const VERSION = (require(join(root, "package.json")) as {version: string}).version;

/** This machine's plugin archive in the release under test (download.ts's releaseDir). */
function pluginArchive(): string {
	return join(releaseDir(), archiveName(VERSION, hostPlatform()));
}

export interface LanguageStack {
	api: LocalApi;
	/** The second API, reached through the explicit provider `other`. */
	otherApi: LocalApi;
	cli: PulumiCli;
	/**
	 * Writes the program: these resources, the explicit provider `other`, each token as an output, and `more` (the
	 * program's own text, e.g. a YAML `variables:` and `outputs:` section when there are no resources).
	 */
	program(resources: Record<string, Declared>, more?: string): void;
}

/**
 * A stack of a program in `language` with the plugin installed in its PULUMI_HOME and the configuration a user
 * sets: `tfe-tokens:hostname`, the secret `tfe-tokens:token`, and the second API's for the explicit provider.
 */
export async function languageStack(
	t: ExecutionContext,
	language: Language,
	options: {teams: string[]; agentPools: string[]; organization: string} & Pick<LocalApiOptions, "now" | "tokenTtlDays">,
): Promise<LanguageStack> {
	const api = await start(options);
	t.teardown(() => api.close());
	const otherApi = await start({teams: ["team-other1"], organization: "other-org"});
	t.teardown(() => otherApi.close());
	const dir = scratchDir(`${language}-project`);
	const scratch = scratchDir("backend");
	const env: Record<string, string> = {};
	if (language === "python") {
		env.PATH = `${bash("python-env.sh", [])}:${process.env.PATH}`;
	}
	Object.assign(env, language === "go" ? goEnv(releaseDir()) : language === "java" ? mavenEnv() : {});
	const cli = new PulumiCli({dir, stack: "dev", scratch, passphrase: "plugin-e2e", env});
	t.teardown(() => cli.remove());
	await cli.run(["plugin", "install", "resource", "tfe-tokens", VERSION, "--file", pluginArchive()]);
	if (language === "python") {
		// The release's wheel, where the program's python3 finds it; python-env.sh's virtualenv holds its dependencies.
		execFileSync("pip", ["install", "--quiet", "--no-index", "--no-deps", "--target", join(dir, "site"), pythonWheel()],
			{env: {...process.env, ...env}, stdio: ["ignore", "ignore", "inherit"]});
		cli.env.PYTHONPATH = join(dir, "site");
		writeFileSync(join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: python\n`);
	}
	const configNames = ["desc", "otherHostname", "otherToken"];
	const program = (resources: Record<string, Declared>, more = "") => {
		const file = join(dir, PROGRAM_FILE[language]);
		mkdirSync(dirname(file), {recursive: true});
		writeFileSync(file, programText(language, resources, configNames, VERSION, more));
	};
	program({});
	if (language === "go") {
		writeFileSync(join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: go\n`);
		newGoModule(dir, PROJECT, VERSION, env);
	}
	if (language === "java") {
		// The example's pom.xml, which builds the class myproject.App as the programs here name theirs.
		writeFileSync(join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: java\n`);
		copyFileSync(join(root, "examples", "java", "pom.xml"), join(dir, "pom.xml"));
		installJavaSdk(releaseDir(), VERSION);
	}
	await cli.run(["stack", "init", "dev"]);
	await cli.run(["config", "set", "tfe-tokens:hostname", api.url]);
	await cli.run(["config", "set", "--secret", "tfe-tokens:token", api.adminToken], {mask: api.adminToken});
	await cli.run(["config", "set", "otherHostname", otherApi.url]);
	await cli.run(["config", "set", "--secret", "otherToken", otherApi.adminToken], {mask: otherApi.adminToken});
	return {
		api,
		otherApi,
		cli,
		program,
	};
}
