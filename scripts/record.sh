# The record of the upgrades run from this control host: the local file backend's state
# (unless PULUMI_BACKEND_URL names another backend) and each stack's logs, with the steps'
# record that bin/status reads. It lives outside the tool's checkout, where neither
# `git clean -fdx` nor a new clone takes it: in KAYOBE_UPGRADE_RECORD, by default the
# user's state directory (README: Where the record lives). Sourced, with $root the project,
# by bin/pulumi, bin/status and the scripts that read a stack; exports KAYOBE_UPGRADE_RECORD.

KAYOBE_UPGRADE_RECORD=${KAYOBE_UPGRADE_RECORD:-${XDG_STATE_HOME:-$HOME/.local/state}/kayobe-upgrade}
mkdir -p "$KAYOBE_UPGRADE_RECORD"
KAYOBE_UPGRADE_RECORD=$(cd "$KAYOBE_UPGRADE_RECORD" && pwd)
export KAYOBE_UPGRADE_RECORD

# Earlier versions kept the record in the checkout: .pulumi-state/ and .kayobe-upgrade/logs/.
# What is found there moves into the record, saying so. Where the record holds the same
# already, nothing moves and nothing runs: going on with either alone could run done
# steps again, outages included.
move_old_record() {
  local moves=() taken=() from to i
  local logs=$root/.kayobe-upgrade/logs
  # The default backend's only: a backend the operator names is theirs.
  if [ -z "${PULUMI_BACKEND_URL:-}" ] && [ -d "$root/.pulumi-state" ]; then
    moves+=("$root/.pulumi-state" "$KAYOBE_UPGRADE_RECORD/state")
  fi
  if [ -d "$logs" ] && ! [ "$logs" -ef "$KAYOBE_UPGRADE_RECORD/logs" ]; then
    for from in "$logs"/*/; do
      if [ -d "$from" ]; then moves+=("${from%/}" "$KAYOBE_UPGRADE_RECORD/logs/$(basename "$from")"); fi
    done
  fi
  [ ${#moves[@]} -gt 0 ] || return 0
  for ((i = 0; i < ${#moves[@]}; i += 2)); do
    # A backend with no stack in it (its meta.yaml alone), or an empty folder, holds nothing yet.
    [ -z "$(find "${moves[i + 1]}" -type f ! -name 'meta.yaml*' -print -quit 2>/dev/null)" ] || taken+=("  ${moves[i]}" "  and ${moves[i + 1]}")
  done
  if [ ${#taken[@]} -gt 0 ]; then
    {
      echo "kayobe-upgrade: refusing to run: this checkout holds a record from before records moved out of checkouts,"
      echo "and the record in $KAYOBE_UPGRADE_RECORD has the same already:"
      printf '%s\n' "${taken[@]}"
      echo "Going on with either alone could run done steps again. Move this checkout's record to a folder of its"
      echo "own (KAYOBE_UPGRADE_RECORD=/path/to/another/record bin/pulumi stack ls) and use it from there, or carry its"
      echo "stacks over into $KAYOBE_UPGRADE_RECORD (README: Where the record lives)."
    } >&2
    exit 2
  fi
  echo "kayobe-upgrade: moved the record found in this checkout out of it, where git clean cannot take it:" >&2
  for ((i = 0; i < ${#moves[@]}; i += 2)); do
    from=${moves[i]} to=${moves[i + 1]}
    mkdir -p "$(dirname "$to")"
    rm -rf "$to" "$to.moving"
    # Copied aside, then renamed in: the record never holds half of it.
    cp -a "$from" "$to.moving" && mv -T "$to.moving" "$to" && rm -rf "$from"
    echo "  $from -> $to" >&2
  done
  rmdir "$logs" 2>/dev/null || true
}
move_old_record
