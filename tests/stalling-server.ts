import {createServer} from "node:http";
import {setFlagsFromString} from "node:v8";
import {runInNewContext} from "node:vm";

/*
 * Servers on 127.0.0.1 that take API requests and never finish them, for the bounds on an attempt and a request.
 * Once the first request hangs on one, it collects this process's garbage, as a long-lived process does within an
 * attempt's 30 s: an attempt's abort once reached the body only through objects a collection removes (see readText
 * in provider/api/http.ts), so a test process that collected nothing passed while the provider hung for 300 s. One
 * collection suffices to show that, and more (each takes tens of ms) make a loaded machine's timers later still.
 */

/** Never answers; sends the headers and 8 bytes of a 5000-byte body, then nothing; or then one byte at a time. */
export type Stall = "silent" | "stalled body" | "trickle";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** One request the server took, in performance.now() ms; `closed` once its connection is gone. */
export interface Attempt {
	path: string;
	arrived: number;
	closed?: number;
}

export interface StallingServer {
	url: string;
	/** `host:port`, as `tfe:hostname` takes it. */
	host: string;
	attempts: Attempt[];
	/** Resolves once every request's connection is closed, or rejects after `withinMs`. */
	allClosed(withinMs: number): Promise<void>;
}

export interface StallOptions {
	/** Between the bytes of a trickle. */
	trickleEveryMs: number;
	/** From the first request's arrival to the collection, if it still hangs by then. */
	collectAfterMs: number;
}

export async function stallingServer(mode: Stall, teardown: (close: () => Promise<void>) => void, {trickleEveryMs, collectAfterMs}: StallOptions): Promise<StallingServer> {
	const attempts: Attempt[] = [];
	const server = createServer((request, response) => {
		const attempt: Attempt = {path: request.url ?? "", arrived: performance.now()};
		attempts.push(attempt);
		request.resume();
		if (mode !== "silent") {
			response.writeHead(200, {"content-type": "application/vnd.api+json", "content-length": "5000"});
			response.write("{\"data\":");
		}
		const timers = attempts.length === 1 ? [setTimeout(collectGarbage, collectAfterMs)] : [];
		if (mode === "trickle") {
			// JSON whitespace: the body stays valid as far as it goes, and never completes in time.
			timers.push(setInterval(() => response.write(" "), trickleEveryMs));
		}
		response.on("close", () => {
			attempt.closed = performance.now();
			timers.forEach(clearTimeout);
		});
	});
	await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
	teardown(() => new Promise(resolve => {
		server.closeAllConnections();
		server.close(() => resolve());
	}));
	const host = `127.0.0.1:${(server.address() as {port: number}).port}`;
	return {
		url: `http://${host}`,
		host,
		attempts,
		async allClosed(withinMs) {
			const until = performance.now() + withinMs;
			while (attempts.some(attempt => attempt.closed === undefined)) {
				if (performance.now() > until) {
					throw new Error(`${attempts.filter(attempt => attempt.closed === undefined).length} connections still open after ${withinMs} ms`);
				}
				await new Promise(resolve => setTimeout(resolve, 20));
			}
		},
	};
}
