#!/usr/bin/env bash
# Builds the sample site's kayobe-config repository, where the shipped stacks point:
# branch site/2023.1 (samples/kayobe-config with samples/kayobe-config-2023.1 over it),
# then site/2024.1 (samples/kayobe-config) after it, checked out, as a site has them once
# it has merged the 2024.1 configuration. Rebuilt only when the samples change, so a
# commit made there stays until then. Prints the repository's path.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dest=${1:-.kayobe-upgrade/sample-kayobe-config}
target=samples/kayobe-config
source=samples/kayobe-config-2023.1
# kayobe writes its kolla config (etc/kolla) into the checkout: output, not sample.
files() { (cd "$1" && find . -type f -not -path './etc/kolla/*' | LC_ALL=C sort); }
digest=$( { files "$target" | sed "s|^|$target/|"; files "$source" | sed "s|^|$source/|"; } | xargs sha256sum | sha256sum | cut -d' ' -f1)
if [ "$(cat "$dest/.git/kayobe-upgrade-sample" 2>/dev/null)" = "$digest" ]; then
  echo "$dest"
  exit 0
fi

build=$dest.building.$$
trap 'rm -rf "$build"' EXIT
rm -rf "$build"
mkdir -p "$build"
copy() { files "$1" | while read -r f; do mkdir -p "$build/$(dirname "$f")"; cp -p "$1/$f" "$build/$f"; done; }
# Fixed names and dates: the same samples give the same commits.
export GIT_AUTHOR_NAME="Sample site" GIT_AUTHOR_EMAIL=ops@sample.invalid GIT_COMMITTER_NAME="Sample site" GIT_COMMITTER_EMAIL=ops@sample.invalid
export GIT_AUTHOR_DATE=2026-01-05T09:00:00Z GIT_COMMITTER_DATE=2026-01-05T09:00:00Z
git -C "$build" init -q -b site/2023.1
copy "$target"
copy "$source"
rm "$build/README.md"
git -C "$build" add -A
git -C "$build" commit -q -m "Sample site on 2023.1 Antelope, quorum queues set for the migration"
git -C "$build" checkout -q -b site/2024.1
git -C "$build" rm -q -r .
copy "$target"
export GIT_AUTHOR_DATE=2026-02-02T09:00:00Z GIT_COMMITTER_DATE=2026-02-02T09:00:00Z
git -C "$build" add -A
git -C "$build" commit -q -m "Merge the 2024.1 Caracal configuration (Preparation: Migrating Kayobe Configuration)"
echo "$digest" >"$build/.git/kayobe-upgrade-sample"

rm -rf "$dest"
mv "$build" "$dest"
# A worktree made from the repository this replaces points at nothing now.
git -C "$dest" worktree prune
echo "$dest"
