// A job pool over a channel, a Cell and a condition variable (docs/library.md
// shows this file): two workers take jobs from a channel and add them to a
// total; the last to finish wakes whoever waits for the total. With the
// total updated under the mutex every schedule adds up; without it, some
// schedule loses an update, and the test shows how.

#include <catch2/catch.hpp>

#include <memory>

#include "harness/catch2/explore.hpp"
#include "harness/interleave.hpp"

namespace {

// The code under test: what a real pool would be with std::mutex,
// std::condition_variable and a Go-style channel.
class Pool {
 public:
  explicit Pool(bool lock_the_total) : lock_the_total_(lock_the_total) {}

  void submit(int job) { jobs_.send(job); }
  void no_more_jobs() { jobs_.close(); }

  // Each worker: take jobs until the channel is closed and drained.
  void work() {
    for (auto [job, ok] = jobs_.recv_ok(); ok; std::tie(job, ok) = jobs_.recv_ok()) add(job);
    harness::MutexLock lock(mu_);
    if (++finished_ == kWorkers) all_done_.notify_all();
  }

  // Waits until every worker has finished, then reads the total.
  int wait_for_total() {
    harness::MutexLock lock(mu_);
    all_done_.wait(lock, [&] { return finished_ == kWorkers; });
    return total_.get();
  }

  static constexpr int kWorkers = 2;

 private:
  void add(int job) {
    if (lock_the_total_) {
      harness::MutexLock lock(mu_);
      total_.set(total_.get() + job);
    } else {
      total_.set(total_.get() + job);  // the bug: read, then write, unlocked
    }
  }

  const bool lock_the_total_;
  harness::Chan<int> jobs_{1, "jobs"};
  harness::Cell<int> total_{0, "total"};
  harness::Mutex mu_{"mu"};
  harness::CondVar all_done_{"all_done"};
  int finished_ = 0;  // guarded by mu_
};

harness::Program pool(bool lock_the_total) {
  return {lock_the_total ? "pool" : "pool-unlocked", [lock_the_total] {
    auto p = std::make_shared<Pool>(lock_the_total);
    for (int w = 0; w < Pool::kWorkers; ++w) harness::go("worker", [p] { p->work(); });
    harness::go("client", [p] {
      p->submit(1);
      p->submit(2);
      p->no_more_jobs();
      REQUIRE(p->wait_for_total() == 3);
    });
  }};
}

}  // namespace

TEST_CASE("the pool adds every job when the total is updated under the mutex") {
  harness::catch2::Options options;
  options.preemption_bound = 2;
  options.require_exhausted = true;  // every schedule within two preemptions
  harness::catch2::check_every_schedule(pool(true), options);
}

// Expected to fail (Catch2's [!shouldfail]): the failure report is the point.
TEST_CASE("without the mutex a worker's update is lost", "[!shouldfail]") {
  harness::catch2::Options options;
  options.preemption_bound = 2;
  harness::catch2::check_every_schedule(pool(false), options);
}
