/**
 * The inputs of any token resource after `check`: validated, `expiredAt` normalised to an ISO instant. Each kind
 * takes its owner (`teamId`, `organization` or `agentPoolId`) and the subset of the rest that applies to it;
 * `kind` is set by the resource class of every kind but TeamToken, whose state predates it.
 */
export interface TokenInputs {
	kind?: string;
	teamId?: string;
	organization?: string;
	agentPoolId?: string;
	description?: string;
	forceRegenerate?: boolean;
	expiredAt?: string;
	expiresInDays?: number;
	rotateBeforeDays?: number;
	triggers?: unknown[];
}
