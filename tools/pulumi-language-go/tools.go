//go:build tools

// Package tools pins the Go language host (pulumi-language-go) so that `go mod tidy` keeps every module it needs in
// go.mod and go.sum. scripts/ensure-language-hosts.sh builds github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go
// from this module.
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go"
)
