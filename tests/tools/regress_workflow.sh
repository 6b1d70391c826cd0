#!/usr/bin/env bash
# The regression workflow of the README, end to end, on story 2 (two writers
# race on a plain Go map): find -> save -> fix -> mark -> CI.
#  1. `run --save-traces` saves a failing trace per outcome class;
#     `regress` replays each byte for byte.
#  2. An edit that keeps the meaning (comments, blank lines, key order, an
#     inline table, other spellings) leaves every trace replaying byte for
#     byte, the story's and the whole corpus's: traces are keyed to the
#     scenario's meaning.
#  3. The fix (kind = "go" -> "mutex"): `regress` says each trace is now
#     fixed, how many recorded steps applied, and fails (not marked yet).
#  4. `trace mark-fixed` changes one header line, atomically; `regress`
#     passes, having explored the fixed scenario around each schedule.
#  5. The bug comes back: `regress` fails, saying so.
#  6. A fix that holds on the recorded schedule but not around it: the
#     failing schedule found is saved and replays.
#  7. Each failure's reason is its own (missing scenario, old format,
#     diverged, expectation), on the console and in the JUnit message.
#  8. The JUnit reports validate (xmllint, tests/tools/junit.xsd) and carry
#     times; the text report and the traces carry none.
# Usage: regress_workflow.sh <interleave binary> <repository root> <scratch dir>
set -u
cli=$1 root=$2 work=$3
rm -rf "$work" && mkdir -p "$work/scenarios"
cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# run EXPECTED_EXIT ARGS...: runs the CLI, keeps its output in $out.
run() {
  local expected=$1
  shift
  out=$("$cli" "$@" 2>&1)
  local rc=$?
  [ "$rc" -eq "$expected" ] || { fail "interleave $*: exit $rc, expected $expected"; echo "$out" | head -30; }
}
has() { echo "$out" | grep -qE -- "$1" || { fail "output of the last command lacks /$1/"; echo "$out" | head -30; }; }
lacks() { ! echo "$out" | grep -qE -- "$1" || { fail "output of the last command has /$1/"; echo "$out" | head -30; }; }

if command -v xmllint > /dev/null; then
  validate() {
    xmllint --noout --schema "$root/tests/tools/junit.xsd" "$1" 2> "$1.xmllint" ||
      { fail "$1 does not validate against tests/tools/junit.xsd"; cat "$1.xmllint"; }
  }
  # The schema can fail: a test case without its time is refused.
  printf '%s\n' '<?xml version="1.0"?>' '<testsuites tests="1" failures="0" time="0.1">' \
    '<testsuite name="s" tests="1" failures="0" errors="0" time="0.1"><testcase classname="c" name="n"/></testsuite>' \
    '</testsuites>' > untimed.xml
  xmllint --noout --schema "$root/tests/tools/junit.xsd" untimed.xml 2> /dev/null &&
    fail "junit.xsd accepts a test case without a time"
else
  echo "regress_workflow: xmllint not found (Debian package libxml2-utils; tools/install-deps.sh installs it):" \
    "the JUnit reports are checked without schema validation"
  validate() { :; }
fi
# Every suite and test case carries a time, in seconds with milliseconds.
timed() {
  local cases timed_cases
  cases=$(grep -c '<testcase ' "$1")
  timed_cases=$(grep -cE '<testcase [^>]* time="[0-9]+\.[0-9]{3}"' "$1")
  [ "$cases" -eq "$2" ] || fail "$1: $cases test cases, expected $2"
  [ "$timed_cases" -eq "$cases" ] || fail "$1: $timed_cases of $cases test cases carry a time"
  grep -qE '<testsuite [^>]* time="[0-9]+\.[0-9]{3}"' "$1" || fail "$1: the suite carries no time"
}
# Preemptions of a trace, derived from its step lines: a switch away from a
# goroutine that is still in the runnable set of the next step.
preemptions() {
  awk '/^step / { split($3, f, "="); split($7, r, "="); set = "," substr(r[2], 2, length(r[2]) - 2) ",";
                  if (prev != "" && f[2] != prev && index(set, "," prev ",") > 0) n++; prev = f[2] }
       END { print n + 0 }' "$1"
}
steps() { grep -c '^step ' "$1"; }

# ---- 1. find and save ----
cp "$root/scenarios/02_two_writers.toml" scenarios/story.toml
run 0 run scenarios/story.toml --save-traces traces
fatal=traces/story.fatal.trace corruption=traces/story.corruption.trace
for t in $fatal $corruption; do
  [ -f "$t" ] || fail "no trace $t saved"
  grep -qx 'expect reproduces' "$t" || fail "$t does not say it must reproduce"
done
cp $fatal fatal.saved
cp $corruption corruption.saved
run 0 regress traces scenarios --junit found.xml
has "^ok   replay $fatal: reproduces$"
has "^ok   replay $corruption: reproduces$"
has "^3 passed, 0 failed$"
validate found.xml
timed found.xml 3
# A scenario's statistics (the times, executions per second) go to the JUnit
# report only, never to the console.
grep -q "statistics: [0-9,]* executions in [0-9.]* s" found.xml || fail "found.xml has no scenario statistics"
lacks "statistics:"

