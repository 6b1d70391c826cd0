#include "maps/history/map_history.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "harness/check/linearizability.hpp"
#include "harness/harness.hpp"

namespace maps {
namespace {

std::string optional_value(const std::optional<Value>& value) {
  return value ? fmt::format("{}, true", *value) : std::string("0, false");
}

/// A plain map: the sequential specification, one call at a time.
using Contents = std::map<Key, Value>;

/// Whether `read` (a recorded result) is what the state holds: absent, or
/// present with that value. (Not optional's ==, which g++ 12 -O2 takes for
/// a read of an uninitialised value.)
bool holds(bool present, Value value, const std::optional<Value>& read) {
  return read.has_value() == present && (!present || *read == value);
}

std::optional<Contents> apply(const Contents& state, const MapCall& c) {
  Contents next = state;
  const auto found = state.find(c.key);
  const bool present = found != state.end();
  const Value current = present ? found->second : 0;
  switch (c.kind) {
    case MapCall::Kind::kGet:
    case MapCall::Kind::kFinal:
      if (!holds(present, current, c.result)) return std::nullopt;
      return next;
    case MapCall::Kind::kPut:
      next[c.key] = c.value;
      return next;
    case MapCall::Kind::kErase:
      next.erase(c.key);
      return next;
    case MapCall::Kind::kLen:
      if (static_cast<std::int64_t>(state.size()) != c.length) return std::nullopt;
      return next;
    case MapCall::Kind::kClear:
      return Contents{};
    case MapCall::Kind::kGetOrPut:
      if (c.loaded != present) return std::nullopt;
      if (present) return c.result.value_or(current + 1) == current ? std::optional<Contents>(next) : std::nullopt;
      next[c.key] = c.value;
      return next;
    case MapCall::Kind::kGetAndDelete:
      if (!holds(present, current, c.result)) return std::nullopt;
      next.erase(c.key);
      return next;
    case MapCall::Kind::kUpdate:
      // m[k] op= x read the old value (0 when absent) and stored the new.
      if (current != c.result.value_or(0)) return std::nullopt;
      next[c.key] = c.value;
      return next;
  }
  return std::nullopt;
}

/// Whether the calls `subset` (indices into `calls`) are linearizable from `initial`.
harness::Linearizable check(const std::vector<MapCall>& calls, const std::vector<std::size_t>& subset,
                            const Contents& initial) {
  std::vector<harness::OperationTiming> timings;
  for (std::size_t i : subset) timings.push_back(harness::OperationTiming{calls[i].call, calls[i].returned});
  harness::SequentialSpec<Contents> spec{initial, [&](const Contents& state, std::size_t i) {
                                           return apply(state, calls[subset[i]]);
                                         }};
  // Histories of dozens of calls need far fewer; a larger one is called
  // unknown rather than searched for seconds at every execution's end.
  constexpr std::size_t kMaxStates = 50'000;
  return harness::check_linearizable(timings, spec, kMaxStates);
}

/// One column per goroutine (and one for the end), one row per call in call
/// order; a pending call says so.
std::string table_of(const std::vector<MapCall>& calls, const std::vector<std::size_t>& subset,
                     const std::string& map_name) {
  std::vector<std::string> columns;
  for (std::size_t i : subset) {
    const std::string name = calls[i].goroutine.empty() ? "(at the end)" : calls[i].goroutine;
    if (std::find(columns.begin(), columns.end(), name) == columns.end()) columns.push_back(name);
  }
  std::vector<std::size_t> width(columns.size());
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i : subset) {
    const MapCall& c = calls[i];
    const std::string name = c.goroutine.empty() ? "(at the end)" : c.goroutine;
    const std::size_t column = static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
    std::vector<std::string> row(columns.size());
    row[column] = c.describe(map_name) + (c.returned ? "" : " (never returned)");
    rows.push_back(row);
  }
  for (std::size_t k = 0; k < columns.size(); ++k) {
    width[k] = columns[k].size();
    for (const auto& row : rows) width[k] = std::max(width[k], row[k].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text = "    ";
    for (std::size_t k = 0; k < cells.size(); ++k) text += fmt::format("{:<{}}  ", cells[k], width[k]);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  std::string out = line(columns);
  for (const auto& row : rows) out += line(row);
  return out;
}

}  // namespace

std::string MapCall::describe(const std::string& m) const {
  switch (kind) {
    case Kind::kGet: return fmt::format("{}[{}] -> {}", m, key, optional_value(result));
    case Kind::kPut: return fmt::format("{}[{}] = {}", m, key, value);
    case Kind::kErase: return fmt::format("delete({}, {})", m, key);
    case Kind::kLen: return fmt::format("len({}) -> {}", m, length);
    case Kind::kClear: return fmt::format("clear({})", m);
    case Kind::kGetOrPut: return fmt::format("LoadOrStore({}, {}) -> {}, {}", key, value, loaded ? result.value_or(0) : value, loaded);
    case Kind::kGetAndDelete: return fmt::format("LoadAndDelete({}) -> {}", key, optional_value(result));
    case Kind::kUpdate: return fmt::format("{}[{}] = {} (was {})", m, key, value, result.value_or(0));
    case Kind::kFinal:
      return result ? fmt::format("{}[{}] is {}", m, key, *result) : fmt::format("{}[{}] absent", m, key);
  }
  return "?";
}

std::size_t MapHistory::called(MapCall call) {
  call.call = clock_++;
  calls_.push_back(std::move(call));
  return calls_.size() - 1;
}

void MapHistory::returned(std::size_t index) { calls_.at(index).returned = clock_++; }

void MapHistory::final_contents(const std::vector<std::pair<Key, Value>>& contents,
                                const std::vector<Key>& initial_keys) {
  std::set<Key> keys(initial_keys.begin(), initial_keys.end());
  for (const MapCall& c : calls_)
    if (!c.whole_map() && c.kind != MapCall::Kind::kFinal) keys.insert(c.key);
  for (const auto& [key, value] : contents) keys.insert(key);
  const std::map<Key, Value> now(contents.begin(), contents.end());
  for (Key key : keys) {
    MapCall read;
    read.kind = MapCall::Kind::kFinal;
    read.key = key;
    if (const auto it = now.find(key); it != now.end()) read.result = it->second;
    returned(called(read));
  }
}

LinearizabilityVerdict check_history(const MapHistory& history, const std::vector<std::pair<Key, Value>>& initial,
                                     const std::string& map_name) {
  const std::vector<MapCall>& calls = history.calls();
  const Contents start(initial.begin(), initial.end());
  // The parts to check apart: one per key, or the whole history.
  std::map<Key, std::vector<std::size_t>> by_key;
  std::vector<std::size_t> all;
  bool whole = false;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    all.push_back(i);
    whole |= calls[i].whole_map();
    if (!calls[i].whole_map()) by_key[calls[i].key].push_back(i);
  }
  std::vector<std::vector<std::size_t>> parts;
  if (whole) parts.push_back(all);
  else
    for (auto& [key, indices] : by_key) parts.push_back(indices);

