//go:build tools

// Package tools pins the Node.js language host (pulumi-language-nodejs) so that `go mod tidy` keeps every module it
// needs in go.mod and go.sum. scripts/ensure-pulumi.sh builds
// github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs from this module.
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
)
