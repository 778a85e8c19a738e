import {isObject, parseResource, type Json, type ResourceBody} from "./attributes";
import {
	agentPoolDocument,
	errorReply,
	nameTaken,
	notFound,
	organizationDocument,
	teamDocument,
	ttlPoliciesDocument,
	unprocessable,
	type Reply,
} from "./documents";
import {NO_CONTENT, page, type Handler, type HandlerContext} from "./handlers";
import {TTL_TOKEN_TYPES, type Organization, type TtlTokenType} from "./store";

/**
 * The routes that set up what tokens belong to: organizations, teams and agent pools made and deleted at run time,
 * each organization isolated from the others, plus the admin subscription routes and the TTL policy update. They are
 * what go-tfe's integration tests call around the token routes (see README, "API sources"); nothing in the provider
 * calls them.
 */

const ORGANIZATION_NAME = /^[A-Za-z0-9_-]+$/;
/** Generous bounds, so a runaway client cannot store megabytes in a name. */
const MAX_NAME_LENGTH = 255;
/** The longest TTL policy accepted, as for `tokenTtlDays` at start-up: 36,500 days. */
const MAX_TTL_MS = 36_500 * 86_400_000;

export const createOrganization: Handler = context =>
	withResource(context, ({attributes}) => {
		const name = attributes["name"];
		if (typeof name !== "string" || !ORGANIZATION_NAME.test(name) || name.length > MAX_NAME_LENGTH) {
			return unprocessable("/data/attributes/name", 'Validation failed: Name must be letters, digits, "-" and "_"');
		}
		const email = attributes["email"];
		if (typeof email !== "string" || !/^[^@\s]+@[^@\s]+$/.test(email) || email.length > MAX_NAME_LENGTH) {
			return unprocessable("/data/attributes/email", "Validation failed: Email is invalid");
		}
		// Made as HCP Terraform makes one today: the TTL policies API is there, listing every token type at its default.
		const organization = context.store.createOrganization(name, {
			email,
			now: context.now,
			ttlPolicies: new Map(),
			listsDefaultPolicies: true,
		});
		return organization === "taken" ? nameTaken() : {status: 201, document: organizationDocument(organization)};
	});

/** `GET /organizations`: every organization, oldest first, paged; any credential sees them all, as it may manage them. */
export const listOrganizations: Handler = context =>
	({status: 200, document: page(context.query, context.store.organizationNames(), name => organizationDocument(context.store.organizationNamed(name)!).data)});

/**
 * `PATCH /organizations/:name`, as go-tfe's Organization update sends it: only `user-tokens-enabled` is kept; other
 * attributes are accepted and ignored. Answers the organization.
 */
export const updateOrganization: Handler = context =>
	withOrganization(context, organization =>
		withResource(context, ({attributes}) => {
			const enabled = attributes["user-tokens-enabled"];
			if (enabled !== undefined && typeof enabled !== "boolean") {
				return unprocessable("/data/attributes/user-tokens-enabled", "user-tokens-enabled must be true or false.");
			}
			if (enabled !== undefined) organization.userTokensEnabled = enabled;
			return {status: 200, document: organizationDocument(organization)};
		}),
	);

export const deleteOrganization: Handler = context =>
	withOrganization(context, organization => {
		context.store.deleteOrganization(organization);
		return NO_CONTENT;
	});

/** Stacks are not modelled: every organization has none. go-tfe lists them before deleting an organization. */
export const listStacks: Handler = context =>
	withOrganization(context, () => ({status: 200, document: page(context.query, [], () => ({}))}));

export const createTeam: Handler = context =>
	withOrganization(context, organization =>
		withResource(context, ({attributes}) => {
			const name = requiredName(attributes);
			if (typeof name !== "string") return name;
			const access = attributes["organization-access"] ?? {};
			if (!isObject(access)) {
				return unprocessable("/data/attributes/organization-access", "organization-access must be an object.");
			}
			// Only its booleans are kept: the permissions are echoed back, never enforced.
			const booleans = Object.fromEntries(Object.entries(access).filter(([, value]) => typeof value === "boolean"));
			const team = context.store.createTeam(organization, name, booleans as Record<string, boolean>);
			return team === "taken" ? nameTaken() : {status: 201, document: teamDocument(team)};
		}),
	);

/** The organization's teams, oldest first, paged. */
export const listTeams: Handler = context =>
	withOrganization(context, organization => ({status: 200, document: page(context.query, [...organization.teams.values()], team => teamDocument(team).data)}));

/** The organization's agent pools, oldest first, paged. */
export const listAgentPools: Handler = context =>
	withOrganization(context, organization => ({status: 200, document: page(context.query, [...organization.agentPools.values()], pool => agentPoolDocument(pool).data)}));

/** Deleting a team revokes its tokens. */
export const deleteTeam: Handler = context => {
	const team = context.store.team(context.param);
	if (team === undefined) return notFound();
	context.store.deleteTeam(team);
	return NO_CONTENT;
};

export const createAgentPool: Handler = context =>
	withOrganization(context, organization =>
		withResource(context, ({attributes}) => {
			const name = requiredName(attributes);
			if (typeof name !== "string") return name;
			const pool = context.store.createAgentPool(organization, name, context.now);
			return pool === "taken" ? nameTaken() : {status: 201, document: agentPoolDocument(pool)};
		}),
	);

/** Deleting an agent pool revokes its tokens. */
export const deleteAgentPool: Handler = context => {
	const pool = context.store.agentPool(context.param);
	if (pool === undefined) return notFound("Agent Pool not found, or user unauthorized to perform action");
	context.store.deleteAgentPool(pool);
	return NO_CONTENT;
};

