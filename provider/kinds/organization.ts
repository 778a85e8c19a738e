import type {Http} from "../api/http";
import type {TokenInputs} from "./token-inputs";
import {OrganizationTokens, type OrganizationTokenType} from "../api/organization-tokens";
import type {TtlTokenType} from "../api/token-ttl-policies";
import type {SingleSlot} from "./token-slot";
import {validOrganizationName} from "../api/validation";
import {LIFETIME_INPUTS, type TokenKind, unknownImportId} from "./kind";

function organizationTokenKind(
	name: "organization" | "audit-trail",
	resource: string,
	type: OrganizationTokenType,
	ttlType: TtlTokenType,
	label: (organization: string) => string,
): TokenKind {
	return {
		name,
		resource,
		ownerInput: "organization",
		ownerNoun: "organization",
		inputNames: ["organization", "forceRegenerate", ...LIFETIME_INPUTS],
		checkOwner: value => validOrganizationName(value)
			? undefined
			: "must be an organization name: letters, digits, \"-\" and \"_\", at most 64 characters; got {got}",
		requiresDescription: false,
		uniqueDescriptions: false,
		shapeOf: () => "single",
		ttl: {type: ttlType, organization: inputs => inputs.organization!},
		slot(inputs: TokenInputs, http: Http): SingleSlot {
			const api = new OrganizationTokens(http, type);
			const organization = inputs.organization!;
			return {
				shape: "single",
				owner: label(organization),
				waysOut: "set `forceRegenerate: true` to replace it; ",
				revokeRoute: `DELETE /api/v2/${api.path(organization)}`,
				generate: expiredAt => api.generate(organization, {expiredAt}),
				current: () => api.read(organization),
				revoke: () => api.delete(organization),
			};
		},
		importIds: "the organization's name",
		async adopt(id, http) {
			if (!validOrganizationName(id)) {
				throw unknownImportId({resource, importIds: this.importIds}, id);
			}
			const record = await new OrganizationTokens(http, type).read(id);
			return record && {inputs: {organization: id}, record};
		},
	};
}

/** The organization's API token: one per organization, a POST replaces it. */
export const organizationKind = organizationTokenKind(
	"organization", "OrganizationToken", "organization", "organization", organization => `organization ${organization}`);

/** The organization's audit-trail token: the same route with `?token=audit-trails`, one per organization. */
export const auditTrailKind = organizationTokenKind(
	"audit-trail", "AuditTrailToken", "audit-trails", "audit_trails", organization => `the audit trails of organization ${organization}`);
