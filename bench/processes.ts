import {DYNAMIC_PROVIDER_HOST} from "../dist/provider/dynamic/host-watch";
import {commandLine, descendantsAndSelf, readProc as read} from "../tests/process-tree";

/*
 * Peak resident memory of a `pulumi` command and the processes it starts, read from /proc (Linux only; elsewhere
 * every peak stays 0 and `seen` says so). The CLI forks its language host and plugins, so the tree is walked afresh
 * on every sample: a process started between two samples is picked up by the next one.
 */

/** What a process in the tree is, by its place and command line. */
export type ProcessRole = "cli" | "providerHost" | "other";

export interface RssPeaks {
	/** Largest sum of resident set sizes per role seen in one sample, in bytes. */
	bytes: Record<ProcessRole, number>;
	/** How many samples found at least one process of the role, so a 0 can be told from "never seen". */
	seen: Record<ProcessRole, number>;
	samples: number;
}

/** The dynamic-provider host is the `node` whose script is @pulumi/pulumi's `cmd/dynamic-provider` entry point. */
function roleOf(pid: number, root: number): ProcessRole {
	if (pid === root) return "cli";
	return DYNAMIC_PROVIDER_HOST.test(commandLine(pid)[1] ?? "") ? "providerHost" : "other";
}

/** Undefined for a process that has ended or is a zombie (which has no VmRSS line). */
function residentBytes(pid: number): number | undefined {
	const match = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`) ?? "");
	return match ? Number(match[1]) * 1024 : undefined;
}

/**
 * Samples the tree under `root` every `intervalMs` until `stop()`, which returns the peaks. Call `stop()` when the
 * command has ended: a sample then would find nothing.
 */
export function sampleRss(root: number, intervalMs = 100): {stop(): RssPeaks} {
	const peaks: RssPeaks = {bytes: {cli: 0, providerHost: 0, other: 0}, seen: {cli: 0, providerHost: 0, other: 0}, samples: 0};
	const sample = () => {
		if (process.platform !== "linux") return;
		const sums: Record<ProcessRole, number> = {cli: 0, providerHost: 0, other: 0};
		const present = new Set<ProcessRole>();
		for (const pid of descendantsAndSelf(root)) {
			const bytes = residentBytes(pid);
			if (bytes === undefined) continue;
			const role = roleOf(pid, root);
			sums[role] += bytes;
			present.add(role);
		}
		peaks.samples++;
		for (const role of present) {
			peaks.seen[role]++;
			peaks.bytes[role] = Math.max(peaks.bytes[role], sums[role]);
		}
	};
	sample();
	const timer = setInterval(sample, intervalMs);
	return {
		stop() {
			clearInterval(timer);
			return peaks;
		},
	};
}
