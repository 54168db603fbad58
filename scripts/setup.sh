#!/usr/bin/env bash
# Installs what the project needs on a fresh machine, and nothing twice: the npm
# packages (from package-lock.json), the Pulumi CLI (scripts/ensure-pulumi.sh), the
# real kayobe the preflight checks the shipped stacks against (scripts/ensure-kayobe.sh),
# Debian's sshd and headless Chromium for the tests, and the S3-compatible server the S3
# backend tests run (scripts/ensure-s3proxy.sh).
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
scripts/ensure-kayobe.sh >/dev/null

# The tests check the seed over SSH against a real sshd on loopback (tests/e2e/sshd.ts).
if [ ! -x /usr/sbin/sshd ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: /usr/sbin/sshd is missing; the SSH tests need Debian's openssh-server (apt-get install openssh-server)" >&2; exit 1
  fi
  # RUNLEVEL=1 keeps the package from starting a system sshd: the tests start their own.
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends openssh-server >&2
fi
# The status page's tests load it in Debian's headless Chromium (tests/e2e/chromium.ts).
if [ ! -x /usr/bin/chromium-headless-shell ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: /usr/bin/chromium-headless-shell is missing; the status page's tests need Debian's chromium-headless-shell (apt-get install chromium-headless-shell)" >&2; exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium-headless-shell >&2
fi
scripts/ensure-s3proxy.sh >/dev/null
