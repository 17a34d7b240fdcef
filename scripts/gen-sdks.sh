#!/usr/bin/env bash
# Generate the Go, Node.js, Python and .NET SDKs of the pulumi-drs resource plugin from its
# package schema: bash scripts/gen-sdks.sh <schema.json> <outdir>
#
# Builds tools/sdkgen into .pulumi/bin/sdkgen (`go build` every time: it reuses Go's build
# cache, so an up-to-date tool costs about a second) and runs it, which rewrites
# <outdir>/go, <outdir>/nodejs, <outdir>/python and <outdir>/dotnet and runs `go mod tidy`
# in <outdir>/go (see tools/sdkgen/main.go). Needs Go and the Go module proxy (or a module
# cache that holds the SDK's dependencies). Only the Go and Node.js SDKs can be built and
# run here; the Python SDK can be byte-compiled, the .NET one not built (no PyPI, no NuGet).
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: bash scripts/gen-sdks.sh <schema.json> <outdir>" >&2
    exit 2
fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.pulumi/bin"
command -v go >/dev/null 2>&1 || { echo "gen-sdks: Go is needed to build tools/sdkgen and was not found" >&2; exit 1; }
mkdir -p "$BIN"
(cd "$ROOT/tools/sdkgen" && go build -buildvcs=false -o "$BIN/sdkgen" .)
"$BIN/sdkgen" "$1" "$2"
