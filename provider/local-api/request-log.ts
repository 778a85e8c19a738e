/**
 * One answered request. Deliberately holds no header values, bodies or query strings, so it never holds a token and
 * tests may print it freely.
 */
export interface RequestLogEntry {
	readonly method: string;
	/** The path without its query string. */
	readonly path: string;
	readonly status: number;
	/** Time from arrival to answer, injected latency included. */
	readonly ms: number;
	/** Arrival time (ISO 8601) on the system clock, not the injectable one. */
	readonly at: string;
	readonly fault?: "before" | "after";
}

// Unmatched paths are whatever a client sent; a short prefix is enough to recognise them.
const MAX_PATH_LENGTH = 200;

/** The latest `capacity` entries, oldest first; older ones are dropped in O(1). */
export class RequestLog {
	private readonly entries: RequestLogEntry[] = [];
	private start = 0;

	constructor(private readonly capacity: number) {}

	/** Returns the entry as stored, so whoever else is told of it sees the same path. */
	add(entry: RequestLogEntry): RequestLogEntry {
		const stored = entry.path.length > MAX_PATH_LENGTH ? {...entry, path: entry.path.slice(0, MAX_PATH_LENGTH)} : entry;
		if (this.entries.length < this.capacity) {
			this.entries.push(stored);
		} else {
			this.entries[this.start] = stored;
			this.start = (this.start + 1) % this.capacity;
		}
		return stored;
	}

	list(): readonly RequestLogEntry[] {
		return [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
	}

	clear(): void {
		this.entries.length = 0;
		this.start = 0;
	}
}

const REDACTED = "<redacted>";

const PLAIN = /^[a-z0-9_,[\]-]*$/;
const SEPARATORS = /[-_,[\]]/;
const MAX_PLAIN_RUN = 16;

/**
 * The query string as sent (without "?"), each key and value that could be a credential replaced by `<redacted>`.
 * Kept are only short runs of lowercase letters and digits between `-`, `_`, `,`, `[` and `]`, which is what this
 * API's own parameters look like (`token=audit-trails`, `page[size]=2`, `sort=-created-at`); random secrets have
 * capitals, dots, percent-escapes or long runs. A plain admin token such as `admin` is masked wherever it occurs,
 * since its shape gives it no protection.
 */
export function maskQuery(search: string, adminToken: string): string {
	const plain = (part: string): boolean =>
		PLAIN.test(part) && part.split(SEPARATORS).every(run => run.length <= MAX_PLAIN_RUN) && !part.includes(adminToken);
	return search
		.split("&")
		.map(pair => pair.split("=").map(part => (plain(part) ? part : REDACTED)).join("="))
		.join("&");
}

/** One line per request, `METHOD /path?query STATUS 1.25ms`, for the CLI's --log-requests; `query` is masked already. */
export function formatRequest(entry: RequestLogEntry, query: string): string {
	return `${entry.method} ${entry.path}${query === "" ? "" : `?${query}`} ${entry.status} ${entry.ms}ms`;
}
