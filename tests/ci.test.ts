import test from "ava";
import {readFileSync} from "node:fs";
import {join, resolve} from "node:path";

/*
 * What contributors expect of CI: the README's test line, run on every push and pull request. The workflow runs
 * .ci/run, which runs that line verbatim.
 */

const root = resolve(__dirname, "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** The README's test line: the command after the comment ending "CI runs exactly this line." */
function readmeTestLine(): string {
	const lines = read("README.md").split("\n");
	const comment = lines.findIndex(line => line.startsWith("#") && line.includes("CI runs exactly this line."));
	if (comment === -1) throw new Error("README.md has no test line marked \"CI runs exactly this line.\"");
	return lines[comment + 1]!.trim();
}

test(".ci/run runs the README's test line verbatim", t => {
	const line = readmeTestLine();
	t.regex(line, /npm run test:all$/);
	t.true(read(".ci/run").split("\n").some(runLine => runLine.startsWith(line)), `.ci/run does not run: ${line}`);
});

test("the test workflow runs .ci/run on every push to a branch and every pull request, within CI's 90 minutes", t => {
	const workflow = read(".github/workflows/test.yml");
	const on = /^on:\n((?: .*\n)+)/m.exec(workflow)?.[1] ?? "";
	t.regex(on, /^ {2}push:\n {4}branches: \["\*\*"\]/m);
	t.regex(on, /^ {2}pull_request:$/m);
	t.regex(workflow, /^ {8}run: bash \.ci\/run$/m);
	const timeout = Number(/^ {4}timeout-minutes: (\d+)$/m.exec(workflow)?.[1]);
	t.true(timeout > 0 && timeout <= 90, `timeout-minutes ${timeout}`);
	for (const tool of ["setup-go", "setup-java", "setup-python"]) {
		t.true(workflow.includes(`actions/${tool}@`), `the README's line needs what ${tool} installs`);
	}
});
