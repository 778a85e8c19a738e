import test from "ava";
import {execFile, execFileSync} from "node:child_process";
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {join, resolve} from "node:path";
import {promisify} from "node:util";
import {schema} from "../../provider/plugin/schema";
import {CHECKSUMS, releaseFiles, sha256} from "../../scripts/release/checksums";
import {COMPILE_CACHE, START} from "../../scripts/release/bundle";
import {archiveName, hostPlatform, PLUGIN, platforms, type BinaryKind} from "../../scripts/release/platforms";
import {scratchDir} from "../scratch";

/*
 * What `npm run release` ships: the release in PTT_RELEASE_DIR (`npm run test:all` builds it before the engine
 * tests), else one this file builds into a scratch folder.
 */

const root = resolve(__dirname, "..", "..");
const VERSION = (require(join(root, "package.json")) as {version: string}).version;
let release: string;

test.before(async t => {
	if (process.env.PTT_RELEASE_DIR) {
		release = resolve(root, process.env.PTT_RELEASE_DIR);
		return;
	}
	t.timeout(15 * 60_000, "a whole release build");
	const {stdout} = await promisify(execFile)(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/release.ts", "--out", scratchDir("release")],
		{cwd: root, maxBuffer: 16 << 20});
	release = stdout.trim().split("\n").at(-1)!;
});

/** Unpacks `members` (all when none) of a .tar.gz into a new empty folder. */
function unpack(archive: string, members: string[] = []): string {
	const dir = scratchDir("unpacked");
	execFileSync("tar", ["-xzf", archive, "-C", dir, ...members]);
	return dir;
}

/** The platform and CPU a binary is for, read from its header as `file` would. */
function binaryKind(path: string): BinaryKind | string {
	const head = readFileSync(path).subarray(0, 4096);
	if (head.readUInt32BE(0) === 0x7f454c46) {
		const machine = head.readUInt16LE(18);
		return machine === 0x3e ? "elf-x86-64" : machine === 0xb7 ? "elf-aarch64" : `elf-machine-${machine}`;
	}
	if (head.readUInt32LE(0) === 0xfeedfacf) {
		return head.readUInt32LE(4) === 0x01000007 ? "mach-o-x86-64" : `mach-o-cpu-${head.readUInt32LE(4)}`;
	}
	if (head.toString("latin1", 0, 2) === "MZ") {
		const pe = head.readUInt32LE(0x3c);
		if (head.toString("latin1", pe, pe + 4) === "PE\0\0") return head.readUInt16LE(pe + 4) === 0x8664 ? "pe-x86-64" : `pe-machine-${head.readUInt16LE(pe + 4)}`;
	}
	return `unknown (${head.subarray(0, 4).toString("hex")})`;
}

test("the linux-amd64 archive, unpacked into an empty folder, serves the schema with no node on PATH", t => {
	const dir = unpack(join(release, archiveName(VERSION, "linux-amd64")));
	const pulumi = execFileSync("sh", ["-c", "command -v pulumi"], {encoding: "utf8"}).trim();
	const noNode = scratchDir("path-without-node");
	const served = execFileSync(pulumi, ["package", "get-schema", join(dir, PLUGIN)], {
		encoding: "utf8",
		env: {HOME: scratchDir("home"), PULUMI_HOME: scratchDir("pulumi-home"), PATH: noNode, PULUMI_SKIP_UPDATE_CHECK: "true"},
	});
	t.deepEqual(JSON.parse(served), JSON.parse(JSON.stringify(schema)));
});

