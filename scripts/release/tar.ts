import {run} from "./run";
import {sourceDate} from "./source-date";

/**
 * Writes `entries` of `dir` into the .tar.gz `archive` with sorted entries, the commit's date, no owner and a gzip
 * header without a timestamp, so the same inputs give the same bytes.
 */
export function tarGz(dir: string, entries: string[], archive: string): void {
	run("sh", ["-c", 'd=$1 a=$2 t=$3; shift 3; tar --sort=name --mtime="@$t" --owner=0 --group=0 --numeric-owner --mode=go-w -C "$d" -cf - "$@" | gzip -n > "$a"',
		"tar", dir, archive, sourceDate(), ...entries]);
}
