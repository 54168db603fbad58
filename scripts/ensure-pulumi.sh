#!/usr/bin/env bash
# Prints the directory holding a Pulumi CLI that suits this project, building it from
# the Go module proxy (once per version, cached outside the clone) when no suitable
# `pulumi` is on PATH. The npm package `pulumi` would try to download the CLI, which
# these machines cannot, hence the build. The language host is engine/ (see there).
set -euo pipefail

# The CLI is pinned to the Node.js SDK in package.json: 3.248 is the newest SDK that
# still runs on Node.js 20 (3.249 needs fs/promises.glob from Node.js 22).
version=3.248.0
clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e

cache_root=${KAYOBE_UPGRADE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kayobe-upgrade}
bin=$cache_root/pulumi-v$version/bin

version_at_least() { # $1 >= $2, both x.y.z
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

if [ -x "$bin/pulumi" ]; then
  echo "$bin"; exit 0
fi

# Skip this project's own bin/pulumi wrapper, which calls this script.
wrapper=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bin/pulumi
if found=$(command -v pulumi 2>/dev/null) && [ "$(readlink -f "$found")" != "$wrapper" ]; then
  have=$("$found" version 2>/dev/null | sed 's/^v//')
  if [ -n "$have" ] && version_at_least "$have" "$version"; then
    dirname "$(readlink -f "$found")"; exit 0
  fi
fi

if ! command -v go >/dev/null 2>&1; then
  echo "ensure-pulumi: no Pulumi CLI >= v$version on PATH, and no Go toolchain to build one." >&2
  echo "ensure-pulumi: install Go 1.25 or newer (it fetches Pulumi's modules from the Go module proxy), or put pulumi v$version or newer on PATH." >&2
  exit 1
fi

echo "ensure-pulumi: building Pulumi v$version from Go modules into $bin (once; takes several minutes)" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$bin.partial"
(
  cd "$work"
  export GOFLAGS=-mod=mod
  go mod init local/pulumibuild >/dev/null 2>&1
  # pkg/go.mod replaces the clipboard module with a fork; a dependency's replaces are
  # ignored, so the wrapper module repeats it.
  go mod edit -replace "github.com/atotto/clipboard=$clipboard"
  go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >&2
  ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
  go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" \
    -o "$bin.partial/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
)
rm -rf "$bin"
mv "$bin.partial" "$bin"
echo "$bin"
