/**
 * A local stand-in for the API-token part of the HCP Terraform API, for tests, demos and benchmarks. It follows
 * the documented behaviour; where the docs leave a choice open, it chooses as follows:
 *
 * - Any valid credential (the admin token or a current team token) may manage any team's tokens.
 * - `POST .../authentication-tokens` needs a non-blank description (422 otherwise); descriptions are unique among
 *   the team's stored described tokens, expired ones included, until deleted.
 * - Expired tokens stop authenticating but stay readable and deletable, as on the real service.
 * - Request bodies must be `application/vnd.api+json` (415 otherwise, plain `application/json` included).
 * - Rate limit: a sliding one-second window per credential (see rate-limit.ts); 401s are not counted.
 * - Faults and latency apply to token routes only, never to /account/details, so tests can always probe
 *   whether a credential works.
 * - Organization and audit-trail tokens (one each per organization) and agent tokens (several per pool, description
 *   required, descriptions may repeat) follow the same rules; every issued token authenticates requests here.
 * - Token TTL policies are served only when set (404 otherwise, as on an older Terraform Enterprise); a policy caps
 *   its token type's default expiry and refuses an `expired-at` beyond it with 422.
 */
export {start, type LocalApi} from "./server";
export type {FaultOptions, LocalApiOptions} from "./options";
export type {RequestLogEntry} from "./request-log";
export type {TokenRecord} from "./store";
