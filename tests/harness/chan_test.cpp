// harness::Chan and harness::select: schedule counts against an
// independent enumeration of the channel protocol, no value lost through a
// buffer, Go's panics, deadlocks that say what is waited for, select's
// choice explored and replayed, dpor's classes equal dfs's, and the race
// detector ordering through channels.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "harness/explore.hpp"
#include "harness/harness.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/sync/cell.hpp"
#include "harness/sync/chan.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using Catch::Matchers::Contains;

namespace {

/// The unbuffered handoff of `n` values from a sender to a receiver, as the
/// channel's steps: the sender offers (once no offer waits) then waits
/// until taken; the receiver arrives, then takes an offer. Counts the
/// complete schedules by trying every enabled step at every state: what
/// dfs must explore, derived without the engine.
std::uint64_t handoff_schedules(int n) {
  struct State {
    int sent = 0, received = 0;  // completed operations
    int sender_phase = 0;        // 0: before "send", 1: before "send.wait"
    int receiver_phase = 0;      // 0: before "arrive", 1: before "recv"
    bool offered = false, taken = false;
  };
  std::function<std::uint64_t(State)> count = [&](State s) -> std::uint64_t {
    std::vector<State> next;
    if (s.sent < n) {
      if (s.sender_phase == 0 && !s.offered) {
        State t = s;
        t.offered = true;
        t.taken = false;
        t.sender_phase = 1;
        next.push_back(t);
      } else if (s.sender_phase == 1 && s.taken) {
        State t = s;
        t.offered = t.taken = false;
        t.sender_phase = 0;
        ++t.sent;
        next.push_back(t);
      }
    }
    if (s.received < n) {
      if (s.receiver_phase == 0) {
        State t = s;
        t.receiver_phase = 1;
        next.push_back(t);
      } else if (s.offered && !s.taken) {
        State t = s;
        t.taken = true;
        t.receiver_phase = 0;
        ++t.received;
        next.push_back(t);
      }
    }
    if (next.empty()) return 1;  // both done (the protocol never deadlocks here)
    std::uint64_t total = 0;
    for (const State& t : next) total += count(t);
    return total;
  };
  return count(State{});
}

Program ping(int n) {
  return {"ping", [n] {
            auto ch = std::make_shared<Chan<int>>(0, "ping");
            go("sender", [ch, n] {
              for (int i = 1; i <= n; ++i) ch->send(i);
            });
            go("receiver", [ch, n] {
              for (int i = 1; i <= n; ++i) check(ch->recv() == i, "values out of order");
            });
          }};
}

}  // namespace

TEST_CASE("an unbuffered handoff explores exactly the schedules of the channel protocol", "[chan]") {
  for (int n = 1; n <= 4; ++n) {
    const Report report = testing::explore_dfs(ping(n));
    INFO("n = " << n);
    CHECK(report.exhausted);
    CHECK(report.executions == handoff_schedules(n));
    REQUIRE(report.classes.size() == 1);
    CHECK(report.classes[0].outcome.ok());
  }
  CHECK(handoff_schedules(1) == 2);  // arrive before or after the offer; the rest is forced
}

TEST_CASE("producers and a consumer through a buffered channel lose no value in any schedule", "[chan]") {
  const Program program{"buffered", [] {
                          auto ch = std::make_shared<Chan<int>>(1, "jobs");
                          auto sum = std::make_shared<int>(0);
                          for (int p = 0; p < 2; ++p)
                            go("producer", [ch, p] {
                              ch->send(10 * p + 1);
                              ch->send(10 * p + 2);
                            });
                          go("consumer", [ch, sum] {
                            for (int i = 0; i < 4; ++i) *sum += ch->recv();
                          });
                          at_end([sum] { check(*sum == 1 + 2 + 11 + 12, "a value was lost"); });
                        }};
  // A buffer of one: when it is full only the consumer can run, when it is
  // empty only the producers, so sends and receives alternate and the only
  // choice is which producer fills each of the four slots, two each:
  // C(4, 2) = 6 schedules, all different orders of conflicting steps (dpor
  // keeps all six).
  const auto both = testing::explore_dfs_and_dpor(program, std::nullopt);
  CHECK(both.dfs.exhausted);
  CHECK(both.dfs.executions == testing::binomial(4, 2));
  REQUIRE(both.dfs.classes.size() == 1);
  CHECK(both.dfs.classes[0].outcome.ok());
  CHECK(testing::outcome_set(both.dpor) == testing::outcome_set(both.dfs));
  CHECK(both.dpor.executions == both.dfs.executions);
}

TEST_CASE("Go's channel panics and a closed channel's zero value", "[chan]") {
  const Program send_closed{"send-closed", [] {
                              auto ch = std::make_shared<Chan<int>>(1, "c");
                              go("g", [ch] {
                                ch->close();
                                ch->send(1);
                              });
                            }};
  const Report a = testing::explore_dfs(send_closed);
  REQUIRE(a.classes.size() == 1);
  CHECK(a.classes[0].outcome == Outcome{OutcomeKind::kPanic, "send on closed channel"});

  const Program close_twice{"close-twice", [] {
                              auto ch = std::make_shared<Chan<int>>(0, "c");
                              go("g", [ch] {
                                ch->close();
                                ch->close();
                              });
                            }};
  const Report b = testing::explore_dfs(close_twice);
  REQUIRE(b.classes.size() == 1);
  CHECK(b.classes[0].outcome == Outcome{OutcomeKind::kPanic, "close of closed channel"});

  // A sender still waiting for a receiver when the channel closes panics.
  const Program cancelled{"cancelled", [] {
                            auto ch = std::make_shared<Chan<int>>(0, "c");
                            go("sender", [ch] { ch->send(1); });
                            go("closer", [ch] { ch->close(); });
                          }};
  const Report c = testing::explore_dfs(cancelled);
  CHECK(c.exhausted);
  CHECK(c.find(OutcomeKind::kPanic) != nullptr);
  CHECK(c.find(OutcomeKind::kPanic)->outcome.message == "send on closed channel");

  const Program drained{"drained", [] {
                          auto ch = std::make_shared<Chan<std::string>>(2, "c");
                          go("g", [ch] {
                            ch->send("x");
                            ch->close();
                            const auto [first, ok1] = ch->recv_ok();
                            const auto [second, ok2] = ch->recv_ok();
                            check(first == "x" && ok1, "the buffered value comes first");
                            check(second.empty() && !ok2, "then the zero value, ok = false");
                          });
                        }};
  const Report d = testing::explore_dfs(drained);
  REQUIRE(d.classes.size() == 1);
  CHECK(d.classes[0].outcome.ok());
}

