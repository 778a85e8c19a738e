import type {FaultableRoute} from "./faults";
import * as handlers from "./handlers";
import type {Handler} from "./handlers";
import {AGENT_POOL_ID_PATTERN, ORGANIZATION_PATTERN, TEAM_ID_PATTERN, TOKEN_ID_PATTERN, USER_ID_PATTERN} from "./ids";
import * as management from "./management";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface Endpoint {
	readonly handle: Handler;
	/** Whether the request body is read and parsed; other endpoints ignore any body. */
	readonly readsBody: boolean;
	/** The name faults know it by, for one a fault can make answer 404 (FaultOptions.bulkRevokeNotFound). */
	readonly faultable?: FaultableRoute;
}

export interface Route {
	readonly pattern: RegExp;
	readonly endpoints: Partial<Record<Method, Endpoint>>;
	/**
	 * Whether injected faults and latency apply: on for the token routes, off for /account/details (so tests can
	 * always probe credentials) and for the routes that set up organizations, teams and pools.
	 */
	readonly faulty: boolean;
}

export interface RouteMatch {
	readonly route: Route;
	readonly param: string;
}

/** Answered before any credential is checked; see `management.ping`. */
export const PING_PATH = "/api/v2/ping";

const bodiless = (handle: Handler): Endpoint => ({handle, readsBody: false});
const withBody = (handle: Handler): Endpoint => ({handle, readsBody: true});

// Parameters must match the id grammar exactly, so "..", percent-encoded and otherwise odd paths match no route.
const route = (path: string, endpoints: Route["endpoints"], faulty = true): Route => ({
	pattern: new RegExp(`^/api/v2${path}$`),
	endpoints,
	faulty,
});
const setup = (path: string, endpoints: Route["endpoints"]): Route => route(path, endpoints, false);

const ORGANIZATION = `/organizations/(${ORGANIZATION_PATTERN})`;

const ROUTES: readonly Route[] = [
	route("/account/details", {GET: bodiless(handlers.accountDetails)}, false),
	route(`/teams/(${TEAM_ID_PATTERN})`, {GET: bodiless(handlers.showTeam), DELETE: bodiless(management.deleteTeam)}),
	route(`${ORGANIZATION}/team-tokens`, {
		GET: bodiless(handlers.listOrganizationTokens),
		DELETE: {...withBody(handlers.revokeTeamTokens), faultable: "bulk-revoke"},
	}),
	route(`${ORGANIZATION}/token-ttl-policies`, {
		GET: bodiless(handlers.listTtlPolicies),
		PATCH: withBody(management.updateTtlPolicies),
	}),
	route(`${ORGANIZATION}/authentication-token`, {
		GET: bodiless(handlers.showOrganizationToken),
		POST: withBody(handlers.createOrganizationToken),
		DELETE: bodiless(handlers.deleteOrganizationToken),
	}),
	route(`/agent-pools/(${AGENT_POOL_ID_PATTERN})/authentication-tokens`, {
		GET: bodiless(handlers.listAgentTokens),
		POST: withBody(handlers.createAgentToken),
	}),
	route(`/teams/(${TEAM_ID_PATTERN})/authentication-token`, {
		GET: bodiless(handlers.showLegacyToken),
		POST: withBody(handlers.createLegacyToken),
		DELETE: bodiless(handlers.deleteLegacyToken),
	}),
	route(`/teams/(${TEAM_ID_PATTERN})/authentication-tokens`, {POST: withBody(handlers.createDescribedToken)}),
	route(`/users/(${USER_ID_PATTERN})/authentication-tokens`, {
		GET: bodiless(handlers.listUserTokens),
		POST: withBody(handlers.createUserToken),
	}),
	route(`/authentication-tokens/(${TOKEN_ID_PATTERN})`, {
		GET: bodiless(handlers.showToken),
		DELETE: bodiless(handlers.deleteToken),
	}),
	setup("/organizations", {GET: bodiless(management.listOrganizations), POST: withBody(management.createOrganization)}),
	setup(ORGANIZATION, {
		GET: bodiless(handlers.showOrganization),
		PATCH: withBody(management.updateOrganization),
		DELETE: bodiless(management.deleteOrganization),
	}),
	setup(`${ORGANIZATION}/stacks`, {GET: bodiless(management.listStacks)}),
	setup(`${ORGANIZATION}/teams`, {GET: bodiless(management.listTeams), POST: withBody(management.createTeam)}),
	setup(`${ORGANIZATION}/agent-pools`, {GET: bodiless(management.listAgentPools), POST: withBody(management.createAgentPool)}),
	setup(`/agent-pools/(${AGENT_POOL_ID_PATTERN})`, {DELETE: bodiless(management.deleteAgentPool)}),
	setup("/admin/feature-sets", {GET: bodiless(management.listFeatureSets)}),
	setup(`/admin${ORGANIZATION}/subscription`, {POST: withBody(management.updateSubscription)}),
];

export function matchRoute(path: string): RouteMatch | undefined {
	for (const candidate of ROUTES) {
		const match = candidate.pattern.exec(path);
		if (match !== null) return {route: candidate, param: match[1] ?? ""};
	}
	return undefined;
}

export function endpointFor(route: Route, method: string | undefined): Endpoint | undefined {
	return Object.hasOwn(route.endpoints, method ?? "") ? route.endpoints[method as Method] : undefined;
}

export const allowedMethods = (route: Route): string => Object.keys(route.endpoints).join(", ");
