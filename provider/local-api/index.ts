/**
 * A local stand-in for the team-token part of the HCP Terraform API, for tests, demos and benchmarks. It follows
 * the documented behaviour; where the docs leave a choice open, it chooses as follows:
 *
 * - Any valid credential (the admin token or a current team token) may manage any team's tokens.
 * - `POST .../authentication-tokens` needs a non-blank description (422 otherwise); descriptions are unique among
 *   the team's stored described tokens, expired ones included, until deleted.
 * - Expired tokens stop authenticating but stay readable and deletable, as on the real service.
 * - Request bodies must be `application/vnd.api+json` (415 otherwise, plain `application/json` included).
 * - Rate limit: a sliding one-second window per credential (see rate-limit.ts); 401s are not counted.
 * - Faults and latency apply to team-token routes only, never to /account/details, so tests can always probe
 *   whether a credential works.
 */
export {start, type LocalApi} from "./server";
export type {FaultOptions, LocalApiOptions} from "./options";
export type {RequestLogEntry} from "./request-log";
export type {TokenRecord} from "./store";
