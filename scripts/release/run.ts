import {execFileSync} from "node:child_process";

/**
 * Runs a command and returns its stdout trimmed; its stderr goes to this process's. When it fails, its stdout goes
 * there too (Maven, for one, prints its errors on stdout) and the error names the command.
 */
export function run(command: string, args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): string {
	try {
		return execFileSync(command, args, {encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20, ...options}).trim();
	} catch (error) {
		process.stderr.write((error as {stdout?: string}).stdout ?? "");
		throw new Error(`${[command, ...args].join(" ")} failed${options.cwd ? ` in ${options.cwd}` : ""}`);
	}
}

export function log(message: string): void {
	process.stderr.write(`release: ${message}\n`);
}
