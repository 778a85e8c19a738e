import * as pulumi from "@pulumi/pulumi";
import {UserToken} from "pulumi-tfe-team-token";

// The API address and token come from `tfe:hostname` / `tfe:token` or TFE_ADDRESS / TFE_TOKEN. The token must be a
// user token of the CI service user: only a user's own user token may manage that user's tokens, so the token made
// below belongs to whoever `tfe:token` acts as.
const config = new pulumi.Config();

// Optional: the organization CI uses the token in. A user token belongs to no organization, so only with this set
// can a preview check that the organization allows user tokens and that its `user` TTL policy allows 90 days.
const organization = config.get("organization");

// 90 days, renewed by any `pulumi up` that finds fewer than 30 left. The service user may hold several tokens, so a
// renewal makes the new token before it revokes the old one; the description is how a create whose answer was lost
// finds its token again.
const ci = new UserToken("ci", {
	description: "ci (managed by Pulumi)",
	expiresInDays: 90,
	rotateBeforeDays: 30,
	organization,
});

export const ciUserId = ci.userId; // the service user, filled in from the credential
export const ciTokenId = ci.tokenId;
export const ciExpiresAt = ci.expiredAt;
export const ciToken = ci.token; // a secret: `pulumi stack output ciToken --show-secrets` reveals it