/**
 * `PATCH .../token-ttl-policies`: sets the listed token types' maximum lifetimes (the others keep theirs) and answers
 * every policy, as go-tfe's tests assert ("API returns all 4 token type policies"). A policy set here is enforced at
 * once, like one set at start-up. Refused whole on any bad entry; 404 where the policies API is absent.
 */
export const updateTtlPolicies: Handler = context =>
	withOrganization(context, organization => {
		const policies = organization.ttlPolicies;
		if (policies === null) return notFound();
		return withResource(context, ({attributes}) => {
			const entries = attributes["token-ttl-policies"];
			const pointer = "/data/attributes/token-ttl-policies";
			if (!Array.isArray(entries) || entries.length === 0) {
				return unprocessable(pointer, "Validation failed: token-ttl-policies must be a non-empty list");
			}
			const updates: Array<[TtlTokenType, number]> = [];
			for (const [index, entry] of entries.entries()) {
				const type = isObject(entry) ? entry["token-type"] : undefined;
				if (!(TTL_TOKEN_TYPES as readonly unknown[]).includes(type)) {
					return unprocessable(`${pointer}/${index}/token-type`, `Validation failed: token-type must be one of ${TTL_TOKEN_TYPES.join(", ")}`);
				}
				const ms = (entry as Json)["max-ttl-ms"];
				if (typeof ms !== "number" || !Number.isSafeInteger(ms) || ms <= 0 || ms > MAX_TTL_MS) {
					return unprocessable(`${pointer}/${index}/max-ttl-ms`, `Validation failed: max-ttl-ms must be a whole number of milliseconds from 1 to ${MAX_TTL_MS}`);
				}
				updates.push([type as TtlTokenType, ms]);
			}
			for (const [type, ms] of updates) policies.set(type, ms);
			return {status: 200, document: ttlPoliciesDocument(organization)};
		});
	});

/**
 * The plans an admin can put an organization on, named as go-tfe's subscription helper asks for them
 * (`GET /admin/feature-sets?q=Business`). Ids are made up here; only their round trip matters.
 */
const FEATURE_SETS = [
	{id: "fs-free", name: "Free"},
	{id: "fs-standardentitlement", name: "Standard (entitlement)"},
	{id: "fs-business", name: "Business"},
] as const;

/** `GET /admin/feature-sets`: the plans whose name holds `q` (any case). Admin token only. */
export const listFeatureSets: Handler = context =>
	asAdmin(context, () => {
		const q = (context.query.get("q") ?? "").toLowerCase();
		const matching = FEATURE_SETS.filter(set => set.name.toLowerCase().includes(q));
		return {
			status: 200,
			document: page(context.query, matching, set => ({id: set.id, type: "feature-sets", attributes: {name: set.name}})),
		};
	});

/**
 * `POST /admin/organizations/:name/subscription`: puts the organization on the feature set its `feature-set`
 * relationship names (422 for an unknown one). The other attributes (ceilings, contract dates) are accepted and not
 * kept. Admin token only.
 */
export const updateSubscription: Handler = context =>
	asAdmin(context, () =>
		withOrganization(context, organization =>
			withResource(context, ({relationships}) => {
				const relation = relationships["feature-set"];
				const data = isObject(relation) ? relation["data"] : undefined;
				const id = isObject(data) ? data["id"] : undefined;
				const featureSet = FEATURE_SETS.find(set => set.id === id);
				if (featureSet === undefined) {
					return unprocessable("/data/relationships/feature-set", "Validation failed: Feature set is not one the API knows");
				}
				organization.featureSet = featureSet.name;
				return {
					status: 201,
					document: {
						data: {
							id: `sub-${organization.name}`,
							type: "subscriptions",
							attributes: {"is-active": true},
							relationships: {
								organization: {data: {id: organization.name, type: "organizations"}},
								"feature-set": {data: {id: featureSet.id, type: "feature-sets"}},
							},
						},
					},
				};
			}),
		),
	);

/**
 * `GET /api/v2/ping` answers every client, credential or not, with no body: clients read its headers (go-tfe reads
 * `TFP-AppName` and the rate limit when it starts).
 */
export function ping(method: string | undefined): Reply {
	if (method === "GET" || method === "HEAD") return {status: 204, headers: {"TFP-AppName": "HCP Terraform"}};
	return errorReply(405, {title: "method not allowed", detail: "Allowed: GET, HEAD."}, {Allow: "GET, HEAD"});
}

function withOrganization(context: HandlerContext, then: (organization: Organization) => Reply): Reply {
	const organization = context.store.organizationNamed(context.param);
	return organization === undefined ? notFound() : then(organization);
}

function withResource(context: HandlerContext, then: (resource: ResourceBody) => Reply): Reply {
	const resource = parseResource(context.body);
	return resource.ok ? then(resource.value) : resource.reply;
}

/** The admin routes answer the admin token only; to any other credential they do not exist, as the API answers for no access. */
function asAdmin(context: HandlerContext, then: () => Reply): Reply {
	return context.store.isAdmin(context.credential) ? then() : notFound();
}

function requiredName(attributes: Json): string | Reply {
	const name = attributes["name"];
	if (typeof name !== "string" || name.trim() === "") {
		return unprocessable("/data/attributes/name", "Validation failed: Name can't be blank");
	}
	if (name.length > MAX_NAME_LENGTH) {
		return unprocessable("/data/attributes/name", `Validation failed: Name is too long (maximum is ${MAX_NAME_LENGTH} characters)`);
	}
	return name;
}
