#!/usr/bin/env bash
# Installs real kayobe from PyPI into a virtualenv cached outside the clone (once per
# version), and links it as .kayobe-upgrade/kayobe-<version> in the project, where the
# shipped stacks' preflightKayobeBin points: the preflight checks the plan's commands
# against this kayobe's own parser while the upgrade itself runs the simulator.
# Prints the virtualenv's path. About 45 s and 580 MB (ansible is most of it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# kayobe 16.x is the 2024.1 (Caracal) series, the shipped stacks' targetRelease.
version=${1:-16.8.0}
cache_root=${KAYOBE_UPGRADE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kayobe-upgrade}
venv=$cache_root/kayobe-$version-venv

# A virtualenv cannot be moved once made (its scripts name their python), so it is
# built in place and marked complete last; an interrupted install is redone.
if [ ! -f "$venv/.complete" ]; then
  echo "ensure-kayobe: installing kayobe $version from PyPI into $venv (once; about a minute)" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --no-input --disable-pip-version-check --quiet "kayobe==$version" >&2
  touch "$venv/.complete"
fi

mkdir -p .kayobe-upgrade
ln -sfn "$venv" ".kayobe-upgrade/kayobe-$version"
echo "$venv"
