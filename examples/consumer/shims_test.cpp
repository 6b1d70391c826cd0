// The shims for plain data and waiting (docs/library.md shows this file):
// a Cell makes a reorder of two plain ints visible, and a CondVar's lost
// wakeup comes out as a deadlock that the predicate loop fixes.

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "harness/interleave.hpp"

namespace {

harness::Report explore_all(const harness::Program& program) {
  harness::StackPool stacks;
  harness::DfsStrategy dfs;
  return harness::explore(program, dfs, stacks, {});
}

}  // namespace

TEST_CASE("a setter writes a then b; a checker reading b then a can see one write") {
  harness::Program program{"reorder", [] {
    auto a = std::make_shared<harness::Cell<int>>(0, "a");
    auto b = std::make_shared<harness::Cell<int>>(0, "b");
    harness::go("setter", [a, b] {
      a->set(1);
      b->set(1);
    });
    harness::go("checker", [a, b] {
      const int seen_b = b->get();
      harness::check(a->get() == seen_b, "saw one write of two");
    });
  }};
  harness::Report report = explore_all(program);
  CHECK(report.executions == 6);  // 2 steps each: 4 choose 2 orders
  const harness::OutcomeClass* torn = report.find(harness::OutcomeKind::kAssertion);
  REQUIRE(torn != nullptr);
  CHECK(torn->count == 4);  // all but "both reads first" and "both writes first"
}

namespace {

// A waiter and a notifier. Bug: waiting without a condition, the notify can
// come first and the waiter then sleeps forever.
harness::Program handoff(bool predicate) {
  return {predicate ? "handoff-loop" : "handoff-bare", [predicate] {
    struct Shared {
      harness::Mutex mu{"mu"};
      harness::CondVar cv{"cv"};
      bool ready = false;  // guarded by mu
    };
    auto s = std::make_shared<Shared>();
    harness::go("waiter", [s, predicate] {
      harness::MutexLock lock(s->mu);
      if (predicate)
        s->cv.wait(lock, [&] { return s->ready; });
      else
        s->cv.wait(lock);
    });
    harness::go("notifier", [s] {
      harness::MutexLock lock(s->mu);
      s->ready = true;
      s->cv.notify_one();
    });
  }};
}

}  // namespace

TEST_CASE("a notify before the wait is lost; waiting for a condition is not") {
  harness::Report bare = explore_all(handoff(false));
  const harness::OutcomeClass* lost = bare.find(harness::OutcomeKind::kDeadlock);
  REQUIRE(lost != nullptr);
  CHECK(lost->outcome.message.find("Wait on cond 'cv' never notified") != std::string::npos);

  harness::Report fixed = explore_all(handoff(true));
  CHECK(fixed.exhausted);
  CHECK(fixed.failures() == 0);
}
