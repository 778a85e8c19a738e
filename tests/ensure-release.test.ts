import test from "ava";
import {mkdirSync, readFileSync, utimesSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {RELEASE_SOURCES, staleRelease} from "../scripts/ensure-release";
import {scratchDir} from "./scratch";

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

/** A checkout with one source file in a folder and one at the top, both last changed at second 100. */
function checkout() {
	const root = scratchDir("checkout");
	mkdirSync(join(root, "provider", "api"), {recursive: true});
	writeFileSync(join(root, "provider", "api", "http.ts"), "");
	writeFileSync(join(root, "package.json"), "{}");
	for (const path of [join(root, "provider", "api", "http.ts"), join(root, "provider", "api"), join(root, "provider"), join(root, "package.json")]) {
		at(path, 100);
	}
	return root;
}

test("a checkout without a release gets one built", t => {
	const root = checkout();
	t.is(staleRelease(join(root, "dist", "release"), root, ["provider", "package.json"]), `no release in ${join(root, "dist", "release")}`);
});

test("a release newer than every source is used as it is; a source changed since names itself", t => {
	const root = checkout();
	const release = join(root, "dist", "release");
	mkdirSync(release, {recursive: true});
	writeFileSync(join(release, "SHA256SUMS"), "");
	at(join(release, "SHA256SUMS"), 200);
	t.is(staleRelease(release, root, ["provider", "package.json", "sdk"]), undefined, "a source that does not exist is no reason");
	at(join(root, "provider", "api", "http.ts"), 300);
	t.is(staleRelease(release, root, ["provider", "package.json"]), `the release in ${release} is older than provider`);
	at(join(root, "provider", "api", "http.ts"), 100);
	at(join(root, "package.json"), 300);
	t.is(staleRelease(release, root, ["provider", "package.json"]), `the release in ${release} is older than package.json`);
});

test("test:e2e builds the release it needs unless PTT_RELEASE_DIR names one, and test:all names the one it built", t => {
	const root = resolve(__dirname, "..");
	const {scripts} = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {scripts: Record<string, string>};
	t.regex(scripts["test:e2e"]!, /scripts\/ensure-release\.ts && PTT_RELEASE_DIR=\$\{PTT_RELEASE_DIR:-dist\/release\} bash scripts\/with-pulumi\.sh/);
	t.regex(scripts["test:all"]!, /npm run release && PTT_RELEASE_DIR=dist\/release npm run test:e2e/);
	for (const source of ["provider", "sdk", "package.json"]) {
		t.true(RELEASE_SOURCES.includes(source), `${source} is what a release is built from`);
	}
});