TEST_CASE("a receive nobody sends to is a deadlock that names the channel", "[chan]") {
  const Program program{"forgotten", [] {
                          auto ch = std::make_shared<Chan<int>>(0, "results");
                          go("waiter", [ch] { (void)ch->recv(); });
                        }};
  const Report report = testing::explore_dfs(program);
  REQUIRE(report.classes.size() == 1);
  CHECK(report.classes[0].outcome.kind == OutcomeKind::kDeadlock);
  CHECK_THAT(report.classes[0].outcome.message, Contains("receive from chan 'results' (nothing sent)"));
}

TEST_CASE("select explores each ready case, and its trace replays byte for byte", "[chan][select]") {
  const Program program{"select", [] {
                          auto a = std::make_shared<Chan<int>>(1, "a");
                          auto b = std::make_shared<Chan<int>>(1, "b");
                          a->send(1);  // buffered, in setup: both cases ready from the start
                          b->send(2);
                          go("chooser", [a, b] {
                            int got = 0;
                            select(on_recv<int>(*a, [&](int v, bool) { got = v; }),
                                   on_recv<int>(*b, [&](int v, bool) { got = v; }));
                            check(got == 1, "took b");
                          });
                        }};
  const Report report = testing::explore_dfs(program);
  CHECK(report.exhausted);
  CHECK(report.executions == 2);
  const OutcomeClass* took_b = report.find(OutcomeKind::kAssertion);
  REQUIRE(took_b != nullptr);
  CHECK_THAT(took_b->outcome.message, Contains("took b"));
  CHECK_THAT(write_trace(took_b->first_trace), Contains("label=chan.select-which"));
  StackPool stacks;
  const ReplayResult replay = replay_trace(program, stacks, took_b->first_trace, 1000);
  CHECK(replay.identical);
  CHECK(write_trace(replay.trace) == write_trace(took_b->first_trace));
}

TEST_CASE("select's default runs only when no case is ready; an unbuffered send case needs a receiver",
          "[chan][select]") {
  // A non-blocking send with nobody receiving: always the default.
  const Program alone{"alone", [] {
                        auto ch = std::make_shared<Chan<int>>(0, "c");
                        go("g", [ch] {
                          const std::size_t ran = select(on_send<int>(*ch, 1, [] {}), on_default([] {}));
                          check(ran == 1, "sent with no receiver");
                        });
                      }};
  const Report a = testing::explore_dfs(alone);
  REQUIRE(a.classes.size() == 1);
  CHECK(a.classes[0].outcome.ok());
  // With a receiver that may have arrived: both happen, and the receiver
  // gets the value whenever the send case ran (else it waits forever).
  const Program with_receiver{"with-receiver", [] {
                                auto ch = std::make_shared<Chan<int>>(0, "c");
                                go("receiver", [ch] { check(ch->recv() == 7, "wrong value"); });
                                go("sender", [ch] {
                                  const std::size_t ran = select(on_send<int>(*ch, 7, [] {}), on_default([] {}));
                                  check(ran == 0, "took the default");
                                });
                              }};
  const auto both = testing::explore_dfs_and_dpor(with_receiver, std::nullopt);
  CHECK(both.dfs.exhausted);
  std::set<std::string> messages;
  for (const OutcomeClass& c : both.dfs.classes) messages.insert(describe(c.outcome));
  CHECK(both.dfs.find(OutcomeKind::kOk) != nullptr);
  REQUIRE(both.dfs.find(OutcomeKind::kAssertion) != nullptr);
  CHECK_THAT(both.dfs.find(OutcomeKind::kAssertion)->outcome.message, Contains("took the default"));
  CHECK(both.dfs.find(OutcomeKind::kDeadlock) == nullptr);  // the assertion ends the run first
  CHECK(testing::outcome_set(both.dpor) == testing::outcome_set(both.dfs));
}

TEST_CASE("the race detector orders through a channel and not without one", "[chan][race]") {
  auto program = [](bool through_channel) {
    return Program{"publish", [through_channel] {
                     auto data = std::make_shared<Cell<int>>(0, "data");
                     auto ready = std::make_shared<Chan<int>>(0, "ready");
                     go("writer", [data, ready, through_channel] {
                       data->set(42);
                       if (through_channel) ready->send(1);
                     });
                     go("reader", [data, ready, through_channel] {
                       if (through_channel) (void)ready->recv();
                       (void)data->get();
                     });
                   }};
  };
  for (const bool through : {true, false}) {
    StackPool stacks;
    DfsStrategy dfs;
    ExploreSettings settings;
    settings.detect_races = true;
    const Report report = explore(program(through), dfs, stacks, settings);
    INFO((through ? "through the channel" : "no channel"));
    CHECK(report.exhausted);
    CHECK((report.find(OutcomeKind::kRace) != nullptr) == !through);
  }
}
