//go:build tools

// Package tools pins the Pulumi CLI so that `go mod tidy` keeps every module it needs in go.mod and go.sum.
// scripts/ensure-pulumi.sh builds github.com/pulumi/pulumi/pkg/v3/cmd/pulumi from this module, setting
// github.com/pulumi/pulumi/sdk/v3/go/common/version.Version with -ldflags -X so `pulumi version` reports the release.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
)
