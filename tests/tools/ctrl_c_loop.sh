#!/usr/bin/env bash
# Ctrl-C stops even a scenario loop that reaches no preemption point: the
# interpreter calls harness::interruption_point() on each iteration.
# Usage: ctrl_c_loop.sh <interleave binary> <scratch dir>
set -u
# shellcheck disable=SC2034 # test: used by long_run.sh
test=ctrl_c_loop cli=$1 work=$2
# shellcheck source=tests/tools/long_run.sh
. "$(dirname "$0")/long_run.sh"
cat > "$work/spin.toml" <<'TOML'
description = "A loop with no preemption point in it"
[map]
kind = "go"
[[goroutine]]
name = "a"
ops = ["put 1 1", "for i in 0..1000000000000: recover"]
[[goroutine]]
name = "b"
ops = ["put 2 2"]
[expect]
reach = ["fatal"]
TOML
"$cli" run "$work/spin.toml" --json "$work/report.json" > "$work/out" 2> "$work/err" &
pid=$!
sleep 1
kill -INT "$pid"
ends_within "$pid" 1 "one Ctrl-C, in a loop without preemption points"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || fail "expected exit 130, got $rc"
grep -q "(interrupted)" "$work/out" || fail "no report"
grep -q '"interrupted": true' "$work/report.json" || fail "no JSON report"
echo "ctrl_c_loop: ok"
