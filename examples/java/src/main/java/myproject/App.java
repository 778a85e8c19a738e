package myproject;

import com.pulumi.Pulumi;
import io.github.pulumitfeteamtoken.tfetokens.TeamToken;
import io.github.pulumitfeteamtoken.tfetokens.TeamTokenArgs;

public class App {
    public static void main(String[] args) {
        Pulumi.run(ctx -> {
            // Which team gets tokens: `pulumi config set teamId team-BUHBEM97xboT8TVz`. The API address and token come
            // from `tfe-tokens:hostname` / `tfe-tokens:token` or TFE_ADDRESS / TFE_TOKEN.
            var teamId = ctx.config().require("teamId");

            // The team's single legacy token, renewed by any `pulumi up` that finds it within 30 days of expiry.
            var ci = new TeamToken("ci", TeamTokenArgs.builder()
                .teamId(teamId)
                .expiresInDays(90)
                .rotateBeforeDays(30)
                .build());

            // One more token with a description: several can coexist, and replacing one never leaves a gap.
            var deploy = new TeamToken("deploy", TeamTokenArgs.builder()
                .teamId(teamId)
                .description("deploy pipeline")
                .expiresInDays(30)
                .rotateBeforeDays(7)
                .build());

            ctx.export("ciTokenId", ci.tokenId());
            ctx.export("ciToken", ci.token()); // a secret: `pulumi stack output ciToken --show-secrets` reveals it
            ctx.export("deployTokenId", deploy.tokenId());
            ctx.export("deployToken", deploy.token());
        });
    }
}