  LinearizabilityVerdict verdict;
  for (const std::vector<std::size_t>& part : parts) {
    const harness::Linearizable answer = check(calls, part, start);
    if (answer == harness::Linearizable::kUnknown) verdict.unknown = true;
    if (answer != harness::Linearizable::kNo) continue;
    // Smaller, and still a witness: taking a read-only call out of a
    // linearizable history leaves it linearizable, so a history that stays
    // non-linearizable without it was not linearizable with it either.
    std::vector<std::size_t> smallest = part;
    for (std::size_t k = 0; k < smallest.size();) {
      if (!calls[smallest[k]].read_only()) {
        ++k;
        continue;
      }
      std::vector<std::size_t> without = smallest;
      without.erase(without.begin() + static_cast<std::ptrdiff_t>(k));
      if (!without.empty() && check(calls, without, start) == harness::Linearizable::kNo) smallest = std::move(without);
      else ++k;
    }
    verdict.linearizable = false;
    verdict.unknown = false;
    verdict.table = table_of(calls, smallest, map_name);
    std::string initially = "{";
    for (const auto& [key, value] : start) initially += fmt::format("{}{}: {}", initially.size() > 1 ? ", " : "", key, value);
    verdict.table += fmt::format(
        "  why: no order of these calls that keeps each goroutine's order and puts every call that returned before "
        "another was called ahead of it gives these results on a map that starts as {}}}\n",
        initially);
    return verdict;
  }
  return verdict;
}

std::size_t RecordingMap::call(MapCall::Kind kind, Key key, Value value) {
  MapCall c;
  c.kind = kind;
  c.goroutine = harness::current_goroutine_name();
  c.key = key;
  c.value = value;
  return history_->called(std::move(c));
}

std::optional<Value> RecordingMap::get(Key key) {
  const std::size_t i = call(MapCall::Kind::kGet, key);
  const std::optional<Value> result = inner_->get(key);
  history_->at(i).result = result;
  history_->returned(i);
  return result;
}

void RecordingMap::put(Key key, Value value) {
  const std::size_t i = call(MapCall::Kind::kPut, key, value);
  inner_->put(key, value);
  history_->returned(i);
}

void RecordingMap::erase(Key key) {
  const std::size_t i = call(MapCall::Kind::kErase, key);
  inner_->erase(key);
  history_->returned(i);
}

std::int64_t RecordingMap::len() {
  const std::size_t i = call(MapCall::Kind::kLen, 0);
  const std::int64_t length = inner_->len();
  history_->at(i).length = length;
  history_->returned(i);
  return length;
}

void RecordingMap::clear() {
  const std::size_t i = call(MapCall::Kind::kClear, 0);
  inner_->clear();
  history_->returned(i);
}

std::pair<Value, bool> RecordingMap::get_or_put(Key key, Value value) {
  const std::size_t i = call(MapCall::Kind::kGetOrPut, key, value);
  const std::pair<Value, bool> result = inner_->get_or_put(key, value);
  history_->at(i).loaded = result.second;
  history_->at(i).result = result.first;
  history_->returned(i);
  return result;
}

std::optional<Value> RecordingMap::get_and_delete(Key key) {
  const std::size_t i = call(MapCall::Kind::kGetAndDelete, key);
  const std::optional<Value> result = inner_->get_and_delete(key);
  history_->at(i).result = result;
  history_->returned(i);
  return result;
}

void RecordingMap::update(Key key, const std::function<Value(Value)>& next) {
  record_update(key, next, &ConcurrentMap::update);
}

void RecordingMap::read_then_write(Key key, const std::function<Value(Value)>& next) {
  record_update(key, next, &ConcurrentMap::read_then_write);
}

void RecordingMap::record_update(Key key, const std::function<Value(Value)>& next, Update how) {
  // m[k] op= x: one call that read the old value and stored the new (the
  // last time `next` ran: a retrying kind may run it more than once).
  const std::size_t i = call(MapCall::Kind::kUpdate, key);
  ((*inner_).*how)(key, [&](Value old) {
    const Value now = next(old);
    history_->at(i).result = old;
    history_->at(i).value = now;
    return now;
  });
  history_->returned(i);
}

}  // namespace maps
