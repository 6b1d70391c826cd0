#include "harness/trace/timeline.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "harness/trace/text_escape.hpp"

namespace harness {
namespace {

constexpr std::size_t kMinWidth = 14;
constexpr std::size_t kMaxWidth = 60;

}  // namespace

std::string step_cell_text(const Trace& trace, const Event& e) {
  std::string text = e.label;
  // Name the object only when there could be doubt: traces of one map or
  // one mutex say it in the label already.
  if (e.object != kNoObject && index(e.object) < trace.objects.size() && trace.objects.size() > 1)
    text += " (" + trace.objects[index(e.object)].name + ")";
  if (!e.detail.empty()) {
    // The failing step's detail also lists the other goroutines: shown below.
    std::string detail = e.detail;
    if (const std::size_t at = detail.find("goroutine "); at != std::string::npos && &e == &trace.events.back())
      detail = detail.substr(0, at);
    while (!detail.empty() && (detail.back() == ' ' || detail.back() == ';')) detail.pop_back();
    if (!detail.empty()) text += ": " + detail;
  }
  return text;
}

/// Characters, not bytes: a name or detail in UTF-8 is padded and cut as it
/// shows, and never cut inside a character.
std::size_t display_length(const std::string& text) { return trace_text::characters(text, text.size()); }

std::string fit_to_width(const std::string& text, std::size_t width) {
  const std::size_t shown = display_length(text);
  if (shown <= width) return text + std::string(width - shown, ' ');
  return std::string(trace_text::first_characters(text, width - 3)) + "...";
}

std::string outcome_lines(const Trace& trace) {
  std::string out = fmt::format("=> {}\n", describe(trace.outcome));
  if (trace.outcome.ok() || trace.events.empty()) return out;
  const Event& last = trace.events.back();
  out += fmt::format("   at step {}: goroutine '{}' at {}\n", last.step, trace.fibers[index(last.fiber)], last.label);
  // "goroutine i 'name' is at label" notes: where the others were parked.
  std::size_t at = 0;
  while ((at = last.detail.find("goroutine ", at)) != std::string::npos) {
    const std::size_t end = last.detail.find(';', at);
    out += "   while " + last.detail.substr(at, end == std::string::npos ? std::string::npos : end - at) + "\n";
    if (end == std::string::npos) break;
    at = end;
  }
  return out;
}

std::string render_timeline(const Trace& trace) {
  const std::size_t columns = trace.fibers.size();
  std::vector<std::size_t> width(columns, kMinWidth);
  for (std::size_t i = 0; i < columns; ++i) width[i] = std::max(width[i], display_length(trace.fibers[i]));
  for (const auto& e : trace.events) {
    const std::size_t column = index(e.fiber);
    // Not std::clamp: a long goroutine name makes the column wider than kMaxWidth.
    width[column] = std::max(width[column], std::min(display_length(step_cell_text(trace, e)), kMaxWidth));
  }
  std::string out;
  out += fmt::format("{:>5}", "step");
  for (std::size_t i = 0; i < columns; ++i) out += "  " + fit_to_width(trace.fibers[i], width[i]);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  out += "\n";
  for (const auto& e : trace.events) {
    out += fmt::format("{:>5}", e.step);
    const std::size_t column = index(e.fiber);
    for (std::size_t i = 0; i < columns; ++i)
      out += "  " + (i == column ? fit_to_width(step_cell_text(trace, e), width[i]) : std::string(width[i], ' '));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  }
  out += outcome_lines(trace);
  return out;
}

}  // namespace harness
