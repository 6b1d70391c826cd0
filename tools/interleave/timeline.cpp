#include "tools/interleave/timeline.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "harness/trace/timeline.hpp"
#include "tools/interleave/conflicting_pair.hpp"
#include "tools/interleave/operation_table.hpp"

namespace interleave {
namespace {

constexpr std::size_t kMinWidth = 14;
constexpr std::size_t kMaxWidth = 60;

std::string cell_text(const harness::Trace& trace, const harness::Event& e) { return harness::step_cell_text(trace, e); }
std::size_t length(const std::string& text) { return harness::display_length(text); }
std::string fit(const std::string& text, std::size_t width) { return harness::fit_to_width(text, width); }

}  // namespace

std::string render_timeline(const harness::Trace& trace, bool steps) {
  const OperationTable table = group_operations(trace);
  const ConflictingPair pair = find_conflicting_pair(trace, table);
  const std::size_t columns = trace.fibers.size();
  std::vector<bool> row_marked(table.rows.size(), false);
  for (const std::size_t i : pair.events) row_marked[table.row_of_event[i]] = true;
  // One cell text per row and, with `steps`, per event: the widths follow.
  auto op_cell = [&](std::size_t r) { return (row_marked[r] ? "* " : "  ") + operation_text(table.rows[r]); };
  auto step_cell = [&](std::size_t i) {
    return fmt::format("{}{:>4} {}", marked(pair, i) ? "  *" : "   ", trace.events[i].step,
                       cell_text(trace, trace.events[i]));
  };
  std::vector<std::size_t> width(columns, kMinWidth);
  for (std::size_t i = 0; i < columns; ++i) width[i] = std::max(width[i], length(trace.fibers[i]) + 2);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::size_t column = table.rows[r].fiber;
    // Not std::clamp: a long goroutine name makes the column wider than kMaxWidth.
    width[column] = std::max(width[column], std::min(length(op_cell(r)), kMaxWidth));
    if (steps)
      for (const std::size_t i : table.rows[r].events)
        width[column] = std::max(width[column], std::min(length(step_cell(i)), kMaxWidth));
  }
  std::string out;
  auto line = [&](const std::string& first, std::size_t column, const std::string& text) {
    out += fmt::format("{:>9}", first);
    for (std::size_t i = 0; i < columns; ++i)
      out += "  " + (i == column ? fit(text, width[i]) : std::string(width[i], ' '));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  };
  line("step", columns, {});
  out.resize(out.size() - 1);
  for (std::size_t i = 0; i < columns; ++i) out += "  " + fit("  " + trace.fibers[i], width[i]);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  out += "\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const OperationRow& row = table.rows[r];
    const std::uint64_t from = trace.events[row.events.front()].step;
    const std::uint64_t to = trace.events[row.events.back()].step;
    line(from == to ? fmt::format("{}", from) : fmt::format("{}-{}", from, to), row.fiber, op_cell(r));
    if (steps)
      for (const std::size_t i : row.events) line("", row.fiber, step_cell(i));
  }
  out += harness::outcome_lines(trace);
  if (!trace.outcome.ok() && !trace.events.empty()) {
    if (!pair.events.empty()) {
      out += "   conflicting pair (*):";
      for (const std::size_t i : pair.events)
        out += fmt::format(" step {} ('{}' {})", trace.events[i].step,
                           trace.fibers[harness::index(trace.events[i].fiber)], trace.events[i].label);
      out += "\n";
    }
    if (!pair.why.empty()) out += "   why: " + pair.why + "\n";
  }
  return out;
}

}  // namespace interleave
