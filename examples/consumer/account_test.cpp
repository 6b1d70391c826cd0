// interleave inside a Catch2 test with one call (interleave::catch2): the
// program's own Catch2 assertions are checked on every schedule, and a
// failure fails the test once, with the schedule and its saved trace.

#include <catch2/catch.hpp>

#include <memory>

#include "harness/catch2/explore.hpp"
#include "harness/interleave.hpp"

namespace {

// Two goroutines withdraw 80 from an account of 100, each holding the
// account's mutex from the check to the withdrawal: it is never overdrawn.
harness::Program withdrawals() {
  return {"withdrawals", [] {
    struct Account {
      harness::Mutex mutex{"account"};
      int balance = 100;
    };
    auto account = std::make_shared<Account>();
    for (const char* name : {"a", "b"})
      harness::go(name, [account] {
        harness::MutexLock lock(account->mutex);
        if (account->balance >= 80) account->balance -= 80;
        CHECK(account->balance >= 0);
      });
    harness::at_end([account] { REQUIRE(account->balance == 20); });
  }};
}

}  // namespace

TEST_CASE("one lock from the check to the withdrawal: never overdrawn") {
  harness::catch2::Options options;
  options.require_exhausted = true;  // fail if not every schedule was explored
  harness::catch2::check_every_schedule(withdrawals(), options);
}
