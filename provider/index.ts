export {TeamToken, type TeamTokenArgs} from "./resource";
import teamTokenProvider = require("./provider");
export {teamTokenProvider};
export {createImplementation, type ProviderDependencies, type TeamTokenState} from "./crud";
export {resolveSettings, type TfeSettings, type StackConfig} from "./config";
export {TeamTokens, type TeamTokenRecord} from "./team-tokens";
export {createHttp, defaultHttpOptions, type HttpOptions} from "./http";
export {LegacyTokenRaceError, RotationWindowError, TfeApiError, TfeConfigError, TeamTokenExistsError, redact} from "./errors";
