/**
 * The inputs of any token resource after `check`: validated, `expiredAt` normalised to an ISO instant. Each kind
 * takes its owner (`teamId`, `organization`, `agentPoolId` or `userId`) and the subset of the rest that applies to it;
 * `kind` is set by the resource class of every kind but TeamToken, whose state predates it.
 */
export interface TokenInputs {
	kind?: string;
	teamId?: string;
	organization?: string;
	agentPoolId?: string;
	userId?: string;
	description?: string;
	forceRegenerate?: boolean;
	expiredAt?: string;
	expiresInDays?: number;
	rotateBeforeDays?: number;
	triggers?: unknown[];
}
