//go:build tools

// Package tools pins the YAML language host (pulumi-language-yaml) so that `go mod tidy` keeps every module it needs
// in go.mod and go.sum. scripts/ensure-language-hosts.sh builds github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
// from this module.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