# ---- 2. an edit that keeps the meaning ----
cat > scenarios/story.toml <<'TOML'
# Story 2, told another way: the keys in another order, the map as an
# inline table, a literal string, white space in the operations.
story = 0x2
description = 'Two writers put disjoint keys into a plain Go map'

map = { initial = [ "put  0 0" ], hash_seed = 1, kind = "go" }

[expect]
never = ["fatal: concurrent map read and map write"]   # a writer never reads alone
reach = [
  "fatal: concurrent map writes",
  "ok",
  "corruption",
]

[[goroutine]]
ops = [" put 1 1 "]
name = "w1"

[[goroutine]]
name = "w2"
ops = ["put 2 2"]
TOML
run 0 regress traces
has "^ok   replay $fatal: reproduces$"
has "^ok   replay $corruption: reproduces$"
has "^2 passed, 0 failed$"
for t in $fatal $corruption; do
  run 0 replay "$t" --check
  has "trace reproduced byte for byte"
  lacks "meaning"
done
cmp -s $fatal fatal.saved && cmp -s $corruption corruption.saved || fail "a replay or regress rewrote a trace"

# The same for the whole corpus: every scenario edited without a change of
# meaning (a comment first, the first two keys swapped, the story number
# spelt +N, white space around the operations' ';'), every trace reproduces.
mkdir -p corpus/scenarios corpus/traces
cp "$root"/traces/*.trace corpus/traces/
for f in "$root"/scenarios/*.toml; do
  { echo "# edited without a change of meaning"; echo
    awk 'NR == 1 { first = $0; next } NR == 2 { sub(/= /, "= +"); print; print first; next } { print }' "$f" |
      sed '/^ops = /s/; /  ;   /g'
    echo; echo "# the end"; } > "corpus/scenarios/$(basename "$f")"
done
cmp -s "$root/scenarios/09_read_outside_lock.toml" corpus/scenarios/09_read_outside_lock.toml &&
  fail "the corpus edit changed nothing"
grep -q '^story = +9$' corpus/scenarios/09_read_outside_lock.toml || fail "the corpus edit did not respell the story"
grep -q 'get 0 -> v  ;   lock mu' corpus/scenarios/09_read_outside_lock.toml || fail "the corpus edit did not space the ops"
corpus_traces=$(ls corpus/traces/*.trace | wc -l)
run 0 regress corpus/traces
has "^$corpus_traces passed, 0 failed$"
[ "$(echo "$out" | grep -c ': reproduces$')" -eq "$corpus_traces" ] || fail "not every trace of the corpus reproduces"

# ---- 3. the fix ----
cp "$root/scenarios/02_two_writers.toml" scenarios/story.toml
sed -i 's/^kind = "go"/kind = "mutex"/; s/^reach = .*/reach = ["ok"]/; s/^never = .*/never = ["fatal", "corruption"]/' \
  scenarios/story.toml
grep -q '^kind = "mutex"' scenarios/story.toml || fail "the fix was not applied"
run 1 regress traces scenarios --junit unmarked.xml
has "^FAIL replay $fatal$"
has "expected to reproduce, but its schedule now ends ok: fixed \(0 of $(steps fatal.saved) recorded steps applied\)$"
has "^       it departs at step 0: the trace has goroutine .w1. at mapassign\.check-writing"
has "this run has goroutine 'w1' at mutex\.lock"
has "interleave trace mark-fixed $fatal"
has "^FAIL replay $corruption$"
has "0 of $(steps corruption.saved) recorded steps applied"
has "^ok   scenario scenarios/story\.toml$"
has "^1 passed, 2 failed$"
validate unmarked.xml
timed unmarked.xml 3
grep -q '<failure message="expected to reproduce, but its schedule now ends ok: fixed' unmarked.xml ||
  fail "unmarked.xml does not give the reason"

# ---- 4. mark, and CI passes ----
run 0 trace mark-fixed $fatal $corruption
has "$fatal: marked fixed"
for t in fatal corruption; do
  changed=$(diff "$t.saved" "traces/story.$t.trace" | grep -c '^[<>]')
  [ "$changed" -eq 2 ] || fail "mark-fixed changed $changed lines of $t, expected the expect line only"
  grep -qx 'expect fixed' "traces/story.$t.trace" || fail "story.$t.trace is not marked fixed"
