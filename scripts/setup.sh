#!/usr/bin/env bash
# Installs what the project needs on a fresh machine, and nothing twice: the npm
# packages (from package-lock.json), the Pulumi CLI (scripts/ensure-pulumi.sh) and the
# S3-compatible server the S3 backend tests run (scripts/ensure-s3proxy.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need() { command -v "$1" >/dev/null 2>&1 || { echo "setup: $1 is required: $2" >&2; exit 1; }; }
need node "Node.js 20.19 or newer"
need npm "npm, which comes with Node.js"
need python3 "Python 3.9 or newer, for the kayobe simulator"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
scripts/ensure-pulumi.sh >/dev/null
scripts/ensure-s3proxy.sh >/dev/null
