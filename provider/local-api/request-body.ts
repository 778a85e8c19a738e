import type {IncomingMessage} from "node:http";
import {errorReply, type Reply} from "./documents";

const JSON_API = "application/vnd.api+json";
const utf8 = new TextDecoder("utf-8", {fatal: true});

export type BodyResult = {readonly ok: true; readonly value: unknown} | {readonly ok: false; readonly reply: Reply};

const EMPTY: BodyResult = {ok: true, value: undefined};

// The rest of the body is never read, so the connection cannot carry another request: tell the client it closes.
const tooLarge = (limit: number): BodyResult => ({
	ok: false,
	reply: errorReply(
		413,
		{title: "payload too large", detail: `Request bodies are limited to ${limit} bytes.`},
		{Connection: "close"},
	),
});

/**
 * Reads and parses a JSON:API request body; an empty body reads as undefined. Reading stops as soon as the body is
 * known to be over the limit, so an oversized upload is never held in memory.
 */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
	if (Number(request.headers["content-length"] ?? 0) > limit) return tooLarge(limit);
	const bytes = await readAtMost(request, limit);
	if (bytes === undefined) return tooLarge(limit);
	if (bytes.length === 0) return EMPTY;
	// The real API is a JSON:API server; a client that sends plain JSON would be relying on leniency it cannot count on.
	const mediaType = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
	if (mediaType !== JSON_API) {
		return {
			ok: false,
			reply: errorReply(415, {title: "unsupported media type", detail: `Request bodies must be ${JSON_API}.`}),
		};
	}
	try {
		return {ok: true, value: JSON.parse(utf8.decode(bytes))};
	} catch {
		return {
			ok: false,
			reply: errorReply(400, {title: "bad request", detail: "The request body is not valid UTF-8 JSON."}),
		};
	}
}

/** The whole body, or undefined once it passes `limit` bytes (the rest is left unread). */
function readAtMost(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const finish = (result: Buffer | undefined, error?: Error): void => {
			request.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
			if (error === undefined) resolve(result);
			else reject(error);
		};
		const onData = (chunk: Buffer): void => {
			size += chunk.length;
			if (size > limit) {
				request.pause();
				finish(undefined);
			} else chunks.push(chunk);
		};
		const onEnd = (): void => finish(Buffer.concat(chunks, size));
		const onError = (error: Error): void => finish(undefined, error);
		// A client that disconnects mid-body ends the request with neither "end" nor always "error".
		const onClose = (): void => finish(undefined, new Error("request closed before its body was complete"));
		request.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
	});
}
