//go:build tools

// Package gotfe only pins go-tfe in this module, so that `go test github.com/hashicorp/go-tfe` run from this
// directory tests exactly v1.109.0 with the sums in go.sum. It is never built.
package gotfe

import _ "github.com/hashicorp/go-tfe"
