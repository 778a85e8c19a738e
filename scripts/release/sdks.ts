import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {basename, join} from "node:path";
import {packageJson, ROOT} from "./platforms";
import {log, run} from "./run";
import {sourceDate, sourceTime} from "./source-date";
import {tarGz} from "./tar";

/*
 * The SDKs as the packages of their ecosystems, built from the committed sdk/ (scripts/gen-sdk.sh writes it from the
 * schema). Each is built from a copy, so sdk/ gets no build output. The .NET package is left to a machine with .NET
 * (the release workflow): here its sources and project file go out as a .tar.gz.
 */

const SDK = join(ROOT, "sdk");

function copyOf(language: string, work: string): string {
	const from = join(SDK, language);
	if (!existsSync(from)) throw new Error(`sdk/${language} is missing: generate the SDKs first (scripts/gen-sdk.sh)`);
	const dir = join(work, language);
	cpSync(from, dir, {recursive: true});
	return dir;
}

/** The npm package, as `npm publish` would upload it. */
function npmPackage(out: string): void {
	run("npm", ["pack", "--silent", "--pack-destination", out], {cwd: ROOT});
}

/**
 * The wheel and sdist, through setuptools' build hooks (PEP 517) in the virtualenv of scripts/python-env.sh, which
 * holds setuptools and wheel: no build isolation, so no download per build.
 */
function python(out: string, work: string, env: NodeJS.ProcessEnv): void {
	const dir = copyOf("python", work);
	// Without a pyproject.toml (a setup.py alone) setuptools is the backend too.
	const pyproject = join(dir, "pyproject.toml");
	const backend = existsSync(pyproject) ? /build-backend\s*=\s*"([^"]+)"/.exec(readFileSync(pyproject, "utf8"))?.[1] : "setuptools.build_meta";
	if (backend !== "setuptools.build_meta") throw new Error(`sdk/python/pyproject.toml's build-backend is ${backend ?? "not set"}; the release builds with setuptools.build_meta`);
	const bin = run("bash", [join(ROOT, "scripts", "python-env.sh")], {env});
	// The folder is read first: setuptools' hooks rewrite sys.argv.
	run(join(bin, "python3"), ["-c", "import sys; out = sys.argv[1]; from setuptools import build_meta as b; b.build_sdist(out); b.build_wheel(out)", out],
		{cwd: dir, env});
}

/** The Go module as the module proxy serves it, for its tag sdk/v<version>: GOPROXY=file://<out>/goproxy. */
function go(out: string, version: string, env: NodeJS.ProcessEnv): void {
	const gomod = [join(SDK, "go.mod"), join(SDK, "go", "go.mod")].find(existsSync);
	if (!gomod) throw new Error("sdk/ holds no go.mod (sdk/go.mod or sdk/go/go.mod)");
	run("go", ["run", ".", join(gomod, ".."), `v${version}`, sourceTime(), join(out, "goproxy")],
		{cwd: join(ROOT, "tools", "go-module-proxy"), env: {...env, GOFLAGS: "-mod=readonly"}});
}

/** The jar, its sources and javadoc jars (Maven Central wants both) and its pom, named as Maven Central stores them. */
function java(out: string, work: string, env: NodeJS.ProcessEnv): void {
	const dir = copyOf("java", work);
	// The commit's date inside the jars, where the pom's jar plugin is new enough (3.2+) to read it.
	run("mvn", ["-B", "-q", "-f", join(dir, "pom.xml"), "package", "source:jar", "javadoc:jar", "-DskipTests", `-Dproject.build.outputTimestamp=${sourceTime()}`], {env});
	const jars = readdirSync(join(dir, "target")).filter(file => file.endsWith(".jar"));
	const main = jars.find(file => !/-(sources|javadoc)\.jar$/.test(file));
	if (!main || jars.length !== 3) throw new Error(`mvn package source:jar javadoc:jar in sdk/java wrote ${jars.join(", ") || "no jar"}`);
	for (const jar of jars) cpSync(join(dir, "target", jar), join(out, jar));
	cpSync(join(dir, "pom.xml"), join(out, main.replace(/\.jar$/, ".pom")));
}

/** The .NET sources with their project file; the workflow packs and pushes them where .NET is installed. */
function dotnet(out: string, version: string): void {
	const project = readdirSync(join(SDK, "dotnet")).find(file => file.endsWith(".csproj"));
	if (!project) throw new Error("sdk/dotnet holds no .csproj");
	const archive = join(out, `${basename(project, ".csproj")}-${version}-sources.tar.gz`);
	tarGz(SDK, ["dotnet"], archive);
}

export function buildSdks(out: string): void {
	const {version} = packageJson();
	// Tools that honour it (wheel, sdist) date their entries by the commit, as the plugin archives do.
	const env = {...process.env, SOURCE_DATE_EPOCH: sourceDate()};
	const work = mkdtempSync(join(tmpdir(), "ptt-release-sdk-"));
	try {
		mkdirSync(out, {recursive: true});
		log("npm package");
		npmPackage(out);
		log("Python wheel and sdist");
		python(out, work, env);
		log("Go module");
		go(out, version, env);
		log("Java jars and pom");
		java(out, work, env);
		log(".NET sources");
		dotnet(out, version);
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}
