// Writes a trace in the text format of docs/trace_format.md. Only integers
// and strings are printed, with fixed rules, so the bytes depend on nothing
// but the trace.
#include <charconv>

#include <fmt/format.h>

#include "harness/strategy/replay.hpp"
#include "harness/trace/atomic_file.hpp"
#include "harness/trace/format.hpp"
#include "harness/trace/text_escape.hpp"
#include "harness/trace/trace.hpp"

namespace harness {

using trace_text::quote;
using trace_text::token;
namespace tf = trace_format;

std::string write_trace(const Trace& trace) {
  fmt::memory_buffer out;
  auto line = [&out]<typename... Args>(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(out), format, std::forward<Args>(args)...);
    out.push_back('\n');
  };
  line("{} {}", tf::kMagic, tf::kVersion);
  line("{} {}", tf::kProgram, quote(trace.program));
  line("{} {}", tf::kExpect, to_string(trace.expect));
  for (const auto& [key, value] : trace.provenance) line("{} {} {}", tf::kProvenance, token(key), quote(value));
  line("{} {}", tf::kFibers, trace.fibers.size());
  for (std::size_t i = 0; i < trace.fibers.size(); ++i) line("{} {} {}", tf::kFiber, i, quote(trace.fibers[i]));
  line("{} {}", tf::kObjects, trace.objects.size());
  for (std::size_t i = 0; i < trace.objects.size(); ++i)
    line("{} {} {} {}", tf::kObject, i, token(trace.objects[i].kind), quote(trace.objects[i].name));
  line("{} {}", tf::kDecisions, trace.decisions.size());
  for (const Decision& d : trace.decisions) {
    if (d.kind == Decision::Kind::kSchedule)
      line("{} step={} fiber={} runnable={}", tf::kSchedule, d.step, d.value, format_fiber_set(d.runnable));
    else
      line("{} after={} value={} options={} label={}", tf::kData, d.step, d.value, d.options, token(d.label));
  }
  line("{} {}", tf::kSteps, trace.events.size());
  for (const Event& e : trace.events) {
    const std::string object = e.object == kNoObject ? std::string(tf::kNoObjectText) : std::to_string(index(e.object));
    fmt::format_to(std::back_inserter(out), "{} {} fiber={} op={} object={} access={} runnable={}", tf::kStep, e.step,
                   index(e.fiber), token(e.label), object, to_string(e.access), format_fiber_set(e.runnable));
    if (!e.detail.empty()) fmt::format_to(std::back_inserter(out), " detail={}", quote(e.detail));
    out.push_back('\n');
  }
  line("{} {} {}", tf::kOutcome, to_string(trace.outcome.kind), quote(trace.outcome.message));
  line("{}", tf::kEnd);
  return fmt::to_string(out);
}

std::string_view to_string(TraceExpectation expectation) {
  return expectation == TraceExpectation::kFixed ? tf::kExpectFixed : tf::kExpectReproduces;
}

void save_trace(const std::string& path, const Trace& trace) { write_file_atomically(path, write_trace(trace)); }

std::uint64_t count_preemptions(const Trace& trace) {
  std::uint64_t count = 0;
  for (std::size_t k = 1; k < trace.events.size(); ++k) {
    const FiberId previous = trace.events[k - 1].fiber;
    if (trace.events[k].fiber != previous && contains(trace.events[k].runnable, previous)) ++count;
  }
  return count;
}

std::string provenance_value(const Trace& trace, std::string_view key) {
  for (const auto& [k, v] : trace.provenance)
    if (k == key) return v;
  return {};
}

std::optional<std::uint64_t> provenance_number(const Trace& trace, std::string_view key) {
  for (const auto& [k, v] : trace.provenance) {
    if (k != key) continue;
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (v.empty() || ec != std::errc{} || ptr != v.data() + v.size()) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

std::optional<TextPosition> provenance_position(const Trace& trace, std::string_view key) {
  for (std::size_t i = 0; i < trace.provenance.size() && i < trace.provenance_at.size(); ++i)
    if (trace.provenance[i].first == key) return trace.provenance_at[i];
  return std::nullopt;
}

}  // namespace harness
