//go:build tools

// Package tools pins the Node.js language host so
// `go build github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs` resolves
// inside this module with the versions in go.mod. sdk/v3 v3.68.0 is the newest release
// that still holds this package; later releases moved it into a module without tags.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
