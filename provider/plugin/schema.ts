import {AUDIT_FUNCTION, auditFunction, auditTypes} from "./audit-schema";
import {boolean, integer, type Property, string} from "./schema-properties";
import {PACKAGE, PLUGIN_DOWNLOAD_URL, PLUGIN_VERSION, REPOSITORY} from "./package";

/*
 * The package schema the plugin serves, written by hand as pulumi-random's and pulumi-command's are. Descriptions
 * are the README's words. tests/plugin-schema.test.ts keeps its fields equal to the TypeScript classes' inputs and
 * outputs, and to what the engine accepts.
 */

const teamId = string("The team: `team-` followed by letters and digits, at most 64 characters. Changing it replaces the token.");
const organization = string("The organization's name: letters, digits, `-`, `_`, at most 64 characters. Changing it replaces the token.");
const agentPoolId = string("The agent pool: `apool-` followed by letters and digits. Changing it replaces the token.");
const teamDescription = string(
	"Unset: the team's single legacy token. Set: one of the team's several described tokens, with this description, unique "
		+ "within the team, at most 255 characters and no control characters, replaced create-before-delete so there is no "
		+ "moment without a token. "
		+ "Changing it replaces the token.");
const userId = string(
	"The user: `user-` followed by letters and digits. Unset: the user the API token acts as, the only one whose tokens it may "
		+ "manage; another user's id fails at preview. Changing it replaces the token.");
const userDescription = string(
	"Required, at most 255 characters and no control characters. Descriptions may repeat within a user's tokens: after a lost answer only a token with this description made "
		+ "since the create began is taken for it. Changing it replaces the token, the new one first.");
const userOrganization = string(
	"Optional: the organization the token is used in, checked at preview for `user-tokens-enabled` and its `user` token TTL "
		+ "policy. A user token belongs to no organization. Changing it replaces the token.");
const agentDescription = string(
	"Required: the API needs one. At most 255 characters and no control characters; descriptions may repeat within a pool. "
		+ "Changing it replaces the token.");

/** The inputs of every kind whose tokens expire. */
const expiryInputs: Record<string, Property> = {
	expiredAt: string(
		"When the token expires: an RFC 3339 instant in the future, at most ten years (3650 days) away, compared as an instant. Unset: the server's default "
			+ "(two years on HCP Terraform) stands, with no diff. Not with `expiresInDays` or `rotateBeforeDays`. Changing it replaces the token."),
	expiresInDays: integer("The lifetime counted from creation, 1-3650 days (ten years), sent as `expired-at`. Not with `expiredAt`. Changing it replaces the token."),
	rotateBeforeDays: integer(
		"Renewal: when a `pulumi preview`/`up` finds fewer days left than this, the token is replaced. Works with "
			+ "`expiresInDays` (less than it) or the server's default expiry (less than the lifetime that gives: once a run has seen it, "
			+ "a value at or above it fails at preview); not with a fixed `expiredAt`. 1-3650 days."),
};
/** The inputs of every kind whose tokens expire and that has a single token to take over. */
const lifetimeInputs: Record<string, Property> = {
	forceRegenerate: boolean(
		"Single tokens only. `false`: if the owner already has its token, create fails with a clear error and sends no POST, "
			+ "so a token in use elsewhere is never silently revoked (unless it is the stack's own lost create). `true`: the "
			+ "create replaces it. Changing it alone changes nothing on the API."),
	...expiryInputs,
};
const triggers: Property = {type: "array", items: {$ref: "pulumi.json#/Any"}, description: "Arbitrary values; any change (compared by value) rotates the token."};

const tokenOutputs: Record<string, Property> = {
	tokenId: string("The API's id of the token, `at-...`."),
	token: {
		type: "string",
		secret: true,
		description: "The token, a Pulumi secret: encrypted in state, `[secret]` in the CLI. Absent on an imported token: "
			+ "the API shows a token's value only when it is made (change `triggers` to replace it by one the stack keeps).",
	},
	createdAt: string("When the token was created, as the server reports it."),
	createdBy: string("The id of the user (or team) whose API token created it."),
};
const expiredAtOutput = string("When the token expires, as the server reports it; absent when it never does.");
const kindOutput = string("The kind of token the resource manages, which the provider dispatches on.");

function resource(description: string, inputs: Record<string, Property>, required: string[], extraOutputs: Record<string, Property>) {
	const properties = {...inputs, ...tokenOutputs, ...extraOutputs};
	return {
		description,
		inputProperties: inputs,
		requiredInputs: required,
		properties,
		required: [...required, "tokenId"],
	};
}

const organizationInputs = {organization, ...lifetimeInputs, triggers};

const maxDays = (tokens: string) => integer(`The longest lifetime ${tokens} may have, 1-36500 days. Unset: the API's two-year default.`);
const policyInputs: Record<string, Property> = {
	organization: string("The organization's name: letters, digits, `-`, `_`, at most 64 characters. Changing it replaces the policy."),
	organizationTokenMaxDays: maxDays("the organization token"),
	teamTokenMaxDays: maxDays("a team token"),
	userTokenMaxDays: maxDays("a user token"),
	auditTrailTokenMaxDays: maxDays("the audit-trail token"),
};
const maxTtlMs = (tokens: string) => integer(`The longest lifetime of ${tokens} in ms, as the API reports it.`);
const policyOutputs: Record<string, Property> = {
	organizationTokenMaxTtlMs: maxTtlMs("the organization token"),
	teamTokenMaxTtlMs: maxTtlMs("a team token"),
	userTokenMaxTtlMs: maxTtlMs("a user token"),
	auditTrailTokenMaxTtlMs: maxTtlMs("the audit-trail token"),
	kind: kindOutput,
};

