#!/usr/bin/env bash
# The benchmark: stacks of 10, 100 and 1,000 overcloud hosts beside a trivial program
# and a shell loop, and runs with step durations against the critical path.
# Options: --sizes=10,100,1000 --repeat=3 --repeat-large=2 --sleep=5 (see bench/README.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec npx ts-node --transpile-only bench/run.ts "$@"
