#!/usr/bin/env bash
# What a C++ user sees when an exploration inside a Catch2 test finds a
# failure: the test fails once (one failure, printed once, although the
# failing schedules run thousands of times and each is run again to record
# it), with the failing classes, the schedule as a per-goroutine timeline,
# and the trace saved; INTERLEAVE_REPLAY replays that trace and fails the
# same way.
# Usage: entry_output.sh <entry test binary> <scratch dir>
set -u
binary=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "entry_output: $*"; cat out 2> /dev/null; exit 1; }

"$binary" "lost update checked with REQUIRE" > out 2>&1
rc=$?
[ "$rc" -ne 0 ] || fail "the failing test passed"
grep -q "test cases: 1 | 1 failed" out || fail "expected one failed test case"
[ "$(grep -c "interleave: 'load-store' failed in 4 of 6 executions (dfs, every schedule):" out)" -eq 1 ] ||
  fail "the exploration's failure is not printed exactly once"
grep -q "^=> assertion: entry_test.cpp:30: REQUIRE( count->peek() == 2 ) with expansion: 1 == 2$" out ||
  fail "the assertion's file, line and expansion are missing"
# Catch2's own report of the REQUIRE (its "with expansion:" block) never appears.
grep -q "^with expansion:" out && fail "Catch2 reported the program's assertion itself"
grep -qE "^ +step +a +b" out || fail "no per-goroutine timeline"
# The lost update needs both loads before either store: 1 preemption, 4 steps at the least.
grep -q "with 1 preemption and 4 steps (shrunk):" out || fail "the schedule shown is not the shrunk one"
trace=interleave-traces/lost_update_checked_with_REQUIRE.assertion.trace
[ -f "$trace" ] || fail "the trace was not saved as $trace"
grep -q "^replay it: INTERLEAVE_REPLAY=$trace <this test binary> \"lost update checked with REQUIRE\"$" out ||
  fail "the replay command is not given"
grep -q "entry_test.cpp:[0-9]*: FAILED:" out || fail "the failure is not located at the test's line"

INTERLEAVE_REPLAY=$trace "$binary" "lost update replayed" > out 2>&1
[ $? -ne 0 ] || fail "the replayed failure passed"
grep -q "^replay of $trace$" out || fail "the replay did not run the trace"
[ ! -e interleave-traces/lost_update_replayed.assertion.trace ] || fail "the replay saved its trace again"
grep -q "entry_test.cpp:30: REQUIRE( count->peek() == 2 )" out || fail "the replay did not fail the same way"

INTERLEAVE_TRACE_DIR=- "$binary" "lost update checked with REQUIRE" > out 2>&1
grep -q "^trace:" out && fail "INTERLEAVE_TRACE_DIR=- still saved a trace"
echo "entry_output: ok"
