// A first interleave test: explore every schedule of a small program and
// check that the bug is found, then that the fixed version passes them all.
// The README shows the first test case, as it is here.

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "harness/interleave.hpp"

TEST_CASE("two goroutines that load, then store, lose an update") {
  harness::Program program{"lost-update", [] {
    auto counter = std::make_shared<harness::Atomic<int>>(0, "counter");
    for (const char* name : {"a", "b"})
      harness::go(name, [counter] { counter->store(counter->load() + 1); });
    harness::at_end([counter] { harness::check(counter->peek() == 2, "lost update"); });
  }};
  harness::StackPool stacks;
  harness::DfsStrategy dfs;
  harness::Report report = harness::explore(program, dfs, stacks, {});
  CHECK(report.exhausted);
  CHECK(report.executions == 6);  // the orders of a's load, store and b's load, store
  const harness::OutcomeClass* lost = report.find(harness::OutcomeKind::kAssertion);
  REQUIRE(lost != nullptr);
  CHECK(lost->outcome.message == "lost update (lost_update_test.cpp:17)");  // check() says where
  CHECK(lost->count == 4);  // all but a-then-b and b-then-a
  // The schedule that lost it, step by step, replays the same.
  CHECK(harness::replay_trace(program, stacks, lost->first_trace, 1000).identical);
}

namespace {

// Every schedule, depth first.
harness::Report explore_all(const harness::Program& program) {
  harness::StackPool stacks;
  harness::DfsStrategy dfs;
  return harness::explore(program, dfs, stacks, {});
}

// For a failing check's message: each failure and the schedule reaching it.
std::string failures(const harness::Report& report) {
  std::string text;
  for (const harness::OutcomeClass& found : report.classes)
    if (!found.outcome.ok()) text += harness::write_trace(found.first_trace);
  return text;
}

// Two goroutines withdraw 80 from an account of 100. Bug: the balance is
// checked under the mutex, which is let go before the withdrawal. Fix: hold
// it from the check to the withdrawal.
harness::Program withdrawals(bool fixed) {
  return {fixed ? "account-one-lock" : "account-two-locks", [fixed] {
    struct Account {
      harness::Mutex mutex{"account"};
      int balance = 100;
    };
    auto account = std::make_shared<Account>();
    for (const char* name : {"a", "b"})
      harness::go(name, [account, fixed] {
        if (fixed) {
          harness::MutexLock lock(account->mutex);
          if (account->balance >= 80) account->balance -= 80;
          return;
        }
        account->mutex.lock();
        const bool enough = account->balance >= 80;
        account->mutex.unlock();
        if (enough) {
          harness::MutexLock lock(account->mutex);
          account->balance -= 80;
        }
      });
    harness::at_end([account] { harness::check(account->balance >= 0, "overdrawn"); });
  }};
}

}  // namespace

TEST_CASE("fetch_add loses no update") {
  harness::Program program{"fetch-add", [] {
    auto counter = std::make_shared<harness::Atomic<int>>(0, "counter");
    for (const char* name : {"a", "b"})
      harness::go(name, [counter] { counter->fetch_add(1); });
    harness::at_end([counter] { harness::check(counter->peek() == 2, "lost update"); });
  }};
  harness::Report report = explore_all(program);
  CHECK(report.exhausted);
  INFO(failures(report));
  CHECK(report.failures() == 0);
}

TEST_CASE("a check under one lock and a withdrawal under another overdraw; one lock does not") {
  harness::Report buggy = explore_all(withdrawals(false));
  CHECK(buggy.exhausted);
  const harness::OutcomeClass* overdrawn = buggy.find(harness::OutcomeKind::kAssertion);
  REQUIRE(overdrawn != nullptr);
  CHECK(overdrawn->outcome.message.starts_with("overdrawn (lost_update_test.cpp:"));

  harness::Report fixed = explore_all(withdrawals(true));
  CHECK(fixed.exhausted);
  INFO(failures(fixed));
  CHECK(fixed.failures() == 0);
}
