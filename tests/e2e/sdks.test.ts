import {execFile} from "node:child_process";
import {readFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {promisify} from "node:util";
import test from "ava";
import {scratchDir} from "../scratch";

/*
 * The SDKs committed under sdk/ are what the schema generates now, with the pinned generators of
 * scripts/gen-sdk.sh (Go-built, so this is an engine-test file, not a unit test), and the Go module there builds.
 */

const root = resolve(__dirname, "..", "..");
const run = promisify(execFile);

/** The files of a tree as git would commit them: tracked or new, less what .gitignore names (build output). */
async function filesOf(dir: string): Promise<Set<string>> {
	const {stdout} = await run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "."], {cwd: dir});
	return new Set(stdout.split("\0").filter(Boolean));
}

/** What differs between the committed SDKs and freshly generated ones, one line per file. */
function differences(committed: string, committedFiles: Set<string>, fresh: string, freshFiles: Set<string>): string[] {
	const lines: string[] = [];
	for (const file of [...new Set([...committedFiles, ...freshFiles])].sort()) {
		if (!freshFiles.has(file)) lines.push(`sdk/${file}: not generated any more`);
		else if (!committedFiles.has(file)) lines.push(`sdk/${file}: generated, not in sdk/`);
		else if (!readFileSync(join(committed, file)).equals(readFileSync(join(fresh, file)))) lines.push(`sdk/${file}: differs`);
	}
	return lines;
}

test("the committed SDKs are what the schema generates now", async t => {
	t.timeout(10 * 60_000, "a cold run builds the generators with Go");
	const fresh = scratchDir("sdk");
	// The build is npm run test:e2e's, as npm run gen-sdk uses its own.
	await run("bash", [join(root, "scripts", "gen-sdk.sh"), "--all", fresh], {cwd: root, maxBuffer: 64 << 20});
	// git lists the scratch tree too, untracked there (`git init` gives it .gitignore semantics of its own).
	await run("git", ["init", "-q"], {cwd: fresh});
	const committed = join(root, "sdk");
	const lines = differences(committed, await filesOf(committed), fresh, await filesOf(fresh));
	t.deepEqual(lines, [], `sdk/ is not what the schema generates; run \`npm run gen-sdk\` and commit sdk/:\n  ${lines.join("\n  ")}`);
});

test("the committed Go SDK builds and passes go vet as a user's module", async t => {
	t.timeout(10 * 60_000, "a cold run downloads the Pulumi Go SDK's modules");
	const sdk = join(root, "sdk");
	// -mod=readonly: sdk/go.sum must already hold every module, as `go get` of the module needs.
	const env = {...process.env, GOFLAGS: "-mod=readonly"};
	// Each throws, with the compiler's or vet's findings, when it fails.
	await run("go", ["build", "./..."], {cwd: sdk, env});
	await run("go", ["vet", "./..."], {cwd: sdk, env});
	const module = "github.com/pulumi-tfe-team-token/pulumi-tfe-team-token/sdk";
	const packages = (await run("go", ["list", "./..."], {cwd: sdk, env})).stdout.trim().split("\n");
	t.deepEqual(packages, [`${module}/go/tfetokens`, `${module}/go/tfetokens/config`, `${module}/go/tfetokens/internal`],
		"the module and import paths the README tells Go users");
});
