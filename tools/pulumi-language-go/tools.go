//go:build tools

// Package tools pins the Go language host so
// `go build github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go` resolves inside this
// module with the versions in go.mod. sdk/v3 v3.62.0 is the newest release the Go module
// proxy serves that still holds this package; later releases moved it into a module of
// its own that the proxy does not serve.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go"
