import pulumi
import pulumi_tfe_tokens as tfe

# Which team gets tokens: stack config `teamId`, e.g. `pulumi config set teamId team-BUHBEM97xboT8TVz`.
# The API address and token come from `tfe-tokens:hostname` / `tfe-tokens:token` or TFE_ADDRESS / TFE_TOKEN.
config = pulumi.Config()
team_id = config.require("teamId")

# The team's single legacy token, renewed by any `pulumi up` that finds it within 30 days of expiry.
ci = tfe.TeamToken("ci", team_id=team_id, expires_in_days=90, rotate_before_days=30)

# One more token with a description: several can coexist, and replacing one never leaves a gap.
deploy = tfe.TeamToken("deploy", team_id=team_id, description="deploy pipeline", expires_in_days=30, rotate_before_days=7)

pulumi.export("ciTokenId", ci.token_id)
pulumi.export("ciToken", ci.token)  # a secret: `pulumi stack output ciToken --show-secrets` reveals it
pulumi.export("deployTokenId", deploy.token_id)
pulumi.export("deployToken", deploy.token)
