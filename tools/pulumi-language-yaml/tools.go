//go:build tools

// Package tools pins the Pulumi YAML language host so
// `go build github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml` resolves inside this
// module with the versions in go.mod.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
