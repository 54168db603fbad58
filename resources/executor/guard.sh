#!/usr/bin/env bash
# Runs one command of a step for the provider (resources/executor/process-group.ts), as
# the leader of a process group of its own:
# - it holds the stack's lock (flock on LOCK) for as long as any process of the command
#   lives, so that no two kayobes of a stack ever run at once;
# - it ends every process of the command when the provider that started it is gone
#   (kill -9, OOM): kayobe never outlives what watches it.
# The command's processes are those carrying KAYOBE_UPGRADE_RUN=TOKEN in their
# environment, which a child that leaves the process group (setsid) keeps too.
# REMOVE, if not empty, is removed once they are gone (a key file for ssh), however it ended.
# Usage: guard.sh LOCK PROVIDER_PID TOKEN REMOVE PROGRAM [ARG...]
set -u
lock=$1 provider=$2 token=$3 remove=$4
shift 4
exec 9>>"$lock" || exit 125
# The provider waited for the lock to be free; another run may just have taken it.
if ! flock -w 10 9; then
  echo "kayobe-upgrade: the stack's lock $lock is held by another run" >&2
  exit 125
fi
leader=$$
members() { grep -lsaxzF "KAYOBE_UPGRADE_RUN=$token" /proc/[0-9]*/environ | cut -d/ -f3; }
watchdog() {
  # Not a member, deaf to what ends the members, holding the lock (fd 9). Its input is a
  # pipe the command holds open: end of file the moment the command's leader exits.
  trap '' HUP INT TERM
  exec >/dev/null 2>&1
  while kill -0 "$provider"; do
    read -r -t 0.5 _ || [ $? -gt 128 ] || break
  done
  if ! kill -0 "$provider"; then
    kill -TERM -- "-$leader" $(members)
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ -z "$(members)" ] && break; sleep 0.5; done
    kill -KILL $(members)
  fi
  # The lock is free only once nothing of the command is left.
  while [ -n "$(members)" ]; do sleep 0.2; done
  [ -z "$remove" ] || rm -rf -- "$remove"
}
exec 8> >(watchdog)
exec env "KAYOBE_UPGRADE_RUN=$token" "$@"