done
[ "$(ls -A traces | wc -l)" -eq 2 ] || fail "mark-fixed left files behind: $(ls -A traces)"
run 0 regress traces scenarios --junit fixed.xml
has "^ok   replay $fatal: fixed: 0 of $(steps fatal.saved) recorded steps applied; around it [0-9]+ schedules? with at most $(preemptions fatal.saved) preemptions? \(every one\), none fails$"
has "^ok   replay $corruption: fixed: 0 of $(steps corruption.saved) recorded steps applied; around it [0-9]+ schedules? with at most $(preemptions corruption.saved) preemptions? \(every one\), none fails$"
has "^3 passed, 0 failed$"
validate fixed.xml
timed fixed.xml 3
grep -q 'name="replay traces/story.fatal.trace"' fixed.xml || fail "fixed.xml: the trace's case is not named by its path"
# Times are for JUnit only: the text report is the same bytes run after run.
"$cli" regress traces scenarios > text1 2>&1
"$cli" regress traces scenarios > text2 2>&1
cmp -s text1 text2 || fail "two regress runs printed different reports"
grep -qiE 'time|[0-9]\.[0-9]{3} ?s' text1 && fail "the text report carries a time: $(grep -iE 'time|[0-9]\.[0-9]{3}' text1)"

# ---- 5. the bug comes back ----
sed -i 's/^kind = "mutex"/kind = "go"/' scenarios/story.toml
run 1 regress traces --junit back.xml
has "^FAIL replay $fatal$"
has "expected fixed, but the failure is back: the schedule reproduces 'fatal: concurrent map writes' byte for byte"
validate back.xml
grep -q '<failure message="expected fixed, but the failure is back' back.xml || fail "back.xml does not give the reason"

# ---- 6. a fix that holds on the schedule, not around it ----
# A read before w2's write shifts w2's steps: the recorded corruption
# schedule now ends ok, but a schedule with as many preemptions still fails.
cp "$root/scenarios/02_two_writers.toml" scenarios/story.toml
sed -i 's/ops = \["put 2 2"\]/ops = ["len", "put 2 2"]/' scenarios/story.toml
run 1 regress traces --junit near.xml
has "^FAIL replay $corruption$"
has "fixed on its own schedule, but the scenario still fails near it: 'fatal: concurrent map writes' in one of [0-9]+ schedules with at most $(preemptions corruption.saved) preemptions \(saved traces/story\.corruption\.after-fix\.fatal\.trace"
[ -f traces/story.corruption.after-fix.fatal.trace ] || fail "the failing schedule found near the fix was not saved"
run 0 replay traces/story.corruption.after-fix.fatal.trace --check
has "trace reproduced byte for byte"
validate near.xml
rm -f traces/story.corruption.after-fix.fatal.trace

# ---- 7. each failure has its own reason ----
cp "$root/scenarios/02_two_writers.toml" scenarios/story.toml
cp fatal.saved $fatal
cp corruption.saved $corruption
# Diverged: a change of meaning that still fails, another way.
sed -i 's/^never = .*/never = []/; s/ops = \["put 2 2"\]/ops = ["put 2 2", "get 1"]/' scenarios/story.toml
run 1 regress traces --junit reasons.xml
has "did not replay byte for byte: the schedule ends with .* \([0-9]+ of [0-9]+ recorded steps applied\)$"
has "^       it departs at step [0-9]+: the trace (has|ends)"
grep -q '<failure message="did not replay byte for byte: the schedule ends with' reasons.xml ||
  fail "reasons.xml does not give the reason"
validate reasons.xml
# The expectation: said as such.
sed -i 's/^reach = .*/reach = ["deadlock"]/' scenarios/story.toml
run 1 regress scenarios --junit expectation.xml
has "^FAIL scenario scenarios/story\.toml$"
has "the expectation did not hold: expected to reach 'deadlock': not reached within the budget"
grep -q "<failure message=\"the expectation did not hold: expected to reach 'deadlock'" expectation.xml ||
  fail "expectation.xml does not give the reason"
validate expectation.xml
# An old format: refused with the command that refreshes it, which works.
cp "$root/scenarios/02_two_writers.toml" scenarios/story.toml
sed '1s/.*/interleave-trace 1/; /^expect /d' fatal.saved > $fatal
run 2 regress traces --junit old.xml
has "trace format version 1 keys its scenario by the file's bytes.*refresh the trace with: interleave trace upgrade $fatal"
grep -q '<failure message="the trace could not be replayed: [^"]*interleave trace upgrade' old.xml ||
  fail "old.xml does not give the reason"
run 2 replay $fatal
has "^interleave: $fatal: trace format version 1 keys its scenario by the file's bytes.*interleave trace upgrade $fatal$"
run 2 trace mark-fixed $fatal
has "interleave trace upgrade $fatal$"
run 0 trace upgrade $fatal
has "upgraded from trace format version 1 to 2"
cmp -s $fatal fatal.saved || fail "trace upgrade did not give back the current trace"
# The scenario is missing: said so, not "did not replay byte for byte".
mv scenarios/story.toml story.toml
run 2 regress traces --junit missing.xml
has "the trace could not be replayed: $fatal:[0-9]+:[0-9]+: the trace's scenario: scenarios/story\.toml: no such file or directory"
lacks "byte for byte"
grep -q '<failure message="the trace could not be replayed: [^"]*no such file or directory' missing.xml ||
  fail "missing.xml does not give the reason"
validate missing.xml
timed missing.xml 2

[ "$failures" -eq 0 ] || { echo "regress_workflow: $failures failure(s)"; exit 1; }
echo "regress_workflow: ok"
