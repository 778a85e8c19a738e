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

	add(entry: RequestLogEntry): void {
		const stored = entry.path.length > MAX_PATH_LENGTH ? {...entry, path: entry.path.slice(0, MAX_PATH_LENGTH)} : entry;
		if (this.entries.length < this.capacity) {
			this.entries.push(stored);
		} else {
			this.entries[this.start] = stored;
			this.start = (this.start + 1) % this.capacity;
		}
	}

	list(): readonly RequestLogEntry[] {
		return [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
	}

	clear(): void {
		this.entries.length = 0;
		this.start = 0;
	}
}
