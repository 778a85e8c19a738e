import type {EscService, RawRequest} from "./service";

async function readBody(request: Request, limit: number): Promise<RawRequest["body"]> {
	if (Number(request.headers.get("content-length") ?? 0) > limit) {
		return "too large";
	}
	const chunks: Uint8Array[] = [];
	let size = 0;
	if (request.body) {
		const reader = request.body.getReader();
		for (;;) {
			const {done, value} = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > limit) {
				await reader.cancel();
				return "too large";
			}
			chunks.push(value);
		}
	}
	return Buffer.concat(chunks);
}

/**
 * A fetch-style handler, `(Request) => Promise<Response>`, for serverless platforms and frameworks built on the
 * Fetch API. The answer is a stream whose read counts as its delivery: a caller gone before the answer (the
 * request's signal aborted, or the stream cancelled) has the issued token revoked. A platform that buffers the
 * answer and loses it afterwards cannot tell, so there the sweep ends the token at its expiry.
 */
export function fetchHandler(service: EscService): (request: Request) => Promise<Response> {
	return async request => {
		const url = new URL(request.url);
		const body = await readBody(request, service.maxBodyBytes);
		const exchange = await service.handle({method: request.method, path: url.pathname, authorization: request.headers.get("authorization") ?? undefined, body});
		const headers = {"content-type": "application/json", "cache-control": "no-store"};
		if (request.signal.aborted) {
			await exchange.settle(false);
			return new Response(null, {status: 499});
		}
		const bytes = new TextEncoder().encode(JSON.stringify(exchange.body));
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				controller.enqueue(bytes);
				controller.close();
				void exchange.settle(true);
			},
			cancel() {
				void exchange.settle(false);
			},
		});
		return new Response(stream, {status: exchange.status, headers: {...headers, "content-length": String(bytes.byteLength)}});
	};
}
