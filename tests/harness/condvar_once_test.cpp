// harness::CondVar and harness::Once: a lost wakeup is a deadlock, the
// predicate loop passes every schedule, notify_one's pick is explored, and
// Once runs its function exactly once, never seen half done.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "harness/harness.hpp"
#include "harness/explore.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/sync/cell.hpp"
#include "harness/sync/condvar.hpp"
#include "harness/sync/mutex.hpp"
#include "harness/sync/once.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using Catch::Matchers::Contains;

namespace {

struct Shared {
  Mutex mu{"mu"};
  CondVar cv;
  bool ready = false;  // guarded by mu
  explicit Shared(CondVar::Options options = {}) : cv("cv", options) {}
};

enum class Waiting { kBare, kIf, kLoop };

// A waiter for `ready`, and a goroutine that sets it and notifies.
Program handoff(Waiting how, CondVar::Options options = {}) {
  return {"handoff", [how, options] {
            auto s = std::make_shared<Shared>(options);
            go("waiter", [s, how] {
              MutexLock lock(s->mu);
              switch (how) {
                case Waiting::kBare: s->cv.wait(lock); break;  // the lost-wakeup bug
                case Waiting::kIf:
                  if (!s->ready) s->cv.wait(lock);  // wrong under spurious wakeups
                  break;
                case Waiting::kLoop: s->cv.wait(lock, [&] { return s->ready; }); break;
              }
              check(s->ready, "woke before ready");
            });
            go("notifier", [s] {
              MutexLock lock(s->mu);
              s->ready = true;
              s->cv.notify_one();
            });
          }};
}

}  // namespace

TEST_CASE("a notify before the wait is lost: a deadlock naming the cond", "[condvar]") {
  const auto both = testing::explore_dfs_and_dpor(handoff(Waiting::kBare), std::nullopt);
  CHECK(both.dfs.exhausted);
  const OutcomeClass* deadlock = both.dfs.find(OutcomeKind::kDeadlock);
  REQUIRE(deadlock != nullptr);
  CHECK_THAT(deadlock->outcome.message,
             Contains("goroutine 0 'waiter' blocked at cond.wake: Wait on cond 'cv' never notified"));
  CHECK(both.dfs.find(OutcomeKind::kOk) != nullptr);  // the waiter first: it is woken
  CHECK(testing::outcome_set(both.dpor) == testing::outcome_set(both.dfs));
}

TEST_CASE("the predicate loop passes every schedule", "[condvar]") {
  const auto both = testing::explore_dfs_and_dpor(handoff(Waiting::kLoop), std::nullopt);
  CHECK(both.dfs.exhausted);
  CHECK(both.dfs.executions > 1);
  CHECK(both.dfs.failures() == 0);
  CHECK(both.dpor.failures() == 0);
}

TEST_CASE("spurious wakeups, when asked for, break an `if` but not the loop", "[condvar]") {
  const CondVar::Options spurious{.spurious_wakeups = true};
  const Report plain_if = testing::explore_dfs(handoff(Waiting::kIf));
  CHECK(plain_if.failures() == 0);  // without them an `if` happens to work
  const Report with_if = testing::explore_dfs(handoff(Waiting::kIf, spurious));
  CHECK(with_if.exhausted);
  const OutcomeClass* early = with_if.find(OutcomeKind::kAssertion);
  REQUIRE(early != nullptr);
  CHECK_THAT(early->outcome.message, Contains("woke before ready"));
  // The loop may wake spuriously forever while the notifier waits: bound
  // the steps (a step-bound outcome is such a schedule, not a failure).
  StackPool stacks;
  DfsStrategy dfs(DfsSettings{2, UINT64_MAX});
  ExploreSettings settings;
  settings.max_steps = 40;
  const Report loop = explore(handoff(Waiting::kLoop, spurious), dfs, stacks, settings);
  CHECK(loop.exhausted);
  CHECK(loop.find(OutcomeKind::kAssertion) == nullptr);
  CHECK(loop.find(OutcomeKind::kDeadlock) == nullptr);
  CHECK(loop.find(OutcomeKind::kOk) != nullptr);
}

namespace {

// w1 waits first, then w2 (w2 starts waiting only once w1 is in), then one
// notify_one: Go would always wake w1; C++ may wake either.
Program two_waiters_one_signal(bool broadcast) {
  return {"two-waiters", [broadcast] {
            struct State {
              Mutex mu{"mu"};
              CondVar arrived{"arrived"};
              CondVar cv{"cv"};
              int waiting = 0;
            };
            auto s = std::make_shared<State>();
            for (int me : {1, 2})
              go(me == 1 ? "w1" : "w2", [s, me] {
                MutexLock lock(s->mu);
                s->arrived.wait(lock, [&] { return s->waiting == me - 1; });
                s->waiting = me;
                s->arrived.notify_all();
                s->cv.wait(lock);
              });
            go("signaler", [s, broadcast] {
              MutexLock lock(s->mu);
              s->arrived.wait(lock, [&] { return s->waiting == 2; });
              if (broadcast) s->cv.notify_all();
              else s->cv.notify_one();
            });
          }};
}

}  // namespace

