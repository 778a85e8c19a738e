import type {LocalApi, RequestLogEntry} from "../dist/provider/local-api";

/*
 * The local API keeps only its latest 10,000 requests (DEFAULTS.requestLogLimit, not an option), fewer than a
 * rate-limited destroy of 1,000 tokens can make once 429s are counted. So the log is drained often enough never to
 * fill, and counted here.
 */

export interface RequestCount {
	total: number;
	/** Answered 429 Too Many Requests. */
	throttled: number;
	/** "METHOD status" -> count; ids left out, so it stays small at any scale. */
	byKind: Record<string, number>;
	/** Arrival of the first and the last request, epoch ms; absent when there was none. */
	firstAt?: number;
	lastAt?: number;
}

export class RequestCounter {
	readonly count: RequestCount = {total: 0, throttled: 0, byKind: {}};

	/** Starts from an empty log: what came before is someone else's. */
	constructor(private readonly api: LocalApi) {
		api.clearRequests();
	}

	/** Counts what the log holds and empties it; synchronous, so no request lands between the two. */
	drain(): void {
		const entries: readonly RequestLogEntry[] = this.api.requests();
		this.api.clearRequests();
		for (const entry of entries) {
			this.count.total++;
			const at = Date.parse(entry.at);
			this.count.firstAt ??= at;
			this.count.lastAt = at;
			if (entry.status === 429) this.count.throttled++;
			const kind = `${entry.method} ${entry.status}`;
			this.count.byKind[kind] = (this.count.byKind[kind] ?? 0) + 1;
		}
	}
}
