// Data-race detection (harness/race/race_detector.hpp) on small programs
// whose answer is known: every schedule of two unordered writes races; a
// mutex, a join, an atomic flag, a WaitGroup order them; two readers under
// an RWMutex's read lock are not ordered with each other; reads never race
// with reads. Counts are over every schedule (dfs) and derived here.
#include <catch2/catch.hpp>

#include <memory>

#include "harness/explore.hpp"
#include "harness/harness.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/sync/atomic.hpp"
#include "harness/sync/cell.hpp"
#include "harness/sync/mutex.hpp"
#include "harness/sync/once.hpp"
#include "harness/sync/rwmutex.hpp"
#include "harness/sync/wait_group.hpp"
#include "harness/trace/trace.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;

namespace {

Report explore_races(const Program& program, bool detect = true) {
  StackPool stacks;
  DfsStrategy dfs;
  ExploreSettings settings;
  settings.detect_races = detect;
  return explore(program, dfs, stacks, settings);
}

std::uint64_t races(const Report& report) {
  const OutcomeClass* c = report.find(OutcomeKind::kRace);
  return c == nullptr ? 0 : c->count;
}

/// Shared plain data: a point (so the schedule can switch there) and the
/// access the race detector sees.
struct Plain {
  ObjectRef ref{"var", "x"};
  void write() {
    point("x.write", ref.id(), AccessKind::kWrite);
    race_write(ref.id(), "write x");
  }
  void read() {
    point("x.read", ref.id(), AccessKind::kRead);
    race_read(ref.id(), "read x");
  }
};

}  // namespace

TEST_CASE("two goroutines writing one variable race in every schedule; reads never race", "[race]") {
  const Program writers{"writers", [] {
                          auto x = std::make_shared<Plain>();
                          go("a", [x] { x->write(); });
                          go("b", [x] { x->write(); });
                        }};
  const Report report = explore_races(writers);
  CHECK(report.exhausted);
  CHECK(races(report) == report.executions);  // 2 orders, both racy
  CHECK(report.executions == 2);
  const OutcomeClass* race = report.find(OutcomeKind::kRace);
  REQUIRE(race != nullptr);
  CHECK(race->outcome.message == "write by 'a' (write x) and write by 'b' (write x), unordered, on var 'x'");
  // Off, the same program passes.
  CHECK(races(explore_races(writers, false)) == 0);

  const Program readers{"readers", [] {
                          auto x = std::make_shared<Plain>();
                          go("a", [x] { x->read(); });
                          go("b", [x] { x->read(); });
                        }};
  CHECK(races(explore_races(readers)) == 0);
}

TEST_CASE("a mutex, a join, a WaitGroup and an atomic flag order the accesses", "[race]") {
  const Program locked{"locked", [] {
                         auto x = std::make_shared<Plain>();
                         auto mu = std::make_shared<Mutex>("mu");
                         for (const char* name : {"a", "b"})
                           go(name, [x, mu] {
                             MutexLock lock(*mu);
                             x->write();
                           });
                       }};
  const Report with_lock = explore_races(locked);
  CHECK(with_lock.exhausted);
  CHECK(races(with_lock) == 0);

  const Program joined{"joined", [] {
                         auto x = std::make_shared<Plain>();
                         go("parent", [x] {
                           JoinHandle child = go("child", [x] { x->write(); });
                           child.join();
                           x->read();
                         });
                       }};
  CHECK(races(explore_races(joined)) == 0);
  const Program unjoined{"unjoined", [] {
                           auto x = std::make_shared<Plain>();
                           go("parent", [x] {
                             go("child", [x] { x->write(); });
                             x->read();
                           });
                         }};
  const Report no_join = explore_races(unjoined);
  CHECK(races(no_join) == no_join.executions);

  const Program waited{"waited", [] {
                         auto x = std::make_shared<Plain>();
                         auto wg = std::make_shared<WaitGroup>("wg");
                         wg->add(1);
                         go("worker", [x, wg] {
                           x->write();
                           wg->done();
                         });
                         go("main", [x, wg] {
                           wg->wait();
                           x->read();
                         });
                       }};
  CHECK(races(explore_races(waited)) == 0);

  // Message passing through an atomic flag: the reader reads x only after
  // seeing the flag, which the writer stores after writing x.
  const Program flagged{"flagged", [] {
                          auto x = std::make_shared<Plain>();
                          auto flag = std::make_shared<Atomic<int>>(0, "flag");
                          go("writer", [x, flag] {
                            x->write();
                            flag->store(1);
                          });
                          go("reader", [x, flag] {
                            if (flag->load() == 1) x->read();
                          });
                        }};
  const Report message = explore_races(flagged);
  CHECK(message.exhausted);
  CHECK(races(message) == 0);
}

TEST_CASE("readers under an RWMutex's read lock are not ordered with each other; a writer is", "[race]") {
  // Two goroutines that write under RLock (a bug): racy in every schedule.
  const Program misuse{"write-under-rlock", [] {
                         auto x = std::make_shared<Plain>();
                         auto rw = std::make_shared<RWMutex>("rw");
                         for (const char* name : {"a", "b"})
                           go(name, [x, rw] {
                             rw->rlock();
                             x->write();
                             rw->runlock();
                           });
                       }};
  const Report wrong = explore_races(misuse);
  CHECK(wrong.exhausted);
  CHECK(races(wrong) == wrong.executions);
  // A writer under Lock and a reader under RLock: ordered.
  const Program proper{"rwmutex", [] {
                         auto x = std::make_shared<Plain>();
                         auto rw = std::make_shared<RWMutex>("rw");
                         go("writer", [x, rw] {
                           rw->lock();
                           x->write();
                           rw->unlock();
                         });
                         go("reader", [x, rw] {
                           rw->rlock();
                           x->read();
                           rw->runlock();
                         });
                       }};
  const Report right = explore_races(proper);
  CHECK(right.exhausted);
  CHECK(races(right) == 0);
}

TEST_CASE("a race's trace says races=on and replays byte for byte", "[race]") {
  const Program writers{"writers", [] {
                          auto x = std::make_shared<Plain>();
                          go("a", [x] { x->write(); });
                          go("b", [x] { x->write(); });
                        }};
  const Report report = explore_races(writers);
  const OutcomeClass* race = report.find(OutcomeKind::kRace);
  REQUIRE(race != nullptr);
  CHECK(provenance_value(race->first_trace, "races") == "on");
  StackPool stacks;
  CHECK(replay_trace(writers, stacks, race->first_trace, 1000).identical);
}

TEST_CASE("Cell accesses are seen by the race detector; Once orders its function before every Do", "[race]") {
  const Program cells{"cells", [] {
                        auto x = std::make_shared<Cell<int>>(0, "x");
                        go("a", [x] { x->set(1); });
                        go("b", [x] { x->set(2); });
                      }};
  const Report both = explore_races(cells);
  CHECK(races(both) == both.executions);
  const Program once{"once", [] {
                       auto x = std::make_shared<Cell<int>>(0, "x");
                       auto init = std::make_shared<Once>("init");
                       for (const char* name : {"a", "b"})
                         go(name, [x, init] {
                           init->call([x] { x->set(1); });
                           (void)x->get();
                         });
                     }};
  const Report ordered = explore_races(once);
  CHECK(ordered.exhausted);
  CHECK(races(ordered) == 0);
}
