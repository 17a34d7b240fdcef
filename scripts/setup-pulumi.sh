#!/usr/bin/env bash
# Provide the Pulumi engine for the end-to-end tests and `npm run demo`: the CLI and three
# language hosts, each of which runs a program directory of its language:
# `pulumi-language-nodejs`, `pulumi-language-yaml` and `pulumi-language-go`.
#
# For each of the four binaries:
# 1. One already on PATH is used as it is (unless PULUMI_DRS_BUILD_ENGINE is set; a language
#    host already built in .pulumi/bin is kept in preference to one on PATH).
# 2. Otherwise it is built from Go modules into .pulumi/bin at the release pinned in its
#    wrapper module under tools/; a binary there that already reports that release is kept.
#    - CLI: tools/pulumi (repeats the replace lines of pkg/v3's own go.mod).
#    - Node.js host: tools/pulumi-language-nodejs, on sdk/v3 v3.68.0, the newest sdk/v3
#      release that still holds nodejs/cmd/pulumi-language-nodejs (later releases moved it
#      into a module without tags that the Go module proxy does not serve).
#    - YAML host: tools/pulumi-language-yaml, github.com/pulumi/pulumi-yaml v1.25.0.
#    - Go host: tools/pulumi-language-go, on sdk/v3 v3.62.0, the newest sdk/v3 release served
#      here that still holds go/pulumi-language-go (it runs Go programs; it cannot generate
#      code: scripts/gen-sdks.sh does that).
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

# build <tools dir> <version> <package> <output> [<version variable>]
build() {
    command -v go >/dev/null 2>&1 || { echo "setup-pulumi: Go is needed to build $4 ($2) and was not found" >&2; exit 1; }
    echo "setup-pulumi: building $(basename "$4") $2 from Go modules ($(go version | cut -d' ' -f3)); a cold build takes minutes"
    local start
    start=$(date +%s)
    mkdir -p "$BIN"
    (cd "$ROOT/tools/$1" && go build -buildvcs=false -o "$4" -ldflags "-X ${5:-$VERSION_FLAG}=$2" "$3")
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

# module_version <binary> <module>: the version of <module> a Go binary was built with, read
# from the build information Go embeds in it (`go version -m`); "unknown" without Go.
module_version() {
    command -v go >/dev/null 2>&1 || { echo "unknown"; return; }
    go version -m "$1" 2>/dev/null | awk -v m="$2" '($1 == "mod" || $1 == "dep") && $2 == m { print $3 }'
}

# host <name = tools dir> <module pinned in its go.mod> <package> [<version variable>]
# The language hosts: the release a host was built from is read with module_version.
host() {
    local version bin
    version="$(pinned "$1" "$2")"
    bin="$BIN/$1"
    if [ -z "${PULUMI_DRS_BUILD_ENGINE:-}" ] && [ ! -x "$bin" ] && command -v "$1" >/dev/null 2>&1; then
        echo "setup-pulumi: using $(command -v "$1") from PATH"
    elif [ -x "$bin" ] && [ "$(module_version "$bin" "$2")" = "$version" ]; then
        echo "setup-pulumi: $bin $version already built"
    elif [ -x "$bin" ] && [ "$(module_version "$bin" "$2")" = "unknown" ]; then
        echo "setup-pulumi: keeping $bin (no Go to read its version)"
    else
        build "$1" "$version" "$3" "$bin" "${4:-}"
    fi
}

host pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3 github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
host pulumi-language-yaml github.com/pulumi/pulumi-yaml github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
    github.com/pulumi/pulumi-yaml/pkg/version.Version
host pulumi-language-go github.com/pulumi/pulumi/sdk/v3 github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go
