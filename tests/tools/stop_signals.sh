#!/usr/bin/env bash
# A CI job never loses its findings: SIGTERM (a job timeout) and SIGHUP (a
# closed session) end a run like Ctrl-C — exit 128 + the signal, the report
# so far, the failing traces and the JSON report written; --time-limit stops
# a run with a report that says the time ran out; --progress prints plain
# lines when stderr is not a terminal. Never asserts on durations.
# Usage: stop_signals.sh <interleave binary> <scratch dir>
set -u
# shellcheck disable=SC2034 # test: used by long_run.sh
test=stop_signals cli=$1 work=$2
# shellcheck source=tests/tools/long_run.sh
. "$(dirname "$0")/long_run.sh"

# $1: signal name, $2: expected exit code.
stops_like_ctrl_c() {
  local dir="$work/$1"
  mkdir -p "$dir"
  "$cli" run "$work/long.toml" --strategy random --save-traces "$dir/traces" --json "$dir/report.json" \
    > "$dir/out" 2> "$dir/err" &
  local pid=$!
  sleep 2
  kill -"$1" "$pid"
  wait "$pid"
  local rc=$?
  [ "$rc" -eq "$2" ] || fail "$1: expected exit $2, got $rc"
  grep -q "(interrupted)" "$dir/out" || fail "$1: the report does not say it was interrupted"
  grep -q "fatal: concurrent map writes" "$dir/out" || fail "$1: the report so far lacks the outcome classes"
  [ -f "$dir/traces/long.fatal.trace" ] || fail "$1: the failing trace was not saved"
  "$cli" replay "$dir/traces/long.fatal.trace" --check > /dev/null || fail "$1: the saved trace does not replay"
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$dir/report.json" || fail "$1: the JSON report is not valid"
  echo "stop_signals: $1 ends like Ctrl-C (exit $rc, report, trace, JSON)"
}
stops_like_ctrl_c TERM 143
stops_like_ctrl_c HUP 129

# --time-limit: the run stops by itself, says why, judges what it explored.
"$cli" run "$work/long.toml" --strategy random --time-limit 1s --json "$work/limit.json" \
  > "$work/out.limit" 2> "$work/err.limit"
rc=$?
[ "$rc" -eq 0 ] || fail "--time-limit: expected exit 0 (the fatal was reached), got $rc"
grep -q "stopped by the time limit" "$work/out.limit" || fail "--time-limit: the report does not say the time ran out"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["scenarios"][0]["time_limit_reached"] is True' "$work/limit.json" \
  || fail "--time-limit: the JSON report lacks time_limit_reached: true"
echo "stop_signals: --time-limit 1s stops the run and says so"

# --progress on a non-terminal (stderr is a file here): plain lines.
INTERLEAVE_PROGRESS_PERIOD_MS=200 "$cli" run "$work/long.toml" --strategy random --time-limit 2s --progress \
  > "$work/out.progress" 2> "$work/err.progress"
grep -q "executions" "$work/err.progress" || fail "--progress: no progress line on a non-terminal"
grep -q $'\r' "$work/err.progress" && fail "--progress: a terminal redraw on a non-terminal"
echo "stop_signals: --progress prints $(grep -c executions "$work/err.progress") plain lines on a non-terminal"
exit 0
