// Linearizability (Herlihy & Wing, 1990) of a recorded history against a
// sequential specification: is there an order of the operations that keeps
// real time (an operation that returned before another was called comes
// before it) in which every operation returns what the specification says?
// An operation that never returned (its goroutine stopped inside it) is
// pending: it may take effect anywhere after its call, or not at all.
//
// The search is Wing & Gong's, with Lowe's memoisation ("Testing for
// linearizability", 2017): a (set of operations placed, state) pair met
// twice is not searched twice. It is exact, deterministic and bounded:
// past `max_states` memoised pairs it answers kUnknown rather than guess.
// Independent parts of a history (a map's keys) are checked apart by the
// caller (P-compositionality), which keeps each search small.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace harness {

/// When one operation of a history was called and returned, as positions in
/// one total order of the history's calls and returns.
struct OperationTiming {
  std::uint64_t call = 0;
  std::optional<std::uint64_t> returned;  ///< none: pending
};

enum class Linearizable : unsigned char { kYes, kNo, kUnknown };

/// The sequential specification: the state before any operation, and the
/// state after operation `i` from `state` when its recorded result is the
/// one the specification gives there (nullopt when it is not).
/// State must be copyable and ordered (operator<).
template <class State>
struct SequentialSpec {
  State initial;
  std::function<std::optional<State>(const State& state, std::size_t i)> apply;
};

template <class State>
Linearizable check_linearizable(const std::vector<OperationTiming>& operations, const SequentialSpec<State>& spec,
                                std::size_t max_states = 1'000'000) {
  // The calls and returns in time order, as a doubly linked list that
  // placing an operation unlinks (both its entries) and backtracking relinks.
  struct Entry {
    std::uint64_t time;
    std::size_t operation;
    bool is_call;
    std::size_t prev, next;  // in `entries`; head and tail are sentinels
  };
  const std::size_t n = operations.size();
  std::vector<Entry> entries;
  entries.push_back(Entry{0, 0, false, 0, 0});  // head sentinel
  std::vector<std::pair<std::uint64_t, std::pair<std::size_t, bool>>> order;
  for (std::size_t i = 0; i < n; ++i) {
    order.push_back({operations[i].call, {i, true}});
    if (operations[i].returned) order.push_back({*operations[i].returned, {i, false}});
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    // At equal times a return comes first: the operations do not overlap.
    if (a.first != b.first) return a.first < b.first;
    return !a.second.second && b.second.second;
  });
  std::vector<std::size_t> call_entry(n), return_entry(n, 0);
  for (const auto& [time, what] : order) {
    entries.push_back(Entry{time, what.first, what.second, 0, 0});
    (what.second ? call_entry : return_entry)[what.first] = entries.size() - 1;
  }
  const std::size_t tail = entries.size();
  entries.push_back(Entry{0, 0, false, 0, 0});
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries[i].prev = i == 0 ? 0 : i - 1;
    entries[i].next = i + 1 < entries.size() ? i + 1 : i;
  }
  auto unlink = [&](std::size_t e) {
    entries[entries[e].prev].next = entries[e].next;
    entries[entries[e].next].prev = entries[e].prev;
  };
  auto relink = [&](std::size_t e) {
    entries[entries[e].prev].next = e;
    entries[entries[e].next].prev = e;
  };
  std::size_t returns_left = 0;
  for (const OperationTiming& o : operations) returns_left += o.returned ? 1 : 0;

  std::vector<bool> placed(n, false);
  std::set<std::pair<std::vector<bool>, State>> seen;
  struct Placed {
    std::size_t operation;
    State before;
  };
  std::vector<Placed> stack;
  State state = spec.initial;
  std::size_t e = entries[0].next;
  while (returns_left > 0) {
    if (e == tail) return Linearizable::kNo;  // unreachable: a return lies ahead of every call
    const Entry& entry = entries[e];
    if (entry.is_call) {
      const std::size_t op = entry.operation;
      std::optional<State> after = spec.apply(state, op);
      bool fresh = false;
      if (after) {
        placed[op] = true;
        fresh = seen.emplace(placed, *after).second;
        if (!fresh) placed[op] = false;
        if (seen.size() > max_states) return Linearizable::kUnknown;
      }
      if (fresh) {
        stack.push_back(Placed{op, state});
        state = std::move(*after);
        unlink(call_entry[op]);
        if (operations[op].returned) {
          unlink(return_entry[op]);
          --returns_left;
        }
        e = entries[0].next;
      } else {
        e = entry.next;
      }
      continue;
    }
    // The earliest return of an operation not placed: what was placed
    // before it cannot be extended; undo the last placement.
    if (stack.empty()) return Linearizable::kNo;
    Placed last = std::move(stack.back());
    stack.pop_back();
    const std::size_t op = last.operation;
    if (operations[op].returned) {
      relink(return_entry[op]);
      ++returns_left;
    }
    relink(call_entry[op]);
    placed[op] = false;
    state = std::move(last.before);
    e = entries[call_entry[op]].next;
  }
  return Linearizable::kYes;  // every returned operation placed; pending ones may be left out
}

}  // namespace harness
