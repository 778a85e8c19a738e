/**
 * A local stand-in for the API-token part of the HCP Terraform API, for tests, demos and benchmarks. It follows
 * the documented behaviour and, where they disagree with the docs, go-tfe's integration tests (which ran against the
 * real service); where both leave a choice open, it chooses as follows:
 *
 * - Any valid credential (the admin token or a current issued token) may manage any team's tokens; the /admin
 *   routes answer the admin token only.
 * - `POST .../authentication-tokens` needs a string description (422 when missing); it may be empty. Descriptions
 *   are unique among the team's stored described tokens, expired ones included, until deleted.
 * - Expired tokens stop authenticating but stay readable and deletable, as on the real service.
 * - Request bodies must be `application/vnd.api+json` (415 otherwise, plain `application/json` included).
 * - The credential is checked before the route: without a valid one every path is 401 (`/api/v2/ping` excepted).
 * - Rate limit: a sliding one-second window per credential (see rate-limit.ts); 401s are not counted.
 * - Faults and latency apply to token routes only, never to /account/details or the routes that make and delete
 *   organizations, teams and agent pools, so tests can always probe whether a credential works.
 * - Organizations, teams and agent pools can be made and deleted at run time (management.ts), each organization
 *   isolated; deleting one revokes every token in it. The start-up organization takes the start-up options.
 * - Organization and audit-trail tokens (one each per organization) and agent tokens (several per pool, description
 *   required, descriptions may repeat) follow the same rules; every issued token authenticates requests here.
 * - Token TTL policies: the start-up organization has them only when set (404 otherwise, as on an older Terraform
 *   Enterprise) and lists only those; one created at run time lists all four types, unset ones at the two-year
 *   default. A policy set (at start-up or by PATCH) caps its token type's default expiry and refuses an
 *   `expired-at` beyond it with 422; a default nobody set caps nothing.
 * - The team-token list takes `q` (part of a team name), `sort` and `filter[expiry_status]` (team-token-query.ts).
 * - `DELETE /organizations/:name/team-tokens` revokes up to 100 of the organization's team tokens at once, all or
 *   none: one id that is not a current team token of that organization makes it a 404 (handlers.ts,
 *   `revokeTeamTokens`). `FaultOptions.bulkRevokeNotFound` makes the route answer 404, as where it does not exist.
 * - `GET /organizations` lists every organization to any credential, paged.
 * - Every credential is a user, an organization or a team: the admin token is a user (a site admin), organization
 *   and team tokens act as service accounts, a user token as its user; `GET /account/details` says which. A user's
 *   tokens (several, descriptions optional and repeatable) answer only that user's own user token: 404 to anyone
 *   else, an empty list for someone else's list. No organization's `user` policy caps them: they belong to none.
 * - `user-tokens-enabled` (true when made; `GET`/`PATCH /organizations/:name`): while false, a user token the local
 *   API issued gets 403 on the organization's token routes; its settings stay readable, the admin is never refused.
 * - `GET /organizations/:name/teams` and `.../agent-pools` list them, paged, for the token audit's names.
 * - `plantTokens` (a method, no route) stores many tokens at once with set creation, expiry and last use (plant.ts).
 */
export {start, type LocalApi} from "./server";
export type {FaultOptions, LocalApiOptions} from "./options";
export type {RequestLogEntry} from "./request-log";
export type {TokenRecord} from "./store";
export type {PlantedToken} from "./plant";
