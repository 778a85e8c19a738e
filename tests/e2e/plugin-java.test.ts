import {readFileSync} from "node:fs";
import {join} from "node:path";
import {compiledLanguageTests} from "./compiled-language";
import {releaseDir, VERSION} from "./download";
import {installJavaSdk, JAVA_SDK, mavenEnv} from "./java-program";

/*
 * Java programs through the provider plugin and the real CLI, built with Maven by the Java language host against the
 * release's jar and pom, installed with `mvn install:install-file` as examples/java's README says while the artifact
 * is not on Maven Central. The walk's stack resolves the program's dependencies once from cold.
 */

const jar = `${JAVA_SDK.artifactId}-${VERSION}`;

compiledLanguageTests("java", {
	tools: ["java", "mvn"],
	readme: [`<groupId>${JAVA_SDK.groupId}</groupId>`, `/releases/download/v${VERSION}/${jar}.jar`, `/releases/download/v${VERSION}/${jar}.pom`,
		`mvn install:install-file -Dfile=${jar}.jar -DpomFile=${jar}.pom`],
	pinsRelease: (t, dir) => t.regex(readFileSync(join(dir, "pom.xml"), "utf8"), new RegExp(`<artifactId>${JAVA_SDK.artifactId}</artifactId>\\s*<version>${VERSION}</version>`),
		`the example depends on this release, ${VERSION}`),
	install: () => {
		installJavaSdk(releaseDir(), VERSION);
		return mavenEnv();
	},
});
