// The linearizability check (harness/check/linearizability.hpp) against a
// brute force on small random histories, and the map's history check
// (maps/history/map_history.hpp) on histories whose answer is known.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <optional>
#include <vector>

#include "harness/check/linearizability.hpp"
#include "harness/rng.hpp"
#include "maps/history/map_history.hpp"

using harness::Linearizable;
using harness::OperationTiming;

namespace {

/// A register: write v, or read (which returned v).
struct RegisterOp {
  bool write = false;
  int value = 0;
};

std::optional<int> register_apply(int state, const RegisterOp& op) {
  if (op.write) return op.value;
  if (op.value != state) return std::nullopt;
  return state;
}

/// Every subset that holds each returned operation, in every order: one
/// that keeps real time and the register's results is a linearization.
bool brute_force(const std::vector<OperationTiming>& timing, const std::vector<RegisterOp>& ops) {
  const std::size_t n = ops.size();
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    bool holds_returned = true;
    for (std::size_t i = 0; i < n; ++i)
      if (timing[i].returned && !(mask & (1u << i))) holds_returned = false;
    if (!holds_returned) continue;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < n; ++i)
      if (mask & (1u << i)) order.push_back(i);
    do {
      bool ok = true;
      // Real time: no operation placed after one that was called after it returned.
      for (std::size_t a = 0; a < order.size() && ok; ++a)
        for (std::size_t b = a + 1; b < order.size() && ok; ++b)
          if (timing[order[b]].returned && *timing[order[b]].returned < timing[order[a]].call) ok = false;
      int state = 0;
      for (std::size_t k = 0; k < order.size() && ok; ++k) {
        const auto next = register_apply(state, ops[order[k]]);
        if (!next) ok = false;
        else state = *next;
      }
      if (ok) return true;
    } while (std::next_permutation(order.begin(), order.end()));
  }
  return false;
}

maps::MapCall call(maps::MapCall::Kind kind, const char* goroutine, maps::Key key, maps::Value value = 0) {
  maps::MapCall c;
  c.kind = kind;
  c.goroutine = goroutine;
  c.key = key;
  c.value = value;
  return c;
}

}  // namespace

TEST_CASE("the linearizability search agrees with a brute force on random register histories", "[linearizability]") {
  harness::Rng rng(20261122);
  int yes = 0, no = 0;
  for (int round = 0; round < 3000; ++round) {
    const std::size_t n = 1 + rng.next() % 5;
    std::vector<OperationTiming> timing(n);
    std::vector<RegisterOp> ops(n);
    std::vector<std::uint64_t> times(2 * n);
    std::iota(times.begin(), times.end(), 0);
    for (std::size_t i = times.size(); i > 1; --i) std::swap(times[i - 1], times[rng.next() % i]);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t a = times[2 * i], b = times[2 * i + 1];
      timing[i].call = std::min(a, b);
      if (rng.next() % 6 != 0) timing[i].returned = std::max(a, b);  // else pending
      ops[i] = RegisterOp{rng.next() % 2 == 0, static_cast<int>(rng.next() % 3)};
    }
    harness::SequentialSpec<int> spec{0, [&](const int& state, std::size_t i) { return register_apply(state, ops[i]); }};
    const Linearizable fast = harness::check_linearizable(timing, spec);
    REQUIRE(fast != Linearizable::kUnknown);
    const bool expected = brute_force(timing, ops);
    INFO("round " << round);
    CHECK((fast == Linearizable::kYes) == expected);
    (expected ? yes : no) += 1;
  }
  // Both answers are common: the comparison tested something.
  CHECK(yes > 300);
  CHECK(no > 300);
}

TEST_CASE("a put that returned and a later read that misses it are not linearizable", "[linearizability]") {
  using Kind = maps::MapCall::Kind;
  maps::MapHistory history;
  history.returned(history.called(call(Kind::kPut, "a", 1, 5)));
  const std::size_t read = history.called(call(Kind::kGet, "b", 1));
  history.returned(read);  // result: absent
  history.returned(history.called(call(Kind::kGet, "b", 2)));  // another key: not in the table
  const maps::LinearizabilityVerdict verdict = maps::check_history(history, {}, "m");
  CHECK_FALSE(verdict.linearizable);
  CHECK_THAT(verdict.table, Catch::Matchers::Contains("m[1] = 5") && Catch::Matchers::Contains("m[1] -> 0, false"));
  CHECK_THAT(verdict.table, !Catch::Matchers::Contains("m[2]"));
}

TEST_CASE("the same read, overlapping the put, is linearizable", "[linearizability]") {
  using Kind = maps::MapCall::Kind;
  maps::MapHistory history;
  const std::size_t put = history.called(call(Kind::kPut, "a", 1, 5));
  const std::size_t read = history.called(call(Kind::kGet, "b", 1));
  history.returned(read);
  history.returned(put);
  history.final_contents({{1, 5}}, {});
  CHECK(maps::check_history(history, {}, "m").linearizable);
}

TEST_CASE("two increments that both read the old value lose one: not linearizable", "[linearizability]") {
  using Kind = maps::MapCall::Kind;
  maps::MapHistory history;
  const std::size_t a = history.called(call(Kind::kUpdate, "a", 0, 1));
  const std::size_t b = history.called(call(Kind::kUpdate, "b", 0, 1));
  history.at(a).result = 0;
  history.at(b).result = 0;
  history.returned(a);
  history.returned(b);
  history.final_contents({{0, 1}}, {0});
  const maps::LinearizabilityVerdict lost = maps::check_history(history, {{0, 0}}, "m");
  CHECK_FALSE(lost.linearizable);
  // The final read is not needed to show it: the two increments alone are.
  CHECK_THAT(lost.table, !Catch::Matchers::Contains("at the end"));
}

TEST_CASE("len is checked against the whole map; LoadOrStore's loaded flag against the key", "[linearizability]") {
  using Kind = maps::MapCall::Kind;
  maps::MapHistory history;
  history.returned(history.called(call(Kind::kPut, "a", 1, 1)));
  const std::size_t len = history.called(call(Kind::kLen, "b", 0));
  history.at(len).length = 0;  // after a put that returned: impossible
  history.returned(len);
  CHECK_FALSE(maps::check_history(history, {}, "m").linearizable);

  maps::MapHistory both_stored;
  for (const char* who : {"a", "b"}) {
    const std::size_t i = both_stored.called(call(Kind::kGetOrPut, who, 7, who[0]));
    both_stored.at(i).loaded = false;  // each says it stored its value
    both_stored.returned(i);
  }
  CHECK_FALSE(maps::check_history(both_stored, {}, "m").linearizable);
}
