#!/usr/bin/env bash
# Output files: a report or a trace that cannot be written is an I/O failure
# (exit 4, "interleave: could not write FILE: reason") with the report still
# printed; --json and --save-traces never replace what is not a regular file
# (a device or a FIFO is written through); temporary files left by a killed
# run are ignored, and removed once their process is gone.
# Usage: io_errors.sh <interleave binary> <repository root> <scratch dir>
set -u
cli=$1 root=$2 work=$3
rm -rf "$work" && mkdir -p "$work/scenarios"
cp "$root/scenarios/01_writer_reader.toml" "$work/scenarios/"
cd "$work"
fail() { echo "io_errors: $*"; cat out err 2>/dev/null; exit 1; }
run() { "$cli" "$@" > out 2> err; rc=$?; }

# A report that cannot be written (the device is full): exit 4, the text
# report still printed.
run run scenarios --json /dev/full
[ "$rc" -eq 4 ] || fail "--json /dev/full: expected exit 4, got $rc"
grep -q "^interleave: could not write /dev/full: no space left on device" err || fail "no 'could not write' message"
grep -q "expectation: held" out || fail "the report was not printed"
# A name that cannot be a file is a mistake in what was named: exit 2, said
# before any work.
touch plain
run run scenarios --json plain/report.json
[ "$rc" -eq 2 ] || fail "--json under a regular file: expected exit 2, got $rc"
grep -q "^interleave: plain/report.json: cannot be created: not a directory" err || fail "no 'cannot be created' message"
mkdir folder
run run scenarios --json folder
[ "$rc" -eq 2 ] || fail "--json to a folder: expected exit 2, got $rc"
grep -q "folder: is a directory, expected a file name" err || fail "a folder given to --json was not named"
[ -d folder ] || fail "the folder was replaced"
run run scenarios --save-traces plain/traces
[ "$rc" -eq 2 ] || fail "--save-traces under a regular file: expected exit 2, got $rc"

# Traces that cannot be saved: exit 4, the report printed and says so.
mkdir -p saved/01_writer_reader.fatal.trace
run run scenarios --save-traces saved
[ "$rc" -eq 4 ] || fail "a trace that cannot be saved: expected exit 4, got $rc"
grep -q "trace NOT saved: could not write saved/01_writer_reader.fatal.trace" out ||
  fail "the report does not say the trace was not saved"
grep -q "^interleave: could not write saved/01_writer_reader.fatal.trace" err || fail "no 'could not write' message for the trace"

# merge --json and regress --junit: the same exit code.
"$cli" run scenarios --json report.json > /dev/null || fail "run --json report.json failed"
run merge report.json --json /dev/full
[ "$rc" -eq 4 ] || fail "merge --json /dev/full: expected exit 4, got $rc"
run regress scenarios --junit /dev/full
[ "$rc" -eq 4 ] || fail "regress --junit /dev/full: expected exit 4, got $rc"
# show --html: an HTML timeline is written like a trace (exit 4 on /dev/full).
run show "$root/traces/02_two_writers.fatal.trace" --html /dev/full
[ "$rc" -eq 4 ] || fail "show --html /dev/full: expected exit 4, got $rc"
grep -q "^interleave: could not write /dev/full: no space left on device" err || fail "show --html: no 'could not write'"

# A FIFO is written through, and stays a FIFO.
mkfifo fifo
cat fifo > from-fifo &
reader=$!
run run scenarios --json fifo
wait "$reader"
[ "$rc" -eq 0 ] || fail "--json to a FIFO: expected exit 0, got $rc"
[ -p fifo ] || fail "the FIFO was replaced by another kind of file"
grep -q '"interleave_report"' from-fifo || fail "the report did not go through the FIFO"

# A character device (a /dev/null of our own, where we may create one) is
# written through and stays a device.
if mknod null c 1 3 2> /dev/null; then
  run run scenarios --json null --save-traces traces
  [ "$rc" -eq 0 ] || fail "--json to a character device: expected exit 0, got $rc"
  [ -c null ] || fail "--json replaced a character device with a regular file"
fi

# A symbolic link is followed: the file it names is replaced, the link stays.
echo old > target.json
ln -s target.json link.json
run run scenarios --json link.json
[ -L link.json ] || fail "--json replaced a symbolic link"
grep -q '"interleave_report"' target.json || fail "the file a link names was not written"

# Temporary files of a killed run: ignored by regress, removed once their
# writer is gone; one whose writer is alive is left alone.
gone=$(sh -c 'echo $$')
mkdir -p traces
echo partial > "traces/.01_writer_reader.fatal.trace.$gone.interleave-tmp"
echo partial > ".report.json.$gone.interleave-tmp"
echo partial > "report.json.tmp.$gone"
echo partial > ".report.json.$$.interleave-tmp"
run regress traces
[ "$rc" -eq 0 ] || fail "regress read a temporary file (exit $rc)"
run run scenarios --json report.json --save-traces traces
[ "$rc" -eq 0 ] || fail "run with stale temporary files: exit $rc"
[ ! -e "traces/.01_writer_reader.fatal.trace.$gone.interleave-tmp" ] || fail "a stale trace temporary was kept"
[ ! -e ".report.json.$gone.interleave-tmp" ] || fail "a stale report temporary was kept"
[ ! -e "report.json.tmp.$gone" ] || fail "a stale temporary of the older naming was kept"
[ -e ".report.json.$$.interleave-tmp" ] || fail "the temporary file of a live process was removed"
[ -z "$(find . -name '*interleave-tmp' ! -name ".report.json.$$.interleave-tmp")" ] || fail "temporary files left"

# Standard output that cannot be written is an I/O failure too.
if [ -e /dev/full ]; then
  "$cli" run scenarios > /dev/full 2> err
  rc=$?
  [ "$rc" -eq 4 ] || fail "stdout on /dev/full: expected exit 4, got $rc"
fi
echo "io_errors: ok"
