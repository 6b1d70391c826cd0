// fuzz_trace_roundtrip: trace text -> parse -> write -> parse -> write.
//
// Properties: parsing any text ends in a Trace or a TraceError (never
// another exception, a crash, a hang); the text written for a parsed trace
// parses again, to the same trace; and writing that gives the same bytes
// (traces are byte-stable: write(parse(write(t))) == write(t)).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "fuzz/support.hpp"
#include "harness/trace/trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  harness::Trace first;
  try {
    first = harness::parse_trace(text, "fuzz.trace");
  } catch (const harness::TraceError&) {
    return 0;  // refused with line and column: fine
  }
  const std::string written = harness::write_trace(first);
  harness::Trace second;
  try {
    second = harness::parse_trace(written, "written.trace");
  } catch (const harness::TraceError& error) {
    fuzz::broken("the text written for a parsed trace parses",
                 fmt::format("{}\ninput:\n{}\nwritten:\n{}", error.what(), text, written));
  }
  fuzz::require(second == first, "a written trace parses back to the same trace",
                [&] { return fmt::format("input:\n{}\nwritten:\n{}", text, written); });
  const std::string rewritten = harness::write_trace(second);
  fuzz::require(rewritten == written, "writing a reparsed trace gives the same bytes",
                [&] { return fmt::format("written:\n{}\nrewritten:\n{}", written, rewritten); });
  return 0;
}
