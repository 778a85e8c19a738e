//go:build tools

// Package tools pins the Java language host (pulumi-language-java) so that `go mod tidy` keeps every module it needs
// in go.mod and go.sum. scripts/ensure-language-hosts.sh builds github.com/pulumi/pulumi-java/pkg/cmd/pulumi-language-java
// from this module; `pulumi package gen-sdk --language java` asks it for the Java SDK.
package tools

import (
	_ "github.com/pulumi/pulumi-java/pkg/cmd/pulumi-language-java"
)
