// The sync shims: mutual exclusion, blocking, Go's RWMutex writer preference,
// WaitGroup, joins, and deadlock reports that say who waits on what.
#include <catch2/catch.hpp>

#include <memory>

#include "harness/harness.hpp"
#include "harness/sync/atomic.hpp"
#include "harness/sync/mutex.hpp"
#include "harness/sync/rwmutex.hpp"
#include "harness/sync/wait_group.hpp"
#include "tests/support/explore_helpers.hpp"
#include "examples/programs.hpp"

using namespace harness;
using Catch::Matchers::Contains;

TEST_CASE("dfs finds the lock-order inversion as a deadlock naming both locks", "[sync][deadlock]") {
  const Report report = testing::explore_dfs(examples::lock_order_inversion());
  CHECK(report.exhausted);
  const OutcomeClass* deadlock = report.find(OutcomeKind::kDeadlock);
  REQUIRE(deadlock != nullptr);
  const std::string& message = deadlock->outcome.message;
  CHECK_THAT(message, Contains("all goroutines are asleep - deadlock!"));
  CHECK_THAT(message, Contains("goroutine 0 'ab' blocked at mutex.lock: lock of mutex 'second' held by goroutine 1 'ba'"));
  CHECK_THAT(message, Contains("goroutine 1 'ba' blocked at mutex.lock: lock of mutex 'first' held by goroutine 0 'ab'"));
  // And some schedules get through: one goroutine takes both locks first.
  CHECK(report.find(OutcomeKind::kOk) != nullptr);
}

TEST_CASE("a mutex makes load/store increments exact in every schedule", "[sync]") {
  Program program{"locked-increments", [] {
                    auto mu = std::make_shared<Mutex>("mu");
                    auto counter = std::make_shared<Atomic<int>>(0, "counter");
                    for (const char* name : {"a", "b", "c"}) {
                      go(name, [mu, counter] {
                        MutexLock lock(*mu);
                        counter->store(counter->load() + 1);
                      });
                    }
                    at_end([counter] { check(counter->peek() == 3, "lost update under a mutex"); });
                  }};
  const Report report = testing::explore_dfs(program);
  CHECK(report.exhausted);
  CHECK(report.executions > 1);
  CHECK(report.failures() == 0);
}

TEST_CASE("unlocking an unlocked mutex is Go's fatal error", "[sync]") {
  Program program{"bad-unlock", [] {
                    auto mu = std::make_shared<Mutex>("mu");
                    go("g", [mu] { mu->unlock(); });
                  }};
  const Report report = testing::explore_dfs(program);
  REQUIRE(report.classes.size() == 1);
  CHECK(report.classes[0].outcome == Outcome{OutcomeKind::kFatal, "sync: unlock of unlocked mutex"});
}

TEST_CASE("a waiting writer blocks new readers: recursive read locking can deadlock", "[sync][rwmutex]") {
  // Go's documented trap: a reader that read-locks twice deadlocks if a
  // writer claims the lock in between. Without writer preference it could not.
  const Report report = testing::explore_dfs(examples::recursive_rlock());
  CHECK(report.exhausted);
  const OutcomeClass* deadlock = report.find(OutcomeKind::kDeadlock);
  REQUIRE(deadlock != nullptr);
  CHECK_THAT(deadlock->outcome.message, Contains("RLock of rwmutex 'rw' blocked by writer goroutine 1 'writer'"));
  CHECK_THAT(deadlock->outcome.message, Contains("waits for 1 reader(s) to RUnlock"));
  CHECK(report.find(OutcomeKind::kOk) != nullptr);
}

TEST_CASE("an RWMutex keeps writers exclusive and lets readers share", "[sync][rwmutex]") {
  Program program{"rw-exclusion", [] {
                    auto rw = std::make_shared<RWMutex>("rw");
                    auto inside = std::make_shared<Atomic<int>>(0, "writers-inside");
                    auto readers = std::make_shared<Atomic<int>>(0, "readers-inside");
                    auto both_read = std::make_shared<bool>(false);
                    for (const char* name : {"w1", "w2"}) {
                      go(name, [rw, inside, readers] {
                        rw->lock();
                        check(inside->fetch_add(1) == 0 && readers->load() == 0, "writer not exclusive");
                        inside->fetch_add(-1);
                        rw->unlock();
                      });
                    }
                    for (const char* name : {"r1", "r2"}) {
                      go(name, [rw, inside, readers, both_read] {
                        rw->rlock();
                        if (readers->fetch_add(1) == 1) *both_read = true;
                        check(inside->load() == 0, "reader alongside a writer");
                        readers->fetch_add(-1);
                        rw->runlock();
                      });
                    }
                    at_end([both_read] { check(!*both_read, "two readers were inside together"); });
                  }};
  const Report report = testing::explore_dfs(program, 3);
  // The only failure reachable is the end check proving readers do share.
  for (const auto& cls : report.classes) {
    INFO(describe(cls.outcome));
    CHECK((cls.outcome.ok() || cls.outcome.message.starts_with("two readers were inside together (sync_test.cpp:")));
  }
  CHECK(report.find(OutcomeKind::kAssertion) != nullptr);
  CHECK(report.find(OutcomeKind::kOk) != nullptr);
}

TEST_CASE("WaitGroup.Wait blocks until the counter is zero", "[sync][waitgroup]") {
  Program program{"waitgroup", [] {
                    auto wg = std::make_shared<WaitGroup>("wg");
                    auto done = std::make_shared<Atomic<int>>(0, "done");
                    wg->add(2);
                    for (const char* name : {"a", "b"}) {
                      go(name, [wg, done] {
                        done->fetch_add(1);
                        wg->done();
                      });
                    }
                    go("waiter", [wg, done] {
                      wg->wait();
                      check(done->load() == 2, "Wait returned early");
                    });
                  }};
  const Report report = testing::explore_dfs(program);
  CHECK(report.exhausted);
  CHECK(report.executions > 1);
  CHECK(report.failures() == 0);
}

TEST_CASE("a negative WaitGroup counter panics", "[sync][waitgroup]") {
  Program program{"waitgroup-negative", [] {
                    auto wg = std::make_shared<WaitGroup>("wg");
                    go("g", [wg] { wg->done(); });
                  }};
  const Report report = testing::explore_dfs(program);
  REQUIRE(report.classes.size() == 1);
  CHECK(report.classes[0].outcome == Outcome{OutcomeKind::kPanic, "sync: negative WaitGroup counter"});
}

TEST_CASE("join waits for the goroutine, and joining yourself deadlocks", "[sync][join]") {
  Program program{"join", [] {
                    auto value = std::make_shared<Atomic<int>>(0, "value");
                    go("parent", [value] {
                      JoinHandle child = go("child", [value] { value->store(42); });
                      child.join();
                      check(value->load() == 42, "join returned before the child finished");
                    });
                  }};
  const Report report = testing::explore_dfs(program);
  CHECK(report.failures() == 0);

  Program self_join{"self-join", [] {
                      go("g", [] {
                        auto me = std::make_shared<JoinHandle>();
                        *me = JoinHandle(FiberId{0});
                        me->join();
                      });
                    }};
  const Report stuck = testing::explore_dfs(self_join);
  REQUIRE(stuck.find(OutcomeKind::kDeadlock) != nullptr);
  CHECK_THAT(stuck.find(OutcomeKind::kDeadlock)->outcome.message, Contains("waits for goroutine 'g' to finish"));
}
