import {validAgentPoolId, validOrganizationName, validTeamId, validTokenId} from "../api/validation";
import {DURATION_FORMAT, parseDuration} from "./duration";
import {badRequest} from "./errors";
import {isSingleSlot, type ManySlotOwner, type Owner} from "./owner";

/** What `/open` asks for: one owner and, optionally, the token's lifetime. */
export interface OpenRequest {
	owner: ManySlotOwner;
	/** Absent: the grant's default. */
	ttlMs: number | undefined;
}

/** One issued token as the answers carry it. */
export interface IssuedToken {
	token: string;
	tokenId: string;
	/** RFC 3339; null for a token that never expires (a rotated one without `expiresInDays`, where the API allows it). */
	expiresAt: string | null;
	description: string;
}

/** What `/rotate` asks for, and what the answer to the rotation before said (ESC's `state`). */
export interface RotateRequest {
	owner: Owner;
	/** Told apart from the environment's other rotators of the same owner by it; part of every token's description. */
	label: string | undefined;
	expiresInDays: number | undefined;
	/** For a single-slot owner: replace a token the adapter did not make (the first rotation only needs it). */
	replaceExisting: boolean;
	previous: {current: IssuedToken | undefined; standby: IssuedToken | undefined};
}

const OWNER_FIELDS = ["team", "agentPool", "user", "organizationToken", "auditTrailToken"] as const;
const OPEN_FIELDS = [...OWNER_FIELDS, "legacy", "ttl"];
const ROTATE_FIELDS = [...OWNER_FIELDS, "legacy", "description", "expiresInDays", "replaceExisting"];
/** Letters, digits and a few marks: the label goes into descriptions the adapter later reads back. */
const LABEL = /^[A-Za-z0-9 _.:@/-]{1,64}$/;
/** The API's longest token lifetime: two years. */
const MAX_EXPIRES_IN_DAYS = 730;

function object(value: unknown, what: string): Record<string, unknown> {
	if (typeof value !== "object" || value === null || Array.isArray(value)) {
		throw badRequest(`${what} must be a JSON object`);
	}
	return value as Record<string, unknown>;
}

function onlyFields(value: Record<string, unknown>, allowed: readonly string[], what: string): void {
	const unknown = Object.keys(value).find(key => !allowed.includes(key));
	if (unknown !== undefined) {
		throw badRequest(`${what}.${unknown} is not a field; the fields are ${allowed.join(", ")}`);
	}
}

function ownerOf(request: Record<string, unknown>, what: string): Owner {
	const named = OWNER_FIELDS.filter(field => request[field] !== undefined && request[field] !== null);
	if (named.length !== 1) {
		throw badRequest(`${what} must name exactly one owner: team (team-...), agentPool (apool-...), user (true), organizationToken or auditTrailToken `
			+ `(an HCP Terraform organization's name); ${named.length === 0 ? "it names none" : `it names ${named.join(" and ")}`}`);
	}
	if (request.legacy !== undefined && typeof request.legacy !== "boolean") {
		throw badRequest(`${what}.legacy must be true or false`);
	}
	if (request.legacy === true && named[0] !== "team") {
		throw badRequest(`${what}.legacy applies to team only (the team's single legacy token)`);
	}
	const value = request[named[0]!];
	switch (named[0]) {
		case "team":
			if (!validTeamId(value)) throw badRequest(`${what}.team must be a team id, "team-" followed by letters and digits`);
			return request.legacy === true ? {kind: "legacyTeam", teamId: value} : {kind: "team", teamId: value};
		case "agentPool":
			if (!validAgentPoolId(value)) throw badRequest(`${what}.agentPool must be an agent pool id, "apool-" followed by letters and digits`);
			return {kind: "agentPool", agentPoolId: value};
		case "user":
			if (value !== true) throw badRequest(`${what}.user must be true (a token of the user the adapter's credential acts as)`);
			return {kind: "user"};
		default: {
			const field = named[0]!;
			if (!validOrganizationName(value)) throw badRequest(`${what}.${field} must be an HCP Terraform organization's name`);
			return field === "organizationToken" ? {kind: "organizationToken", organization: value} : {kind: "auditTrailToken", organization: value};
		}
	}
}

/** The body of `/open`, the `request` of `fn::open::external`. */
export function parseOpenRequest(body: unknown): OpenRequest {
	const request = object(body, "request");
	onlyFields(request, OPEN_FIELDS, "request");
	const owner = ownerOf(request, "request");
	if (isSingleSlot(owner)) {
		throw badRequest(`/open issues a fresh token per open, and ${owner.kind === "legacyTeam" ? "a team's legacy token" : `the ${owner.kind}`} is `
			+ "one per owner (a new one ends the one before): use fn::rotate::external with the adapter's /rotate route instead");
	}
	if (request.ttl === undefined || request.ttl === null) {
		return {owner, ttlMs: undefined};
	}
	const ttlMs = parseDuration(request.ttl);
	if (ttlMs === undefined) {
		throw badRequest(`request.ttl must be ${DURATION_FORMAT}; got ${JSON.stringify(request.ttl)}`);
	}
	return {owner, ttlMs};
}

function issued(value: unknown): IssuedToken | undefined {
	if (typeof value !== "object" || value === null) {
		return undefined;
	}
	const {token, tokenId, expiresAt, description} = value as Record<string, unknown>;
	if (!validTokenId(tokenId) || typeof token !== "string" || typeof description !== "string") {
		return undefined;
	}
	return {token, tokenId, expiresAt: typeof expiresAt === "string" ? expiresAt : null, description};
}

/** The body of `/rotate`: `{request, state}`, `state` null the first time and the last answer afterwards. */
export function parseRotateRequest(body: unknown): RotateRequest {
	const envelope = object(body, "body");
	onlyFields(envelope, ["request", "state"], "body");
	const request = object(envelope.request, "request");
	onlyFields(request, ROTATE_FIELDS, "request");
	const owner = ownerOf(request, "request");
	if (request.description !== undefined && (typeof request.description !== "string" || !LABEL.test(request.description))) {
		throw badRequest("request.description must be 1 to 64 letters, digits, spaces and _ . : @ / -");
	}
	const days = request.expiresInDays;
	if (days !== undefined && (!Number.isInteger(days) || (days as number) < 1 || (days as number) > MAX_EXPIRES_IN_DAYS)) {
		throw badRequest(`request.expiresInDays must be a whole number from 1 to ${MAX_EXPIRES_IN_DAYS}; got ${JSON.stringify(days)}`);
	}
	if (request.replaceExisting !== undefined && typeof request.replaceExisting !== "boolean") {
		throw badRequest("request.replaceExisting must be true or false");
	}
	const state = envelope.state;
	if (state !== undefined && state !== null && (typeof state !== "object" || Array.isArray(state))) {
		throw badRequest("state must be null or the adapter's previous answer");
	}
	const previous = state ? {current: issued(state), standby: issued((state as {standby?: unknown}).standby)} : {current: undefined, standby: undefined};
	return {
		owner,
		label: request.description as string | undefined,
		expiresInDays: days as number | undefined,
		replaceExisting: request.replaceExisting === true,
		previous,
	};
}
