#!/usr/bin/env bash
# Ctrl-C stops even a scenario loop that reaches no preemption point: the
# interpreter calls harness::interruption_point() on each iteration.
# Usage: ctrl_c_loop.sh <interleave binary> <scratch dir>
set -u
cli=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
fail() { echo "ctrl_c_loop: $*"; cat "$work/out" "$work/err"; exit 1; }
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
for _ in $(seq 1 10); do
  kill -0 "$pid" 2> /dev/null || break
  sleep 0.1
done
if kill -0 "$pid" 2> /dev/null; then
  kill -KILL "$pid"
  fail "one Ctrl-C did not stop a loop without preemption points within a second"
fi
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || fail "expected exit 130, got $rc"
grep -q "(interrupted)" "$work/out" || fail "no report"
grep -q '"interrupted": true' "$work/report.json" || fail "no JSON report"
echo "ctrl_c_loop: ok"
