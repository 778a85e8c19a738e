package main

import (
	"github.com/pulumi-tfe-team-token/pulumi-tfe-team-token/sdk/go/tfetokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// Which team gets tokens: `pulumi config set teamId team-BUHBEM97xboT8TVz`. The API address and token come
		// from `tfe-tokens:hostname` / `tfe-tokens:token` or TFE_ADDRESS / TFE_TOKEN.
		teamID := config.Require(ctx, "teamId")

		// The team's single legacy token, renewed by any `pulumi up` that finds it within 30 days of expiry.
		ci, err := tfetokens.NewTeamToken(ctx, "ci", &tfetokens.TeamTokenArgs{
			TeamId:           pulumi.String(teamID),
			ExpiresInDays:    pulumi.Int(90),
			RotateBeforeDays: pulumi.Int(30),
		})
		if err != nil {
			return err
		}

		// One more token with a description: several can coexist, and replacing one never leaves a gap.
		deploy, err := tfetokens.NewTeamToken(ctx, "deploy", &tfetokens.TeamTokenArgs{
			TeamId:           pulumi.String(teamID),
			Description:      pulumi.String("deploy pipeline"),
			ExpiresInDays:    pulumi.Int(30),
			RotateBeforeDays: pulumi.Int(7),
		})
		if err != nil {
			return err
		}

		ctx.Export("ciTokenId", ci.TokenId)
		ctx.Export("ciToken", ci.Token) // a secret: `pulumi stack output ciToken --show-secrets` reveals it
		ctx.Export("deployTokenId", deploy.TokenId)
		ctx.Export("deployToken", deploy.Token)
		return nil
	})
}
