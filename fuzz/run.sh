#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 30) and exits non-zero if
# any of them crashed, timed out, ran out of memory or broke a property.
# Builds nothing: configure and build first (README, "Fuzzing").
#
# Usage: fuzz/run.sh [SECONDS]
#   FUZZ_BUILD    the fuzz build folder (default: build-fuzz in the repository)
#   FUZZ_WORK     scratch folder for corpora, logs and crash inputs (default: a
#                 new folder under /tmp, kept and printed at the end)
#   FUZZ_TARGETS  the targets to run, space-separated (default: all five)
#
# Seed corpora are copies of scenarios/, fuzz/seeds/, traces/ and
# tests/golden/ in FUZZ_WORK, so libFuzzer never writes into the repository. A failing
# target's input is kept as FUZZ_WORK/crashes/TARGET-crash-… (or -timeout-,
# -oom-); reproduce it with: BUILD/fuzz/TARGET FILE
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
build=${FUZZ_BUILD:-$root/build-fuzz}
work=${FUZZ_WORK:-$(mktemp -d /tmp/interleave-fuzz.XXXXXX)}
read -r -a targets <<<"${FUZZ_TARGETS:-fuzz_scenario_parse fuzz_scenario_explore fuzz_trace_roundtrip fuzz_trace_replay fuzz_go_map_model}"
if ! [[ $seconds =~ ^[0-9]+$ ]] || [[ $seconds -eq 0 ]]; then
  echo "fuzz/run.sh: SECONDS must be a positive whole number, found '$seconds'" >&2
  exit 2
fi

# Unless the environment has its own, the sanitizer options the tests run
# with (leaks, the first report ends the run, …), but without fake stacks:
# catching a frame used after its return costs the fiber-heavy targets 3x
# their speed (the model fuzzer: 15 against 42 inputs/s), and the ASan test
# stage checks for that already.
if [[ -z ${ASAN_OPTIONS+set} && -f $build/sanitizer-options.sh ]]; then
  # shellcheck disable=SC1091
  . "$build/sanitizer-options.sh"
  export ASAN_OPTIONS="$ASAN_OPTIONS:detect_stack_use_after_return=0"
fi

mkdir -p "$work/crashes" "$work/logs"
failed=()
for target in "${targets[@]}"; do
  binary=$build/fuzz/$target
  if [[ ! -x $binary ]]; then
    echo "fuzz/run.sh: $binary is missing: build it first (README, \"Fuzzing\")" >&2
    exit 2
  fi
  corpus=$work/corpus/$target
  mkdir -p "$corpus"
  options=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
           -artifact_prefix="$work/crashes/$target-")
  case $target in
    fuzz_scenario_*)
      cp "$root"/scenarios/*.toml "$root"/fuzz/seeds/*.toml "$corpus/"
      options+=(-max_len=4096 -dict="$root/fuzz/scenario.dict") ;;
    fuzz_trace_*)
      cp "$root"/traces/*.trace "$root"/tests/golden/*.trace "$corpus/"
      options+=(-max_len=8192 -dict="$root/fuzz/trace.dict") ;;
    fuzz_go_map_model)
      # Bytes are choices, not text: a scenario takes under 200, and shorter
      # inputs only make smaller scenarios, so no slow growth of the length.
      options+=(-max_len=256 -len_control=0) ;;
  esac
  log=$work/logs/$target.log
  status=0
  "$binary" "${options[@]}" "$corpus" >"$log" 2>&1 || status=$?
  # libFuzzer's final statistics: executions and their rate.
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  if [[ $status -eq 0 ]]; then
    printf '%-24s ok      %10s runs  %6s exec/s\n' "$target" "${runs:-?}" "${rate:-?}"
  else
    failed+=("$target")
    printf '%-24s FAILED  (exit %d) %s runs; log: %s\n' "$target" "$status" "${runs:-?}" "$log"
    # What broke: a property, a sanitizer report, libFuzzer's verdict.
    grep -m 4 -E '^(fuzz: property broken|==[0-9]+==ERROR|SUMMARY)|: runtime error:|^outcome: ' "$log" |
      sed 's/^/    /' || true
    for input in "$work/crashes/$target"-*; do
      [[ -e $input ]] && echo "    input kept: $input"
    done
  fi
done
echo "fuzz/run.sh: ${#targets[@]} targets, ${seconds} s each; corpora, logs and crash inputs in $work"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz/run.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
