#!/usr/bin/env bash
# Preview of the shipped staging stack, side by side: a base revision against HEAD, with
# HEAD's kayobe-configs read both cold (caches removed: one `kayobe configuration dump`
# per side) and warm (cached). Rounds alternate, so the machine's noise falls on all three alike.
#   bash bench/preview-read.sh BASE_REV [ROUNDS]    (setup done: scripts/setup.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
base_rev=${1:?usage: bash bench/preview-read.sh BASE_REV [ROUNDS]}
rounds=${2:-5}
work=$(mktemp -d)
# Each copy keeps its record in itself (relative: bin/pulumi runs in the copy).
export KAYOBE_UPGRADE_RECORD=.kayobe-upgrade
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1; git worktree remove --force "$work/head" >/dev/null 2>&1; rm -rf "$work"' EXIT

for side in base head; do
  rev=$([ "$side" = base ] && echo "$base_rev" || echo HEAD)
  git worktree add --detach -q "$work/$side" "$rev"
  ln -s "$PWD/node_modules" "$work/$side/node_modules"
  mkdir -p "$work/$side/.kayobe-upgrade"
  for kayobe in .kayobe-upgrade/kayobe-*; do ln -s "$(readlink -f "$kayobe")" "$work/$side/$kayobe"; done
  # Revisions with the sample site's repository (two sides) build it as setup does.
  if [ -f "$work/$side/scripts/sample-kayobe-config.sh" ]; then (cd "$work/$side" && bash scripts/sample-kayobe-config.sh >/dev/null); fi
  (cd "$work/$side" && ./bin/pulumi stack select --create staging >/dev/null 2>&1)
done

seconds() { # seconds of one preview in $1
  local start end
  start=$(date +%s.%N)
  (cd "$1" && ./bin/pulumi preview --stack staging >/dev/null 2>&1) || { echo "preview failed in $1" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", e - s }'
}

declare -a base cold warm
for ((i = 0; i < rounds; i++)); do
  base+=("$(seconds "$work/base")")
  rm -f "$work/head/.kayobe-upgrade/staging/"*kayobe-config*.json
  cold+=("$(seconds "$work/head")")
  warm+=("$(seconds "$work/head")")
done

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
b=$(median "${base[@]}"); c=$(median "${cold[@]}"); w=$(median "${warm[@]}")
echo "preview of the shipped staging stack, median of $rounds alternating rounds:"
echo "  base $base_rev: ${b} s   (${base[*]})"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "  HEAD, config read cold: ${c} s = $(ratio "$c" "$b")x   (${cold[*]})"
echo "  HEAD, config cached:    ${w} s = $(ratio "$w" "$b")x   (${warm[*]})"
