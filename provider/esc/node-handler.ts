import type {IncomingMessage, ServerResponse} from "node:http";
import type {EscService, RawRequest} from "./service";

/**
 * Past the limit the rest of a body is still read, and thrown away, up to this many bytes in all: a connection closed
 * with bytes unread is reset by the kernel, and a caller still sending then sees a broken pipe instead of the 401.
 * A body beyond it is not worth the bandwidth: the connection is dropped unanswered.
 */
export const DISCARD_UP_TO_BYTES = 8 * 1024 * 1024;

/** The body, or "too large" once it passes the limit (announced or received): nothing past the limit is kept. */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | "too large"> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = Number(req.headers["content-length"] ?? 0) > limit;
		req.on("data", (chunk: Buffer) => {
			size += chunk.length;
			if (size > DISCARD_UP_TO_BYTES) {
				req.destroy();
				return;
			}
			tooLarge ||= size > limit;
			if (!tooLarge) chunks.push(chunk);
		});
		req.once("end", () => resolve(tooLarge ? "too large" : Buffer.concat(chunks)));
		req.once("error", reject);
		// A caller gone before its whole body arrived: nothing was done, so nothing is answered.
		req.once("close", () => reject(new Error("the connection closed before the body was complete")));
	});
}

/** Resolves true once the answer was handed to the connection, false when the connection closed first. */
function delivered(res: ServerResponse): Promise<boolean> {
	return new Promise(resolve => {
		res.once("finish", () => resolve(true));
		res.once("close", () => resolve(res.writableFinished));
	});
}

/** A Node `(req, res)` handler for `http.createServer` / `https.createServer`, or a framework that passes them on. */
export function nodeHandler(service: EscService): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		void (async () => {
			let body: RawRequest["body"];
			try {
				body = await readBody(req, service.maxBodyBytes);
			} catch {
				res.destroy();
				return;
			}
			const url = new URL(req.url ?? "/", "http://adapter");
			const authorization = req.headers.authorization;
			const exchange = await service.handle({method: req.method ?? "GET", path: url.pathname, authorization, body});
			const payload = JSON.stringify(exchange.body);
			if (res.destroyed || req.socket.destroyed) {
				await exchange.settle(false);
				return;
			}
			const done = delivered(res);
			res.writeHead(exchange.status, {
				"content-type": "application/json",
				"content-length": Buffer.byteLength(payload),
				"cache-control": "no-store",
				// A caller that sends oversized bodies gets no second chance on the same connection.
				...(body === "too large" ? {connection: "close"} : {}),
			});
			res.end(payload);
			await exchange.settle(await done);
		})();
	};
}
