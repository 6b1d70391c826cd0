#!/usr/bin/env bash
# Ctrl-C stops a long exploration cleanly: exit 130, the report so far is
# printed, and the failing traces found are saved. The execution under way
# ends at its next preemption point, however long it would run; a second
# Ctrl-C stops the rest (shrinking) at once and still writes the report,
# the JSON report and the traces.
# Usage: ctrl_c.sh <interleave binary> <scratch dir>
set -u
# shellcheck disable=SC2034 # test: used by long_run.sh
test=ctrl_c cli=$1 work=$2
# shellcheck source=tests/tools/long_run.sh
. "$(dirname "$0")/long_run.sh"
"$cli" run "$work/long.toml" --strategy random --save-traces "$work/traces" > "$work/out" 2> "$work/err" &
pid=$!
sleep 2
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || fail "expected exit 130, got $rc"
grep -q "(interrupted)" "$work/out" || fail "the report does not say it was interrupted"
grep -q "fatal: concurrent map writes" "$work/out" || fail "the report so far lacks the outcome classes"
[ -f "$work/traces/long.fatal.trace" ] || fail "the failing trace was not saved"
"$cli" replay "$work/traces/long.fatal.trace" --check > /dev/null || fail "the saved trace does not replay"

# One goroutine loops through preemption points for a very long time after
# the race: an execution can run for minutes.
cat > "$work/steps.toml" <<'TOML'
description = "A goroutine that loops through many preemption points"
[map]
kind = "go"
[[goroutine]]
name = "a"
ops = ["put 1 1", "for i in 0..1000000000000: get 1"]
[[goroutine]]
name = "b"
ops = ["put 2 2"]
[expect]
reach = ["fatal"]
[explore]
executions = 100000000000
max_steps = 200000
TOML
# The first Ctrl-C ends the execution under way at its next preemption point.
"$cli" run "$work/steps.toml" --strategy random --max-steps 300000 > "$work/out" 2> "$work/err" &
pid=$!
sleep 1
kill -INT "$pid"
ends_within "$pid" 3 "the first Ctrl-C, in a long execution"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || fail "long execution: expected exit 130, got $rc"
grep -q "(interrupted)" "$work/out" || fail "long execution: the report does not say it was interrupted"

# After the first Ctrl-C the failing traces are shrunk, which takes long
# here; a second Ctrl-C stops that at once and still writes everything.
# A step bound of 20,000 keeps the step-bound trace near 2 MB (200,000 steps
# make 18 MB, whose writing alone takes over a second under ASan on a busy
# machine); its shrinking still takes minutes.
rm -rf "$work/traces"
"$cli" run "$work/steps.toml" --strategy random --shrink --max-steps 20000 --save-traces "$work/traces" \
  --json "$work/report.json" > "$work/out" 2> "$work/err" &
pid=$!
sleep 1
kill -INT "$pid"
sleep 1.5
kill -0 "$pid" 2> /dev/null || fail "shrinking did not take long enough to test a second Ctrl-C"
kill -INT "$pid"
# The process's own safety net quits 2 s after the second Ctrl-C; 4 s leave
# room for a loaded machine, and the checks below fail if the net cut the
# writing short.
ends_within "$pid" 4 "the second Ctrl-C"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || fail "second Ctrl-C: expected exit 130, got $rc"
grep -q "(interrupted)" "$work/out" || fail "second Ctrl-C: no report"
grep -q "not shrunk: interrupted" "$work/out" || fail "second Ctrl-C: the report does not say shrinking stopped"
grep -q '"interrupted": true' "$work/report.json" || fail "second Ctrl-C: the JSON report was not written"
ls "$work"/traces/steps.fatal*.trace > /dev/null 2>&1 || fail "second Ctrl-C: the failing traces were not saved"
for trace in "$work"/traces/steps.fatal*.trace; do
  "$cli" replay "$trace" --check > /dev/null || fail "second Ctrl-C: $trace does not replay"
done
echo "ctrl_c: ok"
