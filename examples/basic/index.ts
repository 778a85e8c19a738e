import * as pulumi from "@pulumi/pulumi";
import {TeamToken} from "pulumi-tfe-team-token";

// Which team gets tokens: stack config `teamId`, e.g. `pulumi config set teamId team-BUHBEM97xboT8TVz`.
// The API address and token come from `tfe:hostname` / `tfe:token` or TFE_ADDRESS / TFE_TOKEN.
const config = new pulumi.Config();
const teamId = config.require("teamId");

// The team's single legacy token, renewed by any `pulumi up` that finds it within 30 days of expiry.
// forceRegenerate: the team may already have a legacy token made elsewhere; this program owns it from now on.
const ci = new TeamToken("ci", {
	teamId,
	expiresInDays: 90,
	rotateBeforeDays: 30,
	forceRegenerate: config.getBoolean("forceRegenerate") ?? false,
});

// One more token with a description: several can coexist, and replacing one never leaves a gap.
const deploy = new TeamToken("deploy", {
	teamId,
	description: "deploy pipeline",
	expiresInDays: 30,
	rotateBeforeDays: 7,
});

export const ciTokenId = ci.tokenId;
export const ciExpiresAt = ci.expiredAt;
export const ciToken = ci.token; // a secret: `pulumi stack output ciToken --show-secrets` reveals it
export const deployTokenId = deploy.tokenId;
export const deployToken = deploy.token;
