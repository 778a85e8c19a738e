import type {IncomingMessage, ServerResponse} from "node:http";
import type {EscService, RawRequest} from "./service";

/** The body, or "too large" as soon as it passes the limit (announced or received): no more of it is read. */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | "too large"> {
	if (Number(req.headers["content-length"] ?? 0) > limit) {
		return Promise.resolve("too large");
	}
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				req.off("data", onData);
				req.pause();
				resolve("too large");
				return;
			}
			chunks.push(chunk);
		};
		req.on("data", onData);
		req.once("end", () => resolve(Buffer.concat(chunks)));
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
				// A body left unread must not be taken for the next request on the connection.
				...(body === "too large" ? {connection: "close"} : {}),
			});
			res.end(payload);
			await exchange.settle(await done);
		})();
	};
}
