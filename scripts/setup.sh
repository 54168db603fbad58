#!/usr/bin/env bash
# Installs what the project needs on a fresh machine, and nothing twice: the npm
# packages (from package-lock.json), the Pulumi CLI (scripts/ensure-pulumi.sh), the
# real kayobe the preflight checks the shipped stacks against (scripts/ensure-kayobe.sh),
# the sample site's kayobe-config repository (scripts/sample-kayobe-config.sh), Debian's
# sshd and headless Chromium for the tests, and the S3-compatible server the S3 backend
# tests run (scripts/ensure-s3proxy.sh).
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
# Real kayobe of each release the shipped stacks' preflight checks against: 2024.1, the
# target, and 2023.1, from which the Prerequisites run.
scripts/ensure-kayobe.sh 16.8.0 >/dev/null
scripts/ensure-kayobe.sh 14.5.0 >/dev/null
scripts/sample-kayobe-config.sh >/dev/null

# A Debian package the tests need, installed when missing (as root), else named for the
# operator. RUNLEVEL=1 keeps openssh-server from starting a system sshd: the tests start their own.
debian_package() { # PROGRAM PACKAGE WHAT-NEEDS-IT
  [ -x "$1" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: $1 is missing; $3 need Debian's $2 (apt-get install $2)" >&2; exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "$2" >&2
}
debian_package /usr/sbin/sshd openssh-server "the seed check's tests, against a real sshd on loopback (tests/e2e/sshd.ts),"
debian_package /usr/bin/chromium-headless-shell chromium-headless-shell "the status page's tests, in headless Chromium (tests/e2e/chromium.ts),"
scripts/ensure-s3proxy.sh >/dev/null
