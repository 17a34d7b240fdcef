#!/usr/bin/env bash
# Provide the Pulumi engine for the end-to-end tests and `npm run demo`: the CLI and the
# Node.js language host (`pulumi-language-nodejs`, which runs a program directory).
#
# For each of the two binaries:
# 1. One already on PATH is used as it is (unless PULUMI_DRS_BUILD_ENGINE is set).
# 2. Otherwise it is built from Go modules into .pulumi/bin at the release pinned in its
#    wrapper module under tools/; a binary there that already reports that release is kept.
#    - CLI: tools/pulumi (repeats the replace lines of pkg/v3's own go.mod).
#    - Language host: tools/pulumi-language-nodejs, on sdk/v3 v3.68.0, the newest sdk/v3
#      release that still holds nodejs/cmd/pulumi-language-nodejs (later releases moved it
#      into a module without tags that the Go module proxy does not serve).
#
# The dynamic provider plugin (pulumi-resource-pulumi-nodejs) ships inside
# node_modules/@pulumi/pulumi; the tests and the demo put that directory on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.pulumi/bin"
export PULUMI_SKIP_UPDATE_CHECK=true
VERSION_FLAG="github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"

# pinned <tools dir> <module>: the version of <module> that tools/<tools dir>/go.mod requires.
pinned() {
    sed -n "s#.*$2 \(v[0-9.]*\).*#\1#p" "$ROOT/tools/$1/go.mod" | head -n1
}

# build <tools dir> <version> <package> <output>
build() {
    command -v go >/dev/null 2>&1 || { echo "setup-pulumi: Go is needed to build $4 ($2) and was not found" >&2; exit 1; }
    echo "setup-pulumi: building $(basename "$4") $2 from Go modules ($(go version | cut -d' ' -f3)); a cold build takes minutes"
    local start
    start=$(date +%s)
    mkdir -p "$BIN"
    (cd "$ROOT/tools/$1" && go build -buildvcs=false -o "$4" -ldflags "-X $VERSION_FLAG=$2" "$3")
    echo "setup-pulumi: built $4 in $(( $(date +%s) - start )) s"
}

# The CLI.
CLI_VERSION="$(pinned pulumi github.com/pulumi/pulumi/pkg/v3)"
if [ -z "${PULUMI_DRS_BUILD_ENGINE:-}" ] && command -v pulumi >/dev/null 2>&1; then
    echo "setup-pulumi: using $(command -v pulumi) ($(pulumi version)) from PATH"
elif [ -x "$BIN/pulumi" ] && [ "$("$BIN/pulumi" version 2>/dev/null)" = "$CLI_VERSION" ]; then
    echo "setup-pulumi: $BIN/pulumi $CLI_VERSION already built"
else
    build pulumi "$CLI_VERSION" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$BIN/pulumi"
fi

# The Node.js language host. It has no version flag: the sdk/v3 release it was built from
# is read from the build information Go embeds in the binary (`go version -m`).
HOST_VERSION="$(pinned pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3)"
HOST="$BIN/pulumi-language-nodejs"
host_version() {
    command -v go >/dev/null 2>&1 || { echo "unknown"; return; }
    go version -m "$1" 2>/dev/null | awk '($1 == "mod" || $1 == "dep") && $2 == "github.com/pulumi/pulumi/sdk/v3" { print $3 }'
}
if [ -z "${PULUMI_DRS_BUILD_ENGINE:-}" ] && [ ! -x "$HOST" ] && command -v pulumi-language-nodejs >/dev/null 2>&1; then
    echo "setup-pulumi: using $(command -v pulumi-language-nodejs) from PATH"
elif [ -x "$HOST" ] && [ "$(host_version "$HOST")" = "$HOST_VERSION" ]; then
    echo "setup-pulumi: $HOST $HOST_VERSION already built"
elif [ -x "$HOST" ] && [ "$(host_version "$HOST")" = "unknown" ]; then
    echo "setup-pulumi: keeping $HOST (no Go to read its version)"
else
    build pulumi-language-nodejs "$HOST_VERSION" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "$HOST"
fi
