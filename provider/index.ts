export {TeamToken, type TeamTokenArgs} from "./resources/team";
export {AuditTrailToken, OrganizationToken, type OrganizationTokenArgs} from "./resources/organization";
export {AgentToken, type AgentTokenArgs} from "./resources/agent";
export {UserToken, type UserTokenArgs} from "./resources/user";
export {TokenLifetimePolicy, type TokenLifetimePolicyArgs} from "./resources/token-lifetime-policy";
export {auditTokens, auditTokensOutput, type AuditTokensArgs, type AuditTokensOutputArgs, type AuditTokensResult, type AuditedToken} from "./resources/audit-tokens";
export type {ProviderDependencies, TeamTokenState, TokenState} from "./engine/crud";
export {resolveSettings, type TfeSettings, type StackConfig} from "./api/config";
export {TeamTokens, type TeamTokenRecord} from "./api/team-tokens";
export {OrganizationTokens, type OrganizationTokenType} from "./api/organization-tokens";
export {AgentTokens} from "./api/agent-tokens";
export {UserTokens} from "./api/user-tokens";
export {DEFAULT_MAX_TTL_MS, TokenTtlPolicies} from "./api/token-ttl-policies";
export type {TokenRecord} from "./api/token-document";
export type {HttpOptions} from "./api/http";
export {TfeApiError, TfeConfigError, redact} from "./api/errors";
export {LegacyTokenRaceError, RotationWindowError, TokenExistsError, TokenExistsError as TeamTokenExistsError} from "./engine/errors";

/*
 * The engine and the HTTP client run in the dynamic-provider host, which loads them through provider.ts, not in the
 * program: these exports load them on first use, so a program that only declares resources does not (docs/benchmarks.md).
 */
import type teamTokenProviderModule = require("./provider");
import type * as crud from "./engine/crud";
import type * as http from "./api/http";

export declare const teamTokenProvider: typeof teamTokenProviderModule;
export declare const createImplementation: typeof crud.createImplementation;
export declare const createHttp: typeof http.createHttp;
export declare const defaultHttpOptions: typeof http.defaultHttpOptions;

const onFirstUse: Record<string, () => unknown> = {
	teamTokenProvider: () => require("./provider"),
	createImplementation: () => (require("./engine/crud") as typeof crud).createImplementation,
	createHttp: () => (require("./api/http") as typeof http).createHttp,
	defaultHttpOptions: () => (require("./api/http") as typeof http).defaultHttpOptions,
};
for (const [name, load] of Object.entries(onFirstUse)) Object.defineProperty(exports, name, {enumerable: true, get: load});
