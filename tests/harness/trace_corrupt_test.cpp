// A damaged trace gets a clear error naming its line, never a crash
// (leveldb's log_test: damage one byte at a time, name the error expected).
#include <catch2/catch.hpp>

#include "harness/strategy/random_walk.hpp"
#include "harness/trace/trace.hpp"
#include "tests/support/explore_helpers.hpp"
#include "examples/programs.hpp"

using namespace harness;
using Catch::Matchers::Contains;

namespace {
std::string sample_trace_text() {
  StackPool stacks;
  RandomWalkStrategy random(42, 1000);
  ExploreSettings settings;
  settings.stop_at_first_failure = true;
  const Report report = explore(examples::lost_update(2, false), random, stacks, settings);
  REQUIRE(report.failures() > 0);
  return write_trace(report.classes.back().first_trace);
}

std::string parse_error(const std::string& text) {
  try {
    parse_trace(text, "t.trace");
  } catch (const TraceError& error) {
    return error.what();
  }
  return "no error";
}

std::string replace_line(std::string text, const std::string& starts_with, const std::string& replacement) {
  const std::size_t at = text.find("\n" + starts_with);
  REQUIRE(at != std::string::npos);
  const std::size_t end = text.find('\n', at + 1);
  return text.replace(at + 1, end - at - 1, replacement);
}
}  // namespace

TEST_CASE("every single-byte change is read cleanly or refused with a line number", "[trace][corrupt]") {
  const std::string text = sample_trace_text();
  const Program program = examples::lost_update(2, false);
  StackPool stacks;
  std::size_t refused = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string damaged = text;
    damaged[i] = static_cast<char>(damaged[i] + 1);
    try {
      const Trace trace = parse_trace(damaged, "t.trace");
      // Parsed (a changed name, detail or value): replaying must not crash,
      // and must not claim that the damaged trace reproduces.
      const ReplayResult replay = replay_trace(program, stacks, trace, 100000);
      const std::string line = damaged.substr(damaged.rfind('\n', i) + 1, 60);
      INFO("damaged byte " << i << ": " << line);
      // Provenance only describes how the trace was found; a replay copies it.
      const bool describes_only = line.rfind("provenance", 0) == 0;
      if (write_trace(trace) != text && !describes_only) CHECK_FALSE(replay.identical);
    } catch (const TraceError& error) {
      ++refused;
      CHECK_THAT(error.what(), Contains("t.trace:"));
    }
  }
  CHECK(refused > text.size() / 2);
}

TEST_CASE("a truncated trace says it is truncated", "[trace][corrupt]") {
  const std::string text = sample_trace_text();
  for (std::size_t cut = 0; cut + 4 < text.size(); cut = text.find('\n', cut + 1)) {
    const std::string error = parse_error(text.substr(0, cut == 0 ? 0 : cut + 1));
    INFO("cut after byte " << cut);
    CHECK_THAT(error, Contains("truncated") || Contains("not an interleave trace"));
  }
}

TEST_CASE("specific damage gets a specific message", "[trace][corrupt]") {
  const std::string text = sample_trace_text();
  CHECK_THAT(parse_error("hello\n"), Contains("t.trace:1:1: not an interleave trace"));
  CHECK_THAT(parse_error(replace_line("\n" + text, "interleave-trace", "interleave-trace 3").substr(1)),
             Contains("t.trace:1:18: trace format version 3 is not supported: this build reads versions 1 to 2"));
  CHECK_THAT(parse_error(replace_line(text, "expect", "expect maybe")),
             Contains("t.trace:3:8: expected 'reproduces' or 'fixed', found 'maybe'"));
  CHECK_THAT(parse_error(replace_line(text, "expect", "")), Contains("t.trace:3:1: expected 'expect reproduces|fixed'"));
  CHECK_THAT(parse_error(replace_line(text, "fibers", "fibers two")),
             Contains("expected a count (a whole number), found 'two'"));
  CHECK_THAT(parse_error(replace_line(text, "step 0 ", "step 0 fiber=0 op=x object=0 access=peek runnable={0,1}")),
             Contains("unknown access kind 'peek'"));
  CHECK_THAT(parse_error(replace_line(text, "step 0 ", "step 0 fiber=7 op=x object=0 access=read runnable={0,1}")),
             Contains("goroutine 7 is out of range: the trace declares 2"));
  CHECK_THAT(parse_error(replace_line(text, "outcome", "outcome exploded \"x\"")),
             Contains("unknown outcome kind 'exploded'"));
  CHECK_THAT(parse_error(replace_line(text, "outcome", "outcome fatal \"unterminated")),
             Contains("unterminated string"));
  CHECK_THAT(parse_error(text + "more\n"), Contains("unexpected text after 'end'"));
}
