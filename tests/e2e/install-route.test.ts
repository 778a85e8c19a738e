import test from "ava";
import {existsSync, readFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {releaseDir, VERSION} from "./download";

/*
 * The install route the README and installation-configuration.md give until the first release is published: every
 * file it takes from a release ($R) is one the release holds, at the package's version.
 */

const root = resolve(__dirname, "..", "..");
const GO_MODULE = "github.com/pulumi-tfe-team-token/pulumi-tfe-team-token/sdk";

for (const page of ["README.md", "docs/installation-configuration.md"]) {
	test(`${page}: every release file its route before the first release names is in the release`, t => {
		const text = readFileSync(join(root, page), "utf8");
		const named = [...new Set([...text.matchAll(/\$R\/([\w.-]+)/g)].map(match => match[1]!))];
		t.true(named.length >= 5, `${page} names ${named.join(", ")}`);
		for (const file of named) {
			t.true(existsSync(join(releaseDir(), file)), `${page} names ${file}, which the release in ${releaseDir()} does not hold`);
			if (file !== "goproxy") {
				t.true(file.includes(`-${VERSION}`) || file.includes(`-v${VERSION}-`), `${file} is not at the package's version ${VERSION}`);
			}
		}
		t.true(named.includes("goproxy"));
		t.true(existsSync(join(releaseDir(), "goproxy", GO_MODULE, "@v", `v${VERSION}.zip`)), "the module proxy folder serves the Go SDK");
		t.true(text.includes(`${GO_MODULE}/go/tfetokens@v${VERSION}`));
	});
}
