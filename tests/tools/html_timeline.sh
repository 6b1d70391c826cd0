#!/usr/bin/env bash
# The HTML timeline (tools/interleave/html_timeline.hpp) in a real browser:
# `interleave show TRACE --html FILE` for story 2's saved trace and for a
# 1,000-step trace full of markup, each loaded in headless Chromium. The page
# must run its script without a console message or error and hold the
# elements counted here from the trace file itself (lanes = goroutines,
# operations = map calls, steps = steps), with the conflicting pair
# highlighted; nothing from the trace may become markup; the same trace
# must give the same bytes.
# Usage: html_timeline.sh INTERLEAVE SOURCE_DIR WORK_DIR
# Exit 77 (ctest SKIP) when chromium is absent, unless CI is set: then 1.
set -euo pipefail
cli=$1 source=$2 work=$3
rm -rf "$work" && mkdir -p "$work"

browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
  echo "html_timeline: chromium not found (Debian package chromium; tools/install-deps.sh installs it)" >&2
  [[ -n ${CI:-} ]] && exit 1
  exit 77
fi

fail() { echo "html_timeline: $*" >&2; exit 1; }
count() { grep -o "$1" "$2" | wc -l | tr -d ' '; }

# Loads $1 and leaves its DOM in $1.dom, the browser's log in $1.log.
load() {
  timeout 60 "$browser" --headless --disable-gpu --no-sandbox --no-first-run --enable-logging=stderr --v=0 \
    --user-data-dir="$work/profile" --dump-dom "file://$1" >"$1.dom" 2>"$1.log" || fail "chromium failed on $1: $(tail -5 "$1.log")"
  # Every console message (console.log/error, an uncaught exception) is
  # logged as ":CONSOLE:"; the page writes none.
  if grep -q ':CONSOLE' "$1.log"; then fail "console output loading $1: $(grep ':CONSOLE' "$1.log")"; fi
  grep -q 'id="loaded"' "$1.dom" || fail "$1: the page's script did not finish (no #loaded)"
  if grep -q 'id="script-error"' "$1.dom"; then fail "$1: the page's script threw"; fi
}

# Story 2: two writers, a fatal "concurrent map writes".
trace=$source/traces/02_two_writers.fatal.trace
"$cli" show "$trace" --html "$work/story.html" >/dev/null
"$cli" show "$trace" --html "$work/again.html" >/dev/null
cmp -s "$work/story.html" "$work/again.html" || fail "the same trace gave different pages"
load "$work/story.html"
dom=$work/story.html.dom
fibers=$(sed -n 's/^fibers \([0-9]*\)$/\1/p' "$trace")
steps=$(sed -n 's/^steps \([0-9]*\)$/\1/p' "$trace")
calls=$(grep -c '^step .* op=mapassign.check-writing ' "$trace")  # each map write starts with its check
[[ $(count '<th class="lane"' "$dom") == "$fibers" ]] || fail "expected $fibers lanes"
[[ $(count '<details class="op' "$dom") == "$calls" ]] || fail "expected $calls operations"
[[ $(count '<li class="step' "$dom") == "$steps" ]] || fail "expected $steps steps"
# The pair: w1's flag store (step 2) and w2's check that saw it (step 7).
[[ $(count '<li class="step pair"' "$dom") == 2 ]] || fail "expected 2 highlighted steps"
[[ $(count '<details class="op pair"' "$dom") == 2 ]] || fail "expected 2 highlighted operations"
grep -q '<li class="step pair" title="step 2: mapassign.set-writing.store' "$dom" || fail "step 2 is not highlighted"
grep -q '<li class="step pair" title="step 7: mapassign.check-writing' "$dom" || fail "step 7 is not highlighted"
grep -q 'm\[1\] = 1' "$dom" && grep -q 'm\[2\] = 2' "$dom" || fail "the operations are not named"
grep -qE 'https?://' "$work/story.html" && fail "the page names a network address"

# 1,000 steps of two goroutines whose names, objects and details are markup.
big=$work/big.trace
{
  echo 'interleave-trace 2'
  echo 'program "big <script>alert(1)</script>"'
  echo 'expect reproduces'
  echo 'fibers 2'
  echo 'fiber 0 "a<b>&amp;"'
  echo "fiber 1 \"b'\\\"q\""
  echo 'objects 1'
  echo 'object 0 mutex "mu<i>"'
  echo 'decisions 0'
  echo 'steps 1000'
  awk 'BEGIN { for (i = 0; i < 1000; ++i) printf "step %d fiber=%d op=%s object=0 access=%s runnable={0,1} detail=\"<img src=x onerror=alert(%d)>\"\n", i, i % 2, (i % 4 < 2 ? "mutex.lock" : "mutex.unlock"), (i % 4 < 2 ? "lock" : "unlock"), i }'
  echo 'outcome ok ""'
  echo 'end'
} >"$big"
"$cli" show "$big" --html "$work/big.html" >/dev/null
grep -q '<img\|<script>alert\|<b>\|<i>' "$work/big.html" && fail "text from the trace became markup"
load "$work/big.html"
[[ $(count '<details class="op' "$work/big.html.dom") == 1000 ]] || fail "expected 1000 operations"
[[ $(count '<img' "$work/big.html.dom") == 0 ]] || fail "an <img> from the trace is in the DOM"
echo "html_timeline: ok"
