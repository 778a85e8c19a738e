import test, {type ExecutionContext} from "ava";
import {assertDownloaded, assertReadmeShows, configure, copyExample, downloadProject, foldersWith, localApi, nodelessPath, upPreviewDestroy} from "./download";
import {SCENARIO, scenario} from "./plugin-scenario";

/*
 * The engine tests of a language whose programs are built before they run (Go, Java): the scenario walk on one
 * stack, then the language's example run as its README says, on a PATH without Node.js, with the plugin downloaded
 * by the engine as the SDK asks. Serial within the language: the example reuses what the walk's build left in the
 * caches.
 */

export interface ExampleSetup {
	/** The programs the language's build runs: their folders go on the example's PATH, which has no Node.js. */
	tools: string[];
	/** What an example's README must show, besides the Pulumi commands every example's README shows. */
	readme: string[];
	/** Checks the copied example names this release of the SDK. */
	pinsRelease(t: ExecutionContext, dir: string): void;
	/** What a user runs in the copied example before `pulumi up`; returns the environment the CLI needs for it. */
	install(dir: string): Record<string, string>;
}

const PULUMI_COMMANDS = ["pulumi stack init dev", "pulumi config set teamId ", "pulumi config set tfe-tokens:hostname ",
	"pulumi config set --secret tfe-tokens:token ", "pulumi up", "pulumi preview", "pulumi destroy"];

export function compiledLanguageTests(language: "go" | "java", example: ExampleSetup): void {
	test.serial(`${language}: ${SCENARIO}`, async t => {
		t.timeout(20 * 60_000);
		await scenario(t, language);
	});

	test.serial(`examples/${language} as its README says, the engine downloading the plugin; up, preview, destroy`, async t => {
		t.timeout(10 * 60_000);
		const dir = copyExample(language);
		example.pinsRelease(t, dir);
		assertReadmeShows(t, language, [...example.readme, ...PULUMI_COMMANDS]);
		const env = example.install(dir);
		const api = await localApi(t);
		const toolFolders = example.tools.map(tool => foldersWith(tool, process.env.PATH ?? "")[0]!);
		const project = await downloadProject(t, dir, nodelessPath(t, toolFolders));
		Object.assign(project.cli.env, env);
		await configure(project.cli, api);
		await upPreviewDestroy(t, project.cli, api);
		assertDownloaded(t, project);
	});
}
