#!/usr/bin/env bash
# Installs everything, type-checks, then runs every test: the pure ones and those that
# drive the real Pulumi engine on throwaway stacks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
npx tsc --noEmit --noCheck false -p .
npx mocha --timeout 900000 'tests/unit/**/*.test.ts' 'tests/e2e/**/*.test.ts' "$@"
