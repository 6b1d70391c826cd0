#!/usr/bin/env bash
# The option matrix (option_matrix.txt): every option with every subcommand
# works or is refused with exit 2, and every option --help lists is in it.
# Usage: option_matrix.sh <interleave binary> <repository root> <scratch dir>
set -u
cli=$1 root=$2 work=$3
rm -rf "$work" && mkdir -p "$work/scenarios"
cp "$root/scenarios/01_writer_reader.toml" "$work/scenarios/w.toml"
cd "$work"
"$cli" run scenarios/w.toml --save-traces traces0 --json full.json > /dev/null || exit 1
"$cli" run scenarios/w.toml --shard 0/2 --json shard0.json > /dev/null || exit 1
failures=0
declare -A covered
while IFS= read -r line; do
  case "$line" in '#'* | '') continue ;; esac
  expected=$(echo "${line%%|*}" | xargs)
  rest=${line#*|}
  args=$(echo "${rest%%|*}" | xargs)
  pattern=$(echo "${rest#*|}" | sed 's/^ *//; s/ *$//')
  # shellcheck disable=SC2086
  output=$("$cli" $args 2>&1)
  rc=$?
  if [ "$rc" -ne "$expected" ]; then
    echo "FAIL: interleave $args: exit $rc, expected $expected"
    echo "$output" | head -20
    failures=$((failures + 1))
  elif [ -n "$pattern" ] && ! echo "$output" | grep -qE -- "$pattern"; then
    echo "FAIL: interleave $args: output lacks /$pattern/"
    echo "$output" | head -20
    failures=$((failures + 1))
  fi
  # Which subcommand and options the row covers.
  sub="" ;
  for word in $args; do
    case "$word" in
      run | points | replay | show | merge | shrink | regress | trace) [ -z "$sub" ] && sub=$word ;;
      -*) covered["${sub:-main} ${word}"]=1 ;;
    esac
  done
done < "$root/tests/tools/option_matrix.txt"

# Every option that --help lists has a row (short spellings count for long ones).
for sub in main run points replay show merge shrink regress trace; do
  if [ "$sub" = main ]; then help=$("$cli" --help); else help=$("$cli" "$sub" --help); fi
  while read -r spelling; do
    [ -z "$spelling" ] && continue
    found=0
    for name in ${spelling//,/ }; do
      [ "$name" = -h ] || [ "$name" = --help ] && found=1
      [ -n "${covered["$sub $name"]:-}" ] && found=1
    done
    if [ "$found" -eq 0 ]; then
      echo "FAIL: '$sub' lists option $spelling, which option_matrix.txt does not try"
      failures=$((failures + 1))
    fi
  done < <(echo "$help" | sed -n 's/^ *\(-[-a-zA-Z,]*\).*/\1/p' | sed 's/,$//')
done
[ "$failures" -eq 0 ] || { echo "option_matrix: $failures failure(s)"; exit 1; }
echo "option_matrix: ok"
