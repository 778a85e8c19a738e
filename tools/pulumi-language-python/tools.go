//go:build tools

// Package tools pins the Python language host (pulumi-language-python) so that `go mod tidy` keeps every module it
// needs in go.mod and go.sum. scripts/ensure-language-hosts.sh builds
// github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python from this module and copies the module's script
// python/cmd/pulumi-language-python-exec beside it.
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"
)
