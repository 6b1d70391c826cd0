#include "tools/interleave/conflicting_pair.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace interleave {
namespace {

using harness::AccessKind;

bool writes(AccessKind a) { return a == AccessKind::kWrite || a == AccessKind::kRmw; }
bool reads(AccessKind a) { return a == AccessKind::kRead || a == AccessKind::kRmw; }
bool blocks(AccessKind a) {
  return a == AccessKind::kLock || a == AccessKind::kRLock || a == AccessKind::kWait;
}

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

/// "step 2 of 'w1' (in m[1] = 1)"
std::string where(const harness::Trace& trace, const OperationTable& table, std::size_t i) {
  const harness::Event& e = trace.events[i];
  return fmt::format("step {} of '{}' ({} in {})", e.step, trace.fibers[harness::index(e.fiber)], e.label,
                     table.rows[table.row_of_event[i]].call);
}

ConflictingPair fatal(const harness::Trace& trace, const OperationTable& table) {
  const std::size_t check = trace.events.size() - 1;
  const harness::Event& seen = trace.events[check];
  std::optional<std::size_t> writer;
  // The flag is written by the *-writing.store steps; a model without them
  // still writes the word the check read.
  for (std::size_t i = check; i-- > 0 && !writer;) {
    const harness::Event& e = trace.events[i];
    if (e.fiber != seen.fiber && (ends_with(e.label, "writing.store") || e.detail.find("wrote flags") != std::string::npos))
      writer = i;
  }
  for (std::size_t i = check; i-- > 0 && !writer;) {
    const harness::Event& e = trace.events[i];
    if (e.fiber != seen.fiber && e.object == seen.object && writes(e.access)) writer = i;
  }
  if (!writer) return {{check}, {}};
  return {{*writer, check},
          fmt::format("{} wrote the map's flags and {} saw them before that call had finished: the two calls "
                      "overlapped.",
                      where(trace, table, *writer), where(trace, table, check))};
}

ConflictingPair corruption(const harness::Trace& trace, const OperationTable& table) {
  const std::size_t last = trace.events.size() - 1;
  const OperationRow& failing = table.rows[table.row_of_event[last]];
  const std::size_t begin = failing.events.front();
  // The latest other call that was still running after `failing` began and wrote something.
  std::optional<std::size_t> other_write;
  for (std::size_t r = table.rows.size(); r-- > 0 && !other_write;) {
    const OperationRow& row = table.rows[r];
    if (row.fiber == failing.fiber || row.events.back() < begin || row.events.front() > last) continue;
    for (std::size_t k = row.events.size(); k-- > 0;)
      if (writes(trace.events[row.events[k]].access)) {
        other_write = row.events[k];
        break;
      }
  }
  if (!other_write) return {{last}, {}};
  std::vector<std::size_t> events = {*other_write, last};
  std::sort(events.begin(), events.end());
  return {events, fmt::format("{} and {} belong to two writing calls whose steps overlapped: each changed the map "
                              "while the other was half-way through.",
                              where(trace, table, *other_write), where(trace, table, last))};
}

ConflictingPair wrong_result(const harness::Trace& trace, const OperationTable& table) {
  // A lost update: goroutine F reads object o, another goroutine writes o,
  // then F writes o from what it read. The latest such write of F explains it.
  for (std::size_t w = trace.events.size(); w-- > 0;) {
    const harness::Event& write = trace.events[w];
    if (!writes(write.access) || write.object == harness::kNoObject) continue;
    std::optional<std::size_t> read;
    for (std::size_t i = w; i-- > 0 && !read;) {
      const harness::Event& e = trace.events[i];
      if (e.fiber == write.fiber && e.object == write.object && reads(e.access)) read = i;
    }
    if (!read) continue;
    for (std::size_t x = w; x-- > *read + 1;) {
      const harness::Event& e = trace.events[x];
      if (e.fiber != write.fiber && e.object == write.object && writes(e.access))
        return {{*read, x},
                fmt::format("{} read the value before {} wrote it, and its own write at step {} then overwrote "
                            "that update: it was lost.",
                            where(trace, table, *read), where(trace, table, x), write.step)};
    }
  }
  return {{trace.events.size() - 1}, {}};
}

/// The wait-for cycle as the deadlock's message states it ("goroutine 0 'a'
/// blocked at mutex.lock: lock of mutex 'mu' held by goroutine 1 'b"): for
/// each waiter, the step where the holder took what it waits for.
ConflictingPair deadlock(const harness::Trace& trace, const OperationTable& table) {
  const std::string& message = trace.outcome.message;
  std::vector<std::size_t> events;
  std::string why;
  for (std::size_t at = message.find(" blocked at "); at != std::string::npos;
       at = message.find(" blocked at ", at + 1)) {
    const std::size_t end = std::min(message.find("; ", at), message.size());
    const std::string part = message.substr(at, end - at);
    const std::size_t name_at = part.find(" '");
    const std::size_t name_end = name_at == std::string::npos ? name_at : part.find('\'', name_at + 2);
    const std::size_t held = part.find("held by goroutine ");
    if (name_at == std::string::npos || name_end == std::string::npos || held == std::string::npos) continue;
    const std::string object = part.substr(name_at + 2, name_end - name_at - 2);
    std::size_t holder = 0;
    for (std::size_t k = held + 18; k < part.size() && part[k] >= '0' && part[k] <= '9'; ++k)
      holder = holder * 10 + static_cast<std::size_t>(part[k] - '0');
    const std::size_t waiter_end = message.rfind('\'', at);
    const std::size_t waiter_at = waiter_end == std::string::npos || waiter_end == 0 ? std::string::npos
                                                                                     : message.rfind('\'', waiter_end - 1);
    const std::string waiter =
        waiter_at == std::string::npos ? std::string("?") : message.substr(waiter_at + 1, waiter_end - waiter_at - 1);
    for (std::size_t i = trace.events.size(); i-- > 0;) {
      const harness::Event& e = trace.events[i];
      if (harness::index(e.fiber) != holder || !blocks(e.access) || e.object == harness::kNoObject ||
          harness::index(e.object) >= trace.objects.size() || trace.objects[harness::index(e.object)].name != object)
        continue;
      events.push_back(i);
      why += fmt::format("{}'{}' waits for {}, which '{}' took at step {} ({})", why.empty() ? "" : "; ", waiter,
                         object, trace.fibers[holder], e.step, table.rows[table.row_of_event[i]].call);
      break;
    }
  }
  std::sort(events.begin(), events.end());
  events.erase(std::unique(events.begin(), events.end()), events.end());
  if (events.size() < 2) return {{trace.events.size() - 1}, {}};
  return {events, why + ": a wait-for cycle, so none of them can go on."};
}

/// The two accesses the race detector noted on the last step ("data race
/// between step 0 ('writer', mapassign: m[k] = v) and step 17 ('counter',
/// len(m))").
ConflictingPair race(const harness::Trace& trace) {
  const std::string& detail = trace.events.back().detail;
  const std::size_t at = detail.find("data race between step ");
  if (at == std::string::npos) return {{trace.events.size() - 1}, {}};
  // The note is the last on its step: "step A (…) and step B (…)" to the end.
  const std::string pair = detail.substr(at + 18);
  const std::size_t split = pair.find(") and step ");
  if (split == std::string::npos) return {{trace.events.size() - 1}, {}};
  const std::vector<std::string> parts = {pair.substr(0, split + 1), pair.substr(split + 6)};
  std::vector<std::size_t> events;
  for (const std::string& part : parts) {
    std::uint64_t step = 0;
    std::size_t d = 5;  // after "step "
    for (; d < part.size() && part[d] >= '0' && part[d] <= '9'; ++d)
      step = step * 10 + static_cast<std::uint64_t>(part[d] - '0');
    for (std::size_t i = 0; i < trace.events.size(); ++i)
      if (d > 5 && trace.events[i].step == step) events.push_back(i);
  }
  std::sort(events.begin(), events.end());
  events.erase(std::unique(events.begin(), events.end()), events.end());
  if (events.size() != 2 || parts.size() != 2) return {{trace.events.size() - 1}, {}};
  return {events, fmt::format("{} and {} touch the same object, one of them writing, and no lock, channel, "
                              "WaitGroup, atomic or go statement orders them: neither happens before the other.",
                              parts[0], parts[1])};
}

}  // namespace

ConflictingPair find_conflicting_pair(const harness::Trace& trace, const OperationTable& table) {
  if (trace.outcome.ok() || trace.events.empty()) return {};
  switch (trace.outcome.kind) {
    case harness::OutcomeKind::kFatal:
      // Go's "concurrent map ..." throws come from a flag check; others
      // ("bad map state") from state two overlapping writers left.
      if (trace.outcome.message.rfind("concurrent map", 0) == 0) return fatal(trace, table);
      return corruption(trace, table);
    case harness::OutcomeKind::kCorruption: return corruption(trace, table);
    case harness::OutcomeKind::kWrongResult: return wrong_result(trace, table);
    case harness::OutcomeKind::kDeadlock: return deadlock(trace, table);
    case harness::OutcomeKind::kRace: return race(trace);
    default: return {{trace.events.size() - 1}, {}};
  }
}

bool marked(const ConflictingPair& pair, std::size_t i) {
  return std::binary_search(pair.events.begin(), pair.events.end(), i);
}

}  // namespace interleave
