import {execFileSync} from "node:child_process";

/** Runs a command, its output to this process's stderr, and returns its stdout trimmed. */
export function run(command: string, args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): string {
	return execFileSync(command, args, {encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20, ...options}).trim();
}

export function log(message: string): void {
	process.stderr.write(`release: ${message}\n`);
}