export const schema = {
	name: PACKAGE,
	displayName: "HCP Terraform API tokens",
	version: PLUGIN_VERSION,
	description: "Manage HCP Terraform and Terraform Enterprise API tokens: team tokens, the organization token, the audit-trail "
		+ "token, agent-pool tokens and user tokens, with the token kept secret, renewal before expiry, and guards against revoking a token in use.",
	keywords: ["pulumi", "tfe", "terraform", "hcp", "category/utility", "kind/native"],
	license: "Apache-2.0",
	homepage: REPOSITORY,
	repository: REPOSITORY,
	pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
	config: {
		variables: {
			hostname: string("The API address: a host, `host:port`, or a full URL. Else `TFE_ADDRESS`, then `TFE_HOSTNAME`; default "
				+ "`https://app.terraform.io`. Plain `http://` only for loopback hosts."),
			token: {
				type: "string",
				secret: true,
				description: "The API token. Else `TFE_TOKEN`, then Terraform's `TF_TOKEN_<host>`, then the Terraform CLI credentials "
					+ "file (`terraform login`).",
			},
			sslSkipVerify: boolean("Skip TLS verification. Else `TFE_SSL_SKIP_VERIFY`; default `false`."),
		},
	},
	provider: {
		description: "The API address and credential the resources use. Two providers with different credentials manage two "
			+ "organizations' tokens in one program.",
		inputProperties: {} as Record<string, Property>,
	},
	resources: {
		[`${PACKAGE}:index:TeamToken`]: resource(
			"An HCP Terraform / Terraform Enterprise team API token. The token value is a Pulumi secret. Its id is the team id "
				+ "for a legacy token and the token id (`at-...`) for a described one. Import by either.",
			{teamId, description: teamDescription, ...lifetimeInputs, triggers}, ["teamId"], {expiredAt: expiredAtOutput}),
		[`${PACKAGE}:index:OrganizationToken`]: resource(
			"The organization's API token: one per organization, a POST replaces it. Its id is the organization's name, which also imports it.",
			organizationInputs, ["organization"], {expiredAt: expiredAtOutput, kind: kindOutput}),
		[`${PACKAGE}:index:AuditTrailToken`]: resource(
			"The organization's audit-trail token, one per organization. Its id is the organization's name, which also imports it.",
			organizationInputs, ["organization"], {expiredAt: expiredAtOutput, kind: kindOutput}),
		[`${PACKAGE}:index:AgentToken`]: resource(
			"An agent-pool token: several per pool, each with a description, revoked by id. The API documents no expiry for "
				+ "them, so `triggers` is their renewal. Its id is the token id (`at-...`), which also imports it.",
			{agentPoolId, description: agentDescription, triggers}, ["agentPoolId", "description"], {kind: kindOutput}),
		[`${PACKAGE}:index:UserToken`]: resource(
			"One of a user's several API tokens, revoked by id. Only the user's own user token may manage them, so the provider's "
				+ "credential must be one (a team or organization token fails at preview). A replacement is created before the old "
				+ "token is revoked. Its id is the token id (`at-...`), which also imports it.",
			{userId, organization: userOrganization, description: userDescription, ...expiryInputs, triggers}, ["description"],
			{expiredAt: expiredAtOutput, kind: kindOutput}),
		[`${PACKAGE}:index:TokenLifetimePolicy`]: {
			description: "The organization's maximum token lifetime per token type (its token TTL policy). Each update sets all four "
				+ "types, unset ones at two years; destroy sets them back to two years. A token depending on it that asks for a longer "
				+ "lifetime fails at preview. Its id is the organization's name, which also imports it.",
			inputProperties: policyInputs,
			requiredInputs: ["organization"],
			properties: {...policyInputs, ...policyOutputs},
			required: ["organization", ...Object.keys(policyOutputs)],
		},
	},
	types: auditTypes,
	functions: {[AUDIT_FUNCTION]: auditFunction},
	/*
	 * What each generated SDK (sdk/, scripts/gen-sdk.sh) needs to work unedited. respectSchemaVersion makes it ask the
	 * engine for the plugin at this schema's version, from pluginDownloadURL. No nodejs section: TypeScript programs
	 * use this npm package's own classes, which run the same engine in the program's process (the dynamic provider),
	 * so a generated Node.js SDK would be a second, plugin-bound way to do the same.
	 */
	language: {
		python: {packageName: "pulumi_tfe_tokens", respectSchemaVersion: true, requires: {pulumi: ">=3.0.0,<4.0.0"}},
		// The Go module is sdk/ (sdk/go.mod, tagged sdk/vX.Y.Z), as in Pulumi's own providers; gen-sdk.sh writes its go.mod.
		go: {importBasePath: "github.com/pulumi-tfe-team-token/pulumi-tfe-team-token/sdk/go/tfetokens", respectSchemaVersion: true},
		// No Gradle files: the generator then writes version.txt itself, and gen-sdk.sh adds the Maven pom.xml and
		// plugin.json (Gradle would write those two at build time).
		java: {basePackage: "io.github.pulumitfeteamtoken", buildFiles: "none", dependencies: {"com.pulumi:pulumi": "1.17.0", "com.google.code.findbugs:jsr305": "3.0.2"}},
		csharp: {rootNamespace: "PulumiTfeTeamToken", respectSchemaVersion: true, packageReferences: {Pulumi: "[3.76.1,4)"}},
	},
};
schema.provider.inputProperties = schema.config.variables;
