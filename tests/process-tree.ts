import {readdirSync, readFileSync} from "node:fs";

/*
 * The processes a `pulumi` command started, read from /proc (Linux; elsewhere only the root is known). The engine
 * starts each plugin, the dynamic-provider host among them, in a process group of its own, so neither killing the
 * CLI's group nor its exit reaches them: a test or a bench that ends a CLI early finds them here.
 */

export function readProc(path: string): string | undefined {
	try {
		return readFileSync(path, "utf8");
	} catch {
		// The process ended between listing /proc and reading it.
		return undefined;
	}
}

/** Parent of every process, from /proc/<pid>/stat (the field after the parenthesised command, which may hold spaces). */
function childrenByParent(): Map<number, number[]> {
	const children = new Map<number, number[]>();
	if (process.platform !== "linux") return children;
	for (const name of readdirSync("/proc")) {
		if (!/^\d+$/.test(name)) continue;
		const stat = readProc(`/proc/${name}/stat`);
		if (!stat) continue;
		const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
		const list = children.get(parent) ?? [];
		list.push(Number(name));
		children.set(parent, list);
	}
	return children;
}

/** `root` and every process below it, root first. */
export function descendantsAndSelf(root: number): number[] {
	const children = childrenByParent();
	const found = [root];
	for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i]!) ?? []));
	return found;
}

/** SIGKILLs each of `pids` that still runs. */
export function killAll(pids: readonly number[]): void {
	for (const pid of pids) {
		try {
			process.kill(pid, "SIGKILL");
		} catch {
			// Already gone.
		}
	}
}

/** The process's arguments, the executable first; empty once it has ended. */
export function commandLine(pid: number): string[] {
	return (readProc(`/proc/${pid}/cmdline`) ?? "").split("\0").filter(Boolean);
}

/** Which of `pids` still run (zombies count as ended) after waiting up to `ms` for them all to end. */
export async function stillRunningAfter(pids: readonly number[], ms: number): Promise<number[]> {
	const running = () => pids.filter(pid => /^State:\s+[^Z]/m.test(readProc(`/proc/${pid}/status`) ?? ""));
	const deadline = Date.now() + ms;
	while (running().length > 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100));
	return running();
}
