#!/usr/bin/env bash
# interleave merge tells the truth about what it merged: an incomplete or
# overlapping set of shard reports is refused (exit 2, naming the shards)
# unless --partial asks for a partial merge, which claims no exhausted space
# and judges no expectation; a complete merge's strategy line describes the
# whole run; a JSON report read back and written again is the same bytes,
# and prints as the run printed it.
# Usage: merge.sh <interleave binary> <repository root> <scratch dir>
set -u
cli=$1 root=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
cd "$root"
fail() { echo "merge: $*"; cat "$work/out" "$work/err" 2>/dev/null; exit 1; }
merge() { "$cli" merge "$@" > "$work/out" 2> "$work/err"; rc=$?; }
scenarios="scenarios/01_writer_reader.toml scenarios/09_read_outside_lock.toml scenarios/14_lock_order_inversion.toml"
for k in 0 1 2 3; do
  # shellcheck disable=SC2086
  "$cli" run $scenarios --shard "$k/4" --json "$work/shard$k.json" > "$work/shard$k.txt" || fail "shard $k/4 failed"
done
# A shard's own run judges nothing.
grep -q "expectation: held" "$work/shard0.txt" && fail "a shard's run says an expectation held"
grep -q "expectation: not judged" "$work/shard0.txt" || fail "a shard's run does not say it judged nothing"

# Incomplete: refused, naming the missing shards.
merge "$work/shard0.json"
[ "$rc" -eq 2 ] || fail "one shard of four merged with exit $rc, not 2"
grep -q "shards 1/4, 2/4, 3/4 are missing" "$work/err" || fail "the missing shards are not named"
merge "$work/shard0.json" "$work/shard1.json" "$work/shard3.json"
[ "$rc" -eq 2 ] || fail "three shards of four merged with exit $rc, not 2"
grep -q "shard 2/4 is missing" "$work/err" || fail "the missing shard is not named"
# Overlapping: refused, naming the shard and both reports.
merge "$work/shard0.json" "$work/shard1.json" "$work/shard2.json" "$work/shard3.json" "$work/shard1.json"
[ "$rc" -eq 2 ] || fail "a shard given twice merged with exit $rc, not 2"
grep -q "shard 1/4 is given twice: in $work/shard1.json and in $work/shard1.json" "$work/err" ||
  fail "the shard given twice is not named"
"$cli" run scenarios/01_writer_reader.toml --shard 0/2 --json "$work/other-split.json" > /dev/null
merge "$work/shard0.json" "$work/other-split.json" --partial
[ "$rc" -eq 2 ] || fail "shards of different splits merged with exit $rc, not 2"

# Partial: allowed when asked, never "(exhausted)", never "held".
merge "$work/shard0.json" "$work/shard2.json" --partial --json "$work/partial.json"
[ "$rc" -eq 0 ] || fail "--partial exited $rc"
grep -q "(exhausted)" "$work/out" && fail "a partial merge says the space was exhausted"
grep -q "expectation: held" "$work/out" && fail "a partial merge judged an expectation as held"
grep -q "shards 0, 2 of 4 only (a partial merge)" "$work/out" || fail "a partial merge does not say which shards"
grep -q '"exhausted": true' "$work/partial.json" && fail "a partial merge's JSON says exhausted"
grep -q '"held": true' "$work/partial.json" && fail "a partial merge's JSON says an expectation held"
# ... and a partial merge merges on with the shards it lacks.
merge "$work/partial.json" "$work/shard1.json" "$work/shard3.json" --json "$work/merged-in-steps.json"
[ "$rc" -eq 0 ] || fail "the partial merge and the other shards merged with exit $rc"

# Complete: the strategy line is the whole run's.
merge "$work"/shard?.json --json "$work/merged.json"
[ "$rc" -eq 0 ] || fail "the four shards merged with exit $rc"
grep -q "shard 0/4" "$work/out" "$work/merged.json" && fail "the merged report describes shard 0/4"
[ "$(grep -c "; merged from 4 shards" "$work/out")" -eq 3 ] || fail "the merged strategy lines do not say 4 shards"
grep -q "expectation: held" "$work/out" || fail "the merged report judged nothing"

# Lossless: a report (with pruned runs, a shrink note) read and written again
# is the same bytes, and prints as the run printed it.
# shellcheck disable=SC2086
"$cli" run $scenarios scenarios/12_rwmutex_map.toml --dpor --json "$work/full.json" > "$work/full.txt"
grep -Eq '"pruned": [1-9]' "$work/full.json" || fail "no pruned runs to carry"
merge "$work/full.json" --json "$work/again.json"
cmp "$work/full.json" "$work/again.json" || fail "a report read and written again changed"
diff <(grep -v "^[0-9]* scenarios" "$work/full.txt") <(grep -v "^[0-9]* scenarios" "$work/out") ||
  fail "merge prints a report otherwise than run"
echo "merge: ok"
