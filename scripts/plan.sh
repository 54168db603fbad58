#!/usr/bin/env bash
# Writes a stack's upgrade plan and the picture of its graph, from its config and state:
#   bash scripts/plan.sh STACK   ->  .kayobe-upgrade/STACK/upgrade-plan.md, upgrade-graph.svg
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/record.sh"
cd "$root"
stack=${1:?usage: bash scripts/plan.sh STACK}
bash scripts/setup.sh
exec node -r ts-node/register/transpile-only resources/report/main.ts "$stack"
