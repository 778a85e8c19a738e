import {readFileSync} from "node:fs";
import {join} from "node:path";
import {compiledLanguageTests} from "./compiled-language";
import {releaseDir, VERSION} from "./download";
import {GO_SDK_MODULE, GO_SDK_PACKAGE, goEnv, tidy} from "./go-program";

/*
 * Go programs through the provider plugin and the real CLI, built by the Go language host against the release's Go
 * module as `go get` fetches it. The walk's stack builds its program once from cold; examples/go then gets the SDK
 * with `go mod tidy`, as its README says.
 */

compiledLanguageTests("go", {
	tools: ["go"],
	readme: ["go mod tidy", `go get ${GO_SDK_PACKAGE}@v${VERSION}`],
	pinsRelease: (t, dir) => t.true(readFileSync(join(dir, "go.mod"), "utf8").includes(`${GO_SDK_MODULE} v${VERSION}`), `the example requires this release, ${VERSION}`),
	install: dir => {
		const env = goEnv(releaseDir());
		tidy(dir, env);
		return env;
	},
});
