import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

let root: string | undefined;

/**
 * A new empty directory for this test process. All of them live under one temporary root that is removed when the
 * process exits, so runs leave nothing behind in the system's temporary directory.
 */
export function scratchDir(prefix: string): string {
	if (!root) {
		const created = mkdtempSync(join(tmpdir(), "ptt-tests-"));
		root = created;
		process.on("exit", () => rmSync(created, {recursive: true, force: true}));
	}
	return mkdtempSync(join(root, `${prefix}-`));
}
