import * as pulumi from "@pulumi/pulumi";
import {TeamToken} from "pulumi-tfe-team-token";

const config = new pulumi.Config();
const teamId = config.require("teamId");

// A described token whose description names the rotation. Setting a new `rotation`
// (`pulumi config set rotation 2027-02`) gives the replacement a new description, so the new token is created
// first, everything in the stack that uses `deploy.token` is updated, and only then is the old one revoked: at no
// moment is there no valid token. (Rotated under the same description, as rotateBeforeDays would, the API's unique
// descriptions force the old token to go first.)
const rotation = config.get("rotation") ?? "initial";
const deploy = new TeamToken("deploy", {
	teamId,
	description: `deploy (rotation ${rotation})`,
	expiresInDays: 120,
});

export const deployTokenId = deploy.tokenId;
export const deployDescription = deploy.description;
export const deployToken = deploy.token; // a secret
