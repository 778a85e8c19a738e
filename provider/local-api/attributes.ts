import {errorReply, unprocessable, type Reply} from "./documents";
import {parseRfc3339} from "./rfc3339";

/** The attributes a token-creating request may carry; both optional on the wire. */
export interface CreateAttributes {
	readonly description: string | undefined;
	readonly expiredAt: Date | undefined;
}

export type AttributesResult =
	{readonly ok: true; readonly value: CreateAttributes} | {readonly ok: false; readonly reply: Reply};

const EXPIRED_AT = "/data/attributes/expired-at";
const DESCRIPTION = "/data/attributes/description";

export type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
	typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Validates a create body (undefined when the request had none). `data.type` is not checked: the docs disagree on
 * its spelling and the real service does not enforce it. A JSON `null` attribute counts as unset.
 */
export function parseCreateAttributes(body: unknown, now: Date): AttributesResult {
	if (body === undefined) return {ok: true, value: {description: undefined, expiredAt: undefined}};
	if (!isObject(body)) return malformed("", "The request body must be a JSON object.");
	const data = body["data"] ?? {};
	if (!isObject(data)) return malformed("/data", "data must be an object.");
	const attributes = data["attributes"] ?? {};
	if (!isObject(attributes)) return malformed("/data/attributes", "attributes must be an object.");

	const description = attributes["description"] ?? undefined;
	if (description !== undefined && typeof description !== "string") {
		return {ok: false, reply: unprocessable(DESCRIPTION, "Description must be a string.")};
	}
	const expiredAt = parseExpiry(attributes["expired-at"] ?? undefined, now);
	if (typeof expiredAt === "string") return {ok: false, reply: unprocessable(EXPIRED_AT, expiredAt)};
	return {ok: true, value: {description, expiredAt}};
}

/** The requested expiry, undefined when unset, or the reason it is refused. */
function parseExpiry(value: unknown, now: Date): Date | undefined | string {
	if (value === undefined) return undefined;
	const instant = typeof value === "string" ? parseRfc3339(value) : undefined;
	if (instant === undefined) return "Expired at must be an RFC 3339 date-time, e.g. 2027-06-01T00:00:00Z.";
	if (instant <= now) return "Expired at must be in the future.";
	return instant;
}

function malformed(pointer: string, detail: string): {readonly ok: false; readonly reply: Reply} {
	return {ok: false, reply: errorReply(400, {title: "bad request", detail, source: {pointer}})};
}

/** The parts of a JSON:API resource body that the management routes read. */
export interface ResourceBody {
	readonly attributes: Json;
	readonly relationships: Json;
}

export type ResourceResult = {readonly ok: true; readonly value: ResourceBody} | {readonly ok: false; readonly reply: Reply};

/**
 * The attributes and relationships of a create or update body (both empty when the request had none); a body that is
 * not shaped like a JSON:API resource is a 400. `data.type` is not checked, as for tokens.
 */
export function parseResource(body: unknown): ResourceResult {
	if (body === undefined) return {ok: true, value: {attributes: {}, relationships: {}}};
	if (!isObject(body)) return malformed("", "The request body must be a JSON object.");
	const data = body["data"] ?? {};
	if (!isObject(data)) return malformed("/data", "data must be an object.");
	const attributes = data["attributes"] ?? {};
	if (!isObject(attributes)) return malformed("/data/attributes", "attributes must be an object.");
	const relationships = data["relationships"] ?? {};
	if (!isObject(relationships)) return malformed("/data/relationships", "relationships must be an object.");
	return {ok: true, value: {attributes, relationships}};
}

export {isObject};
