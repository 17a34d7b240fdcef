#!/usr/bin/env bash
# Provide the Pulumi CLI (the engine) for the end-to-end tests and `npm run demo`.
#
# 1. A `pulumi` already on PATH is used as it is.
# 2. Otherwise the CLI is built from Go modules into .pulumi/bin/pulumi, at the release
#    pinned in tools/pulumi/go.mod (a wrapper module that repeats the replace lines of
#    pkg/v3's own go.mod). A binary that already reports the pinned version is kept.
#
# The dynamic provider plugin (pulumi-resource-pulumi-nodejs) ships inside
# node_modules/@pulumi/pulumi; the tests and the demo put that directory on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.pulumi/bin"
VERSION="$(sed -n 's#.*github.com/pulumi/pulumi/pkg/v3 \(v[0-9.]*\).*#\1#p' "$ROOT/tools/pulumi/go.mod")"
export PULUMI_SKIP_UPDATE_CHECK=true

if [ -z "${PULUMI_DRS_BUILD_ENGINE:-}" ] && command -v pulumi >/dev/null 2>&1; then
    echo "setup-pulumi: using $(command -v pulumi) ($(pulumi version)) from PATH"
    exit 0
fi
if [ -x "$BIN/pulumi" ] && [ "$("$BIN/pulumi" version 2>/dev/null)" = "$VERSION" ]; then
    echo "setup-pulumi: $BIN/pulumi $VERSION already built"
    exit 0
fi
command -v go >/dev/null 2>&1 || { echo "setup-pulumi: Go is needed to build the Pulumi CLI ($VERSION) and was not found" >&2; exit 1; }

echo "setup-pulumi: building the Pulumi CLI $VERSION from Go modules ($(go version | cut -d' ' -f3)); a cold build takes several minutes"
start=$(date +%s)
mkdir -p "$BIN"
cd "$ROOT/tools/pulumi"
go build -buildvcs=false -o "$BIN/pulumi" \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
echo "setup-pulumi: built $BIN/pulumi ($("$BIN/pulumi" version)) in $(( $(date +%s) - start )) s"
