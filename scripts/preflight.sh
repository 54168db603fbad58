#!/usr/bin/env bash
# Checks every command of a stack's plan against the stack's preflight kayobe (its own
# argument parser), running none, and prints each mismatch with the reason.
# Usage: bash scripts/preflight.sh [stack]   (default staging)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/record.sh"
cd "$root"
exec node -r ts-node/register/transpile-only resources/preflight/cli.ts "$@"
