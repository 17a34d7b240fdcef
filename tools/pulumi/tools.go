//go:build tools

// Package tools pins the Pulumi CLI so `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi`
// resolves inside this module with the versions in go.mod.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
