import {execFileSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {join, resolve} from "node:path";
import test from "ava";
import ts from "typescript";

/*
 * What `npm install pulumi-tfe-team-token` hands a user: the files of the tarball, the metadata a registry page and
 * a licence scanner read, and the types their editor and compiler see. Read from `npm pack --dry-run` and from the
 * built declarations (npm test builds first), not from the sources, because those are what ships.
 */

const root = resolve(__dirname, "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;

test("the tarball carries the licence its package.json names, and the metadata a registry page links to", t => {
	const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {cwd: root, encoding: "utf8"})) as [{files: {path: string}[]}];
	const files = packed.files.map(file => file.path);
	t.true(files.includes("LICENSE"), files.join("\n"));
	t.true(files.includes("dist/provider/index.d.ts"), "the build is packed (npm run build first)");
	t.is(manifest.license, "Apache-2.0");
	t.regex(readFileSync(join(root, "LICENSE"), "utf8"), /^Copyright \d{4} .+\n[\s\S]*Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/);

	const repository = manifest.repository as {type?: string; url?: string} | undefined;
	t.is(repository?.type, "git");
	t.regex(repository?.url ?? "", /^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
	const web = (repository?.url ?? "").replace(/^git\+/, "").replace(/\.git$/, "");
	t.is(manifest.homepage, `${web}#readme`);
	t.deepEqual(manifest.bugs, {url: `${web}/issues`});
});

test("the SDK is the user's: a peer dependency with a caret range, never a dependency of its own; development pins one release", t => {
	const dependencies = (manifest.dependencies ?? {}) as Record<string, string>;
	const peers = (manifest.peerDependencies ?? {}) as Record<string, string>;
	const development = (manifest.devDependencies ?? {}) as Record<string, string>;
	t.false("@pulumi/pulumi" in dependencies, "a dependency would nest a second SDK in a project on another release");
	t.regex(peers["@pulumi/pulumi"] ?? "", /^\^3\.\d+\.\d+$/);
	t.regex(development["@pulumi/pulumi"] ?? "", /^3\.\d+\.\d+$/);
	const floor = (version: string) => version.replace(/^\^/, "").split(".").map(Number);
	const [, peerMinor = 0] = floor(peers["@pulumi/pulumi"] ?? "");
	const [, pinnedMinor = 0] = floor(development["@pulumi/pulumi"] ?? "");
	t.true(peerMinor <= pinnedMinor, "the release the tests run on is inside the declared range");

	const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {packages: Record<string, {version?: string; peerDependencies?: Record<string, string>}>};
	t.is(lock.packages[""]?.peerDependencies?.["@pulumi/pulumi"], peers["@pulumi/pulumi"], "package-lock.json agrees (npm ci)");
	t.is(lock.packages["node_modules/@pulumi/pulumi"]?.version, development["@pulumi/pulumi"]);
});

/** The instance type of each class the package exports, as a user's compiler sees it in the shipped .d.ts. */
function exportedClasses(): {checker: ts.TypeChecker; classes: Map<string, ts.Type>} {
	const entry = join(root, "dist", "provider", "index.d.ts");
	const program = ts.createProgram([entry], {strict: true, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, types: []});
	const checker = program.getTypeChecker();
	const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
	const classes = new Map<string, ts.Type>();
	for (const exported of checker.getExportsOfModule(moduleSymbol)) {
		const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
		if (symbol.flags & ts.SymbolFlags.Class) {
			classes.set(exported.name, checker.getDeclaredTypeOfSymbol(symbol));
		}
	}
	return {checker, classes};
}

test("the declarations type the `kind` output of every kind that records one, with its meaning", t => {
	const {checker, classes} = exportedClasses();
	for (const name of ["OrganizationToken", "AuditTrailToken", "AgentToken"]) {
		const kind = classes.get(name)?.getProperty("kind");
		t.truthy(kind, `${name}.kind is declared`);
		if (!kind) continue;
		t.is(checker.typeToString(checker.getTypeOfSymbol(kind)), "Output<string>", name);
		t.not(ts.displayPartsToString(kind.getDocumentationComment(checker)), "", `${name}.kind has a doc comment`);
	}
	// TeamToken's state predates `kind` and records none (resources/token-resource.ts).
	t.is(classes.get("TeamToken")?.getProperty("kind"), undefined);
});
