# shellcheck shell=bash disable=SC2154
# Sourced by the tests that stop a long run with a signal (ctrl_c.sh,
# ctrl_c_loop.sh, stop_signals.sh): the scratch folder, a scenario too large
# to finish, and the checks they share.
# Before sourcing: test (the test's name, for messages), cli (the interleave
# binary), work (the scratch folder; emptied here).
rm -rf "$work" && mkdir -p "$work"

# Fails the test with a message and whatever the runs printed.
fail() {
  echo "$test: $*"
  cat "$work"/out* "$work"/err* "$work"/*/out "$work"/*/err 2> /dev/null
  exit 1
}

# Waits up to $2 seconds for process $1; fails, naming $3, if it is still running.
ends_within() {
  for _ in $(seq 1 $(($2 * 10))); do
    kill -0 "$1" 2> /dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$1" 2> /dev/null
  fail "still running $2 s after $3"
}

# Two writers with long loops: random walks find a fatal within the first
# executions, so a signal after 2 s finds one even in a slow (sanitized,
# loaded) build; the default portfolio starts with dfs, which may not.
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