TEST_CASE("which waiter notify_one wakes is explored; notify_all wakes both", "[condvar]") {
  const Report one = testing::explore_dfs(two_waiters_one_signal(false));
  CHECK(one.exhausted);
  // Every schedule strands one waiter, and either one can be the one.
  CHECK(one.find(OutcomeKind::kOk) == nullptr);
  bool w1_stranded = false, w2_stranded = false;
  for (const auto& cls : one.classes) {
    REQUIRE(cls.outcome.kind == OutcomeKind::kDeadlock);
    if (cls.outcome.message.find("'w1' blocked at cond.wake") != std::string::npos) w1_stranded = true;
    if (cls.outcome.message.find("'w2' blocked at cond.wake") != std::string::npos) w2_stranded = true;
  }
  CHECK(w1_stranded);
  CHECK(w2_stranded);
  const Report reduced = testing::explore_dpor(two_waiters_one_signal(false));
  CHECK(testing::outcome_set(reduced) == testing::outcome_set(one));

  const Report all = testing::explore_dfs(two_waiters_one_signal(true));
  CHECK(all.exhausted);
  CHECK(all.failures() == 0);
}

TEST_CASE("a CondVar that nobody could notify refuses to wait outside an execution", "[condvar]") {
  Mutex mu("mu");
  CondVar cv("cv");
  cv.notify_one();  // nobody waits: nothing happens
  cv.notify_all();
  mu.lock();
  CHECK_THROWS_AS(cv.wait(mu), std::logic_error);
}

namespace {

// Three goroutines call init through `once` (or a check-then-set flag, the
// broken version); each then reads the two fields init writes.
Program init_once(bool broken) {
  return {broken ? "flag-init" : "once-init", [broken] {
            struct State {
              Once once{"once"};
              Cell<bool> started{false, "started"};
              Cell<int> x{0, "x"};
              Cell<int> y{0, "y"};
              int runs = 0;
            };
            auto s = std::make_shared<State>();
            auto init = [s] {
              ++s->runs;
              s->x.set(1);
              s->y.set(2);
            };
            for (const char* name : {"a", "b", "c"})
              go(name, [s, init, broken] {
                if (broken) {
                  if (!s->started.get()) {
                    s->started.set(true);
                    init();
                  }
                } else {
                  s->once.call(init);
                }
                check(s->x.get() == 1 && s->y.get() == 2, "init seen half done");
              });
            at_end([s] { check(s->runs == 1, "init ran " + std::to_string(s->runs) + " times"); });
          }};
}

}  // namespace

TEST_CASE("Once runs its function exactly once and nobody sees it half done", "[once]") {
  const Report once = testing::explore_dfs(init_once(false));
  CHECK(once.exhausted);
  CHECK(once.executions > 100);
  CHECK(once.failures() == 0);
  // The check can fail: a check-then-set flag runs init twice, or lets a
  // caller through before it finished.
  const Report flag = testing::explore_dfs(init_once(true), 2);
  bool twice = false, half = false;
  for (const auto& cls : flag.classes) {
    if (cls.outcome.message.find("init ran 2 times") != std::string::npos) twice = true;
    if (cls.outcome.message.find("init seen half done") != std::string::npos) half = true;
  }
  CHECK(twice);
  CHECK(half);
}

TEST_CASE("a panic out of Once's function counts as done", "[once]") {
  Program program{"once-panic", [] {
                    auto once = std::make_shared<Once>("once");
                    auto runs = std::make_shared<int>(0);
                    for (const char* name : {"a", "b"})
                      go(name, [once, runs] {
                        try {
                          once->call([runs] {
                            ++*runs;
                            panic("init failed");
                          });
                        } catch (const Panic& p) {
                          recovered(p.message);
                        }
                      });
                    at_end([runs] { check(*runs == 1, "init retried"); });
                  }};
  const Report report = testing::explore_dfs(program);
  CHECK(report.exhausted);
  REQUIRE(report.classes.size() == 1);
  CHECK(report.classes[0].outcome.kind == OutcomeKind::kOk);
  CHECK_THAT(report.classes[0].outcome.message, Contains("init failed"));
}

namespace {

// Two callers of a Once and a waiter whose notify may come first (then it
// deadlocks, left among the cond's waiters); the shims are made afresh in
// each execution or live across all of them.
Program long_lived(bool fresh) {
  auto once = std::make_shared<Once>("once");
  auto mu = std::make_shared<Mutex>("mu");
  auto cv = std::make_shared<CondVar>("cv");
  return {"long-lived", [fresh, once, mu, cv] {
            auto o = fresh ? std::make_shared<Once>("once") : once;
            auto c = fresh ? std::make_shared<CondVar>("cv") : cv;
            auto m = fresh ? std::make_shared<Mutex>("mu") : mu;
            auto runs = std::make_shared<int>(0);
            for (const char* name : {"a", "b"})
              go(name, [o, runs] { o->call([runs] { ++*runs; }); });
            go("waiter", [m, c] {
              MutexLock lock(*m);
              c->wait(lock);
            });
            go("notifier", [c] { c->notify_one(); });
            at_end([runs] { check(*runs == 1, "the function ran " + std::to_string(*runs) + " times"); });
          }};
}

}  // namespace

TEST_CASE("a Once and a CondVar that outlive executions start fresh in each", "[once][condvar]") {
  const Report fresh = testing::explore_dfs(long_lived(true));
  const Report kept = testing::explore_dfs(long_lived(false));
  CHECK(fresh.exhausted);
  CHECK(kept.exhausted);
  CHECK(kept.executions == fresh.executions);
  REQUIRE(kept.classes.size() == fresh.classes.size());
  for (std::size_t i = 0; i < kept.classes.size(); ++i) {
    CHECK(kept.classes[i].outcome == fresh.classes[i].outcome);
    CHECK(kept.classes[i].count == fresh.classes[i].count);
  }
  CHECK(fresh.find(OutcomeKind::kDeadlock) != nullptr);
  CHECK(fresh.find(OutcomeKind::kOk) != nullptr);
  CHECK(fresh.find(OutcomeKind::kAssertion) == nullptr);
}
