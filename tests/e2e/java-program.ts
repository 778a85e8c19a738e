import {execFileSync} from "node:child_process";
import {rmSync} from "node:fs";
import {homedir} from "node:os";
import {join} from "node:path";

/*
 * A Java program built with Maven as a user builds one: its pom.xml depends on the Java SDK's artifact, which the
 * release's jar and pom provide, installed with `mvn install:install-file` as a user does while the artifact is not
 * on Maven Central. Maven's local repository lives in $PTT_CACHE, so what Maven Central serves (com.pulumi:pulumi,
 * Maven's plugins) is downloaded once; the SDK's own artifact is installed afresh by each test process and removed
 * when it exits, so no run builds against an earlier release's jar.
 */

export const JAVA_SDK = {groupId: "io.github.pulumi-tfe-team-token", artifactId: "tfe-tokens"};

const repository = join(process.env.PTT_CACHE ?? join(homedir(), ".cache", "pulumi-tfe-team-token"), "maven", "repository");

/** The environment of `mvn`, also when the Java language host runs it. */
export function mavenEnv(): Record<string, string> {
	return {MAVEN_OPTS: [process.env.MAVEN_OPTS, `-Dmaven.repo.local=${repository}`].filter(Boolean).join(" ")};
}

let installed = false;

/** `mvn install:install-file` of the release's jar and pom, once per test process. */
export function installJavaSdk(release: string, version: string): void {
	if (installed) return;
	installed = true;
	const name = join(release, `${JAVA_SDK.artifactId}-${version}`);
	const own = join(repository, ...JAVA_SDK.groupId.split("."), JAVA_SDK.artifactId);
	process.on("exit", () => rmSync(own, {recursive: true, force: true}));
	execFileSync("mvn", ["-B", "-q", "install:install-file", `-Dfile=${name}.jar`, `-DpomFile=${name}.pom`],
		{env: {...process.env, ...mavenEnv()}, stdio: ["ignore", "pipe", "pipe"]});
}
