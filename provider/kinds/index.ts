import {agentKind} from "./agent";
import type {TokenKind} from "./kind";
import {auditTrailKind, organizationKind} from "./organization";
import {teamKind} from "./team";
import {userKind} from "./user";

export type {TokenKind} from "./kind";

const KINDS = new Map<unknown, TokenKind>([organizationKind, auditTrailKind, agentKind, userKind].map(kind => [kind.name, kind]));

/** The kind a resource's inputs or state records; none is a TeamToken, whose state predates the `kind` input. */
export function kindOf(props: Record<string, unknown>): TokenKind {
	if (props.kind === undefined || props.kind === null) {
		return teamKind;
	}
	const kind = KINDS.get(props.kind);
	if (!kind) {
		throw new Error(`unknown token kind ${JSON.stringify(props.kind)}`);
	}
	return kind;
}
