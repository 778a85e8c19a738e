module tfe-tokens-go

go 1.26.6

require (
	github.com/pulumi-tfe-team-token/pulumi-tfe-team-token/sdk v0.1.0
	github.com/pulumi/pulumi/sdk/v3 v3.276.0
)
