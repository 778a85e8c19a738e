import {PACKAGE_VERSION} from "../api/version";
import {type TokenKind} from "../kinds";
import {agentKind} from "../kinds/agent";
import {auditTrailKind, organizationKind} from "../kinds/organization";
import {teamKind} from "../kinds/team";
import {userKind} from "../kinds/user";
import {POLICY_KIND, POLICY_RESOURCE} from "../policy/inputs";

/**
 * The Pulumi package the plugin serves. Not `tfe`: that is the bridged `@pulumi/tfe` (plugin
 * `pulumi-resource-tfe`), which a program may use beside this one, and two plugins of one name cannot coexist.
 */
export const PACKAGE = "tfe-tokens";

export const PLUGIN_VERSION = PACKAGE_VERSION;

/** The repository package.json names (tests/plugin-schema.test.ts keeps them equal): the SDKs' home page. */
export const REPOSITORY = "https://github.com/pulumi-tfe-team-token/pulumi-tfe-team-token";

/**
 * Where the engine downloads the plugin archive (`pulumi-resource-tfe-tokens-v<version>-<os>-<arch>.tar.gz`) when a
 * program's SDK asks for it: the GitHub releases of that repository, in the engine's `github://<API host>/<owner>/<repo>`
 * form.
 */
export const PLUGIN_DOWNLOAD_URL = `github://api.github.com${new URL(REPOSITORY).pathname}`;

/** The kinds the plugin serves, in the order the schema lists them. */
export const PLUGIN_KINDS: readonly TokenKind[] = [teamKind, organizationKind, auditTrailKind, agentKind, userKind];

/** `tfe-tokens:index:TeamToken` and the like. */
export const typeToken = (kind: TokenKind) => `${PACKAGE}:index:${kind.resource}`;

const BY_TYPE = new Map(PLUGIN_KINDS.map(kind => [typeToken(kind), kind]));

/** The TTL policy's type: not a kind of token, served beside them. */
export const POLICY_TYPE = `${PACKAGE}:index:${POLICY_RESOURCE}`;

/**
 * The `kind` the dynamic classes record for the resource a URN names (`urn:pulumi:stack::project::tfe-tokens:index:TeamToken::name`),
 * which the provider dispatches on; undefined for TeamToken, which records none.
 */
export function recordedKind(urn: string): string | undefined {
	const type = urn.split("::")[2]?.split("$").pop() ?? "";
	if (type === POLICY_TYPE) {
		return POLICY_KIND;
	}
	const kind = BY_TYPE.get(type);
	if (!kind) {
		throw new Error(`${PACKAGE} has no resource type ${JSON.stringify(type)}; it serves ${[...BY_TYPE.keys(), POLICY_TYPE].join(", ")}.`);
	}
	return kind === teamKind ? undefined : kind.name;
}