/** An archive's entries by path, a leading "./" dropped (tar writes one when packing "."; the engine takes both). */
function entries(archive: string): Map<string, {mode: string; member: string}> {
	return new Map(execFileSync("tar", ["-tvzf", archive], {encoding: "utf8"}).trim().split("\n").map(line => {
		const fields = line.split(/\s+/);
		const member = fields.at(-1)!;
		return [member.replace(/^\.\//, ""), {mode: fields[0]!, member}];
	}));
}

for (const platform of platforms()) {
	test(`the ${platform.name} archive holds its launcher at the root and a Node.js of its platform`, t => {
		const archive = join(release, archiveName(VERSION, platform.name));
		const listed = entries(archive);
		const launcher = listed.get(platform.windows ? `${PLUGIN}.cmd` : PLUGIN);
		const node = listed.get(platform.windows ? "node/node.exe" : "node/node");
		if (!launcher || !node) {
			t.fail(`${archive} lacks ${launcher ? "node/" : "the launcher at its root"}`);
			return;
		}
		if (!platform.windows) t.regex(launcher.mode, /^-rwxr-xr-x/, "the launcher is executable");
		const dir = unpack(archive, [launcher.member, node.member]);
		t.is(binaryKind(join(dir, node.member)), platform.nodeKind);
		t.true(readFileSync(join(dir, launcher.member), "utf8").includes(platform.windows ? "node\\node.exe" : "/node/node"), "the launcher starts the bundled Node.js");
	});
}

test("each archive holds the plugin as one bundle with its start-up script and the notices of what it bundles; this machine's also the compile cache of a first start", t => {
	for (const platform of platforms()) {
		const archive = join(release, archiveName(VERSION, platform.name));
		const names = [...entries(archive).keys()];
		t.deepEqual(names.filter(name => name.startsWith("node_modules")), [], `${platform.name}: no node_modules, the bundle holds the code`);
		for (const file of [START, "plugin/pulumi-resource-tfe-tokens.js", "plugin/THIRD-PARTY-NOTICES"]) t.true(names.includes(file), `${platform.name}: ${file}`);
		const cached = names.filter(name => name.startsWith(`${COMPILE_CACHE}/`) && !name.endsWith("/"));
		if (platform.name === hostPlatform()) t.true(cached.length > 0, `${platform.name}: a compile cache`);
		else t.deepEqual(cached, [], `${platform.name}: no compile cache of another platform's Node.js`);
	}
	const notices = readFileSync(join(unpack(join(release, archiveName(VERSION, "linux-amd64")), ["plugin/THIRD-PARTY-NOTICES"]), "plugin", "THIRD-PARTY-NOTICES"), "utf8");
	for (const bundled of ["@grpc/grpc-js@", "google-protobuf@", "ky@", "@pulumi/pulumi@"]) t.true(notices.includes(`\n${bundled}`) || notices.startsWith(bundled), `the notices name ${bundled}`);
});

test("the checksum file lists every file of the release with its SHA-256", t => {
	const listed = readFileSync(join(release, CHECKSUMS), "utf8").trimEnd().split("\n").map(line => {
		const [digest, file] = line.split("  ");
		return {digest, file: file!};
	});
	t.deepEqual(listed.map(({file}) => file), releaseFiles(release));
	for (const {digest, file} of listed) t.is(sha256(join(release, file)), digest, file);
});

test("the release holds the SDK packages: npm, Python wheel and sdist, Go module, Java jar, sources, javadoc and pom, .NET sources", t => {
	const files = readdirSync(release).filter(file => statSync(join(release, file)).size > 0);
	for (const suffix of [".tgz", "-py3-none-any.whl", ".tar.gz", ".jar", "-sources.jar", "-javadoc.jar", ".pom", "-sources.tar.gz"]) {
		t.true(files.some(file => file.endsWith(`-${VERSION}${suffix}`) && !file.startsWith(PLUGIN)), `a file ending in -${VERSION}${suffix}`);
	}
});

test("GOPROXY=file://<release>/goproxy serves the Go SDK's module to go mod download", t => {
	const proxy = join(release, "goproxy");
	t.true(existsSync(proxy));
	const list = readdirSync(proxy, {recursive: true, encoding: "utf8"}).find(file => file.endsWith("/@v/list"))!;
	// The proxy's folder names escape each capital letter as "!" and its lower case.
	const module = list.slice(0, -"/@v/list".length).replace(/!([a-z])/g, (_, letter: string) => letter.toUpperCase());
	const downloaded = JSON.parse(execFileSync("go", ["mod", "download", "-json", `${module}@v${VERSION}`], {
		cwd: scratchDir("go"),
		encoding: "utf8",
		env: {...process.env, GOPROXY: `file://${proxy}`, GOSUMDB: "off", GOFLAGS: "-mod=mod -modcacherw", GOMODCACHE: scratchDir("gomodcache")},
	})) as {Version: string; Dir: string};
	t.is(downloaded.Version, `v${VERSION}`);
	t.true(readdirSync(downloaded.Dir, {recursive: true, encoding: "utf8"}).some(file => file.endsWith(".go")));
});
