import {createHash} from "node:crypto";
import {readdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";

/** The checksum file's name; `sha256sum -c SHA256SUMS` in the release folder checks every artifact. */
export const CHECKSUMS = "SHA256SUMS";

/** Every file under `dir` but the checksum file, as paths relative to it with "/", sorted. */
export function releaseFiles(dir: string): string[] {
	return readdirSync(dir, {recursive: true, encoding: "utf8"})
		.map(file => file.split("\\").join("/"))
		.filter(file => file !== CHECKSUMS && statSync(join(dir, file)).isFile())
		.sort();
}

export function sha256(path: string): string {
	return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Writes `dir`/SHA256SUMS in sha256sum's format: the hex digest, two spaces, the path. */
export function writeChecksums(dir: string): void {
	writeFileSync(join(dir, CHECKSUMS), releaseFiles(dir).map(file => `${sha256(join(dir, file))}  ${file}\n`).join(""));
}
