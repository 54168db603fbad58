#!/usr/bin/env bash
# Installs everything, then upgrades the built-in default: the staging stack, pointed at
# the sample kayobe-config and the kayobe simulator. Preview first, then up.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
stack=${1:-staging}
./bin/pulumi stack select --create "$stack"
./bin/pulumi preview --stack "$stack"
./bin/pulumi up --yes --stack "$stack"
echo "The simulator's journal of kayobe calls: .kayobe-upgrade/$stack/kayobe-journal.jsonl"
