#!/usr/bin/env bash
# Sharded and parallel runs from the command line: the shards' merged report
# is the unsharded report, and -j changes neither the report nor the traces.
# Usage: shards.sh <interleave binary> <repository root> <scratch dir>
set -eu
cli=$1 root=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
cd "$root"
scenarios="scenarios/02_two_writers.toml scenarios/09_read_outside_lock.toml scenarios/14_lock_order_inversion.toml"
# shellcheck disable=SC2086
"$cli" run $scenarios --json "$work/full.json" > /dev/null
for k in 0 1 2 3; do
  # shellcheck disable=SC2086
  "$cli" run $scenarios --shard "$k/4" --json "$work/shard$k.json" > /dev/null
done
"$cli" merge "$work"/shard*.json --json "$work/merged.json" > /dev/null
# Everything but the strategy line and the shard label must be the same.
filter() { grep -v -e '"strategy"' -e '"shard"' "$1"; }
diff <(filter "$work/full.json") <(filter "$work/merged.json")
# The whole library: -j 3 (its dfs parts cut runs at many depths, inside
# lock guards' destructors too) writes what -j 1 writes.
"$cli" run scenarios --save-traces "$work/j1" > "$work/j1.txt"
"$cli" run scenarios --save-traces "$work/j3" -j 3 > "$work/j3.txt"
diff -r "$work/j1" "$work/j3"
diff <(sed "s#$work/j1#DIR#g" "$work/j1.txt") <(sed "s#$work/j3#DIR#g" "$work/j3.txt")
# A space too big for the budget, with the default mix (dfs, then pct and
# random): -j changes neither the report, nor the traces, nor the JSON.
cat > "$work/big.toml" <<'TOML'
description = "Two writers with loops: more schedules than the budget"
[map]
kind = "go"
[[goroutine]]
name = "a"
ops = ["for i in 0..6: put i i"]
[[goroutine]]
name = "b"
ops = ["for i in 0..6: put i+100 i"]
[expect]
reach = ["fatal"]
TOML
for j in 1 2 3; do
  "$cli" run "$work/big.toml" --executions 3000 -j $j --save-traces "$work/big-j$j" --json "$work/big-j$j.json" \
    > "$work/big-j$j.txt"
  sed -i "s#$work/big-j$j#DIR#g" "$work/big-j$j.txt" "$work/big-j$j.json"
done
grep -q "explored: 6,000 executions, dfs (not exhausted) + pct depth 3 + random" "$work/big-j1.txt"
for j in 2 3; do
  diff "$work/big-j1.txt" "$work/big-j$j.txt"
  diff "$work/big-j1.json" "$work/big-j$j.json"
  diff -r "$work/big-j1" "$work/big-j$j"
done
# dfs alone, capped: the same first executions on any number of threads.
"$cli" run "$work/big.toml" --strategy dfs --executions 777 > "$work/dfs-j1.txt"
"$cli" run "$work/big.toml" --strategy dfs --executions 777 -j 4 > "$work/dfs-j4.txt"
diff "$work/dfs-j1.txt" "$work/dfs-j4.txt"
echo "shards: ok"
