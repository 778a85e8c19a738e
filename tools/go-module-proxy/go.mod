module github.com/pulumi-tfe-team-token/tools/go-module-proxy

go 1.26.6

require golang.org/x/mod v0.43.0
