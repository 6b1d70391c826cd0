#include "examples/programs.hpp"

#include <memory>
#include <string>

#include <fmt/format.h>

#include "harness/harness.hpp"
#include "harness/sync/atomic.hpp"
#include "harness/sync/mutex.hpp"
#include "harness/sync/rwmutex.hpp"

namespace examples {

using namespace harness;

harness::Program independent_points(std::uint32_t fibers, std::uint32_t points) {
  return Program{fmt::format("independent-points-{}x{}", fibers, points), [fibers, points] {
                   for (std::uint32_t f = 0; f < fibers; ++f) {
                     go(fmt::format("g{}", f), [points] {
                       for (std::uint32_t p = 0; p < points; ++p) point("step", kNoObject, AccessKind::kNone);
                     });
                   }
                 }};
}

harness::Program lost_update(std::uint32_t rounds, bool use_fetch_add) {
  return Program{fmt::format("{}-{}", use_fetch_add ? "fetch-add" : "lost-update", rounds), [rounds, use_fetch_add] {
                   auto counter = std::make_shared<Atomic<int>>(0, "counter");
                   for (const char* name : {"a", "b"}) {
                     go(name, [counter, rounds, use_fetch_add] {
                       for (std::uint32_t i = 0; i < rounds; ++i) {
                         if (use_fetch_add) {
                           counter->fetch_add(1);
                         } else {
                           const int seen = counter->load();
                           counter->store(seen + 1);
                         }
                       }
                     });
                   }
                   at_end([counter, rounds] {
                     const int expected = static_cast<int>(2 * rounds);
                     if (counter->peek() != expected)
                       report_failure(OutcomeKind::kAssertion,
                                      fmt::format("lost update: counter is {}, expected {}", counter->peek(), expected));
                   });
                 }};
}

harness::Program lost_update_unchecked(std::uint32_t rounds) {
  return Program{fmt::format("lost-update-unchecked-{}", rounds), [rounds] {
                   auto counter = std::make_shared<Atomic<int>>(0, "counter");
                   for (const char* name : {"a", "b"}) {
                     go(name, [counter, rounds] {
                       for (std::uint32_t i = 0; i < rounds; ++i) counter->store(counter->load() + 1);
                     });
                   }
                 }};
}

harness::Program recursive_rlock() {
  return Program{"recursive-rlock", [] {
                   auto rw = std::make_shared<RWMutex>("rw");
                   go("reader", [rw] {
                     rw->rlock();
                     rw->rlock();
                     rw->runlock();
                     rw->runlock();
                   });
                   go("writer", [rw] {
                     rw->lock();
                     rw->unlock();
                   });
                 }};
}

harness::Program lock_order_inversion() {
  return Program{"lock-order-inversion", [] {
                   auto first = std::make_shared<Mutex>("first");
                   auto second = std::make_shared<Mutex>("second");
                   go("ab", [first, second] {
                     first->lock();
                     second->lock();
                     second->unlock();
                     first->unlock();
                   });
                   go("ba", [first, second] {
                     second->lock();
                     first->lock();
                     first->unlock();
                     second->unlock();
                   });
                 }};
}

}  // namespace examples
