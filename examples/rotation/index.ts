import * as pulumi from "@pulumi/pulumi";
import {TeamToken} from "pulumi-tfe-team-token";
import {TokenCheck} from "./token-check";

const config = new pulumi.Config();
const teamId = config.require("teamId");

// The team's legacy token, valid for 90 days. Any `pulumi up` that finds fewer than 30 days left replaces it, so
// running `pulumi up` on a schedule (weekly, say) keeps a valid token in place without anyone remembering to.
// `rotation` rotates on demand: `pulumi config set rotation <a new value>`.
const ci = new TeamToken("ci", {
	teamId,
	expiresInDays: 90,
	rotateBeforeDays: 30,
	triggers: [config.get("rotation") ?? "initial"],
	forceRegenerate: config.getBoolean("forceRegenerate") ?? false,
});

// The consumer gets every new token in the same update that makes it.
const tfe = new pulumi.Config("tfe");
const hostname = tfe.get("hostname") ?? "app.terraform.io";
const check = new TokenCheck("ci-check", {
	address: hostname.includes("://") ? hostname : `https://${hostname}`,
	token: ci.token,
	tokenId: ci.tokenId,
});

export const ciTokenId = ci.tokenId;
export const ciExpiresAt = ci.expiredAt;
export const ciToken = ci.token; // a secret
export const checkedTokenId = check.tokenId;
export const authenticatesAs = check.authenticatesAs;
