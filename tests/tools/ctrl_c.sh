#!/usr/bin/env bash
# Ctrl-C stops a long exploration cleanly: exit 130, the report so far is
# printed, and the failing traces found are saved.
# Usage: ctrl_c.sh <interleave binary> <scratch dir>
set -u
cli=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
cat > "$work/long.toml" <<'TOML'
description = "Two writers with long loops: far too many schedules to finish"
[map]
kind = "go"
[[goroutine]]
name = "a"
ops = ["for i in 0..30: put i i"]
[[goroutine]]
name = "b"
ops = ["for i in 0..30: put i+100 i"]
[expect]
reach = ["fatal"]
[explore]
executions = 100000000000
TOML
# Random walks: a fatal schedule within the first executions, so the 2 s
# before Ctrl-C find one even in a slow (sanitized, loaded) build; the
# default portfolio starts with dfs, which may not reach one by then.
"$cli" run "$work/long.toml" --strategy random --save-traces "$work/traces" > "$work/out" 2> "$work/err" &
pid=$!
sleep 2
kill -INT "$pid"
wait "$pid"
rc=$?
fail() { echo "ctrl_c: $*"; cat "$work/out" "$work/err"; exit 1; }
[ "$rc" -eq 130 ] || fail "expected exit 130, got $rc"
grep -q "(interrupted)" "$work/out" || fail "the report does not say it was interrupted"
grep -q "fatal: concurrent map writes" "$work/out" || fail "the report so far lacks the outcome classes"
[ -f "$work/traces/long.fatal.trace" ] || fail "the failing trace was not saved"
"$cli" replay "$work/traces/long.fatal.trace" --check > /dev/null || fail "the saved trace does not replay"
echo "ctrl_c: ok"
