/**
 * The token an ESC request asks for, named by what owns it. Described team, agent-pool and user tokens are many per
 * owner; a team's legacy token, the organization token and the audit-trail token are one per owner (a POST
 * replaces them), so only `/rotate` serves those.
 */
export type Owner =
	| {readonly kind: "team"; readonly teamId: string}
	| {readonly kind: "legacyTeam"; readonly teamId: string}
	| {readonly kind: "agentPool"; readonly agentPoolId: string}
	| {readonly kind: "user"}
	| {readonly kind: "organizationToken"; readonly organization: string}
	| {readonly kind: "auditTrailToken"; readonly organization: string};

export type SingleSlotOwner = Extract<Owner, {kind: "legacyTeam" | "organizationToken" | "auditTrailToken"}>;
export type ManySlotOwner = Exclude<Owner, SingleSlotOwner>;

export function isSingleSlot(owner: Owner): owner is SingleSlotOwner {
	return owner.kind === "legacyTeam" || owner.kind === "organizationToken" || owner.kind === "auditTrailToken";
}

/** The owner in words, for messages: "a described token of team team-abc1". */
export function describeOwner(owner: Owner): string {
	switch (owner.kind) {
		case "team":
			return `a described token of team ${owner.teamId}`;
		case "legacyTeam":
			return `the legacy token of team ${owner.teamId}`;
		case "agentPool":
			return `an agent token of pool ${owner.agentPoolId}`;
		case "user":
			return "a user token of the adapter's user";
		case "organizationToken":
			return `the organization token of ${owner.organization}`;
		case "auditTrailToken":
			return `the audit-trail token of ${owner.organization}`;
	}
}

/** The owner in the log line: "team:team-abc1", "user". */
export function ownerLabel(owner: Owner): string {
	switch (owner.kind) {
		case "team":
		case "legacyTeam":
			return `${owner.kind}:${owner.teamId}`;
		case "agentPool":
			return `agentPool:${owner.agentPoolId}`;
		case "user":
			return "user";
		default:
			return `${owner.kind}:${owner.organization}`;
	}
}
