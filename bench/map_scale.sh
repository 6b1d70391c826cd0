#!/usr/bin/env bash
# Scale table: executions and wall time to exhaust plain-Go-map ("go") and
# mutex-map ("mutex") scenarios of G goroutines x K operations, on distinct
# keys (goroutine g puts g*10+i) and on one shared key (every put goes to
# key 0), under plain dfs, dfs+dpor and stateful dfs (--stateful), one
# thread, each run capped by a time limit. Prints a Markdown table; "not exhausted" rows give how far the
# run got when the limit ran out.
#
# Usage: bench/map_scale.sh [interleave binary] [time limit per run, e.g. 10s]
#        [goroutine counts, e.g. "2 3"] [operation counts, e.g. "1 2 3"]
#        [map kinds, e.g. "go"]
set -eu
cli=${1:-./build/tools/interleave/interleave}
limit=${2:-10s}
goroutine_counts=${3:-"2 3 4"}
op_counts=${4:-"1 2 3 4"}
kinds=${5:-"go mutex"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

scenario() {  # kind goroutines ops keys(distinct|shared) -> file
  local kind=$1 g=$2 k=$3 keys=$4 file="$work/$1-$2x$3-$4.toml"
  {
    echo "description = \"$g goroutines x $k puts, $keys keys, $kind map\""
    echo "[map]"
    echo "kind = \"$kind\""
    [ "$kind" = go ] && echo "hash_seed = 1"
    for ((i = 0; i < g; i++)); do
      local ops=""
      for ((j = 0; j < k; j++)); do
        local key=$((i * 10 + j))
        [ "$keys" = shared ] && key=0
        ops+="${ops:+, }\"put $key $j\""
      done
      echo "[[goroutine]]"
      echo "name = \"g$i\""
      echo "ops = [$ops]"
    done
    echo "[expect]"
    echo 'never = ["deadlock"]'
  } > "$file"
  echo "$file"
}

echo "| map | keys | goroutines x ops | dfs executions | dfs time | dpor executions | dpor time | stateful executions (states) | stateful time |"
echo "|---|---|---|---|---|---|---|---|---|"
for kind in $kinds; do
  for keys in distinct shared; do
    for g in $goroutine_counts; do
      for k in $op_counts; do
        file=$(scenario "$kind" "$g" "$k" "$keys")
        row="| $kind | $keys | $g x $k"
        for mode in "" "--dpor" "--stateful"; do
          start=$(date +%s.%N)
          # shellcheck disable=SC2086
          "$cli" run --strategy dfs $mode --executions 1099511627776 --time-limit "$limit" --json "$work/r.json" \
            "$file" > /dev/null 2>&1 || true
          end=$(date +%s.%N)
          line=$(python3 -c "
import json; s = json.load(open('$work/r.json'))['scenarios'][0]
states = ' ({:,})'.format(s['states']) if 'states' in s else ''
print('{:,}{}{}'.format(s['executions'] + (s['pruned'] if 'states' in s else 0), states, '' if s['exhausted'] else ' (not exhausted)'))")
          row+=" | $line | $(printf '%.2f s' "$(echo "$end - $start" | bc)")"
        done
        echo "$row |"
      done
    done
  done
done
