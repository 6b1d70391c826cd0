#include "bench/sctbench/programs.hpp"

#include <array>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "harness/harness.hpp"
#include "harness/sync/atomic.hpp"
#include "harness/sync/mutex.hpp"

namespace sctbench {
namespace {

using harness::Atomic;
using harness::go;
using harness::Mutex;
using harness::OutcomeKind;
using harness::Program;

void assertion(bool condition, const std::string& message) {
  if (!condition) harness::report_failure(OutcomeKind::kAssertion, message);
}

/// A manual-reset event: wait() blocks until some thread has called set().
/// Stands for the originals' busy waits on a flag.
class Event final : private harness::Blocker {
 public:
  explicit Event(std::string name) : ref_("event", std::move(name)) {}
  void set() {
    harness::point(harness::Operation{"event.set", ref_.id(), harness::AccessKind::kWrite, nullptr});
    set_ = true;
  }
  void wait() { harness::point(harness::Operation{"event.wait", ref_.id(), harness::AccessKind::kWait, this}); }

 private:
  bool enabled(harness::FiberId) const override { return set_; }
  std::string describe_wait(harness::FiberId) const override { return fmt::format("waits for event '{}'", ref_.name()); }
  harness::ObjectRef ref_;
  bool set_ = false;
};

// ---- account ----------------------------------------------------------
// A balance (x = 1) under a lock; one thread deposits y = 2, one withdraws
// z = 4, and a checker, created first, checks the balance once both are
// done. Its formula subtracts the deposit (x - y - z): the bug shows only in
// the order where the checker runs after both others, which round robin
// (checker first) does not take.
Program account(bool fixed) {
  return Program{fixed ? "sct-account-fixed" : "sct-account", [fixed] {
                   struct State {
                     Mutex m{"m"};
                     int x = 1, y = 2, z = 4;
                     int balance = 1;
                     bool deposit_done = false, withdraw_done = false;
                   };
                   auto s = std::make_shared<State>();
                   go("check", [s, fixed] {
                     s->m.lock();
                     if (s->deposit_done && s->withdraw_done) {
                       const int expected = fixed ? s->x + s->y - s->z : s->x - s->y - s->z;
                       assertion(s->balance == expected,
                                 fmt::format("balance is {}, the checker expected {}", s->balance, expected));
                     }
                     s->m.unlock();
                   });
                   go("deposit", [s] {
                     s->m.lock();
                     s->balance += s->y;
                     s->deposit_done = true;
                     s->m.unlock();
                   });
                   go("withdraw", [s] {
                     s->m.lock();
                     s->balance -= s->z;
                     s->withdraw_done = true;
                     s->m.unlock();
                   });
                 }};
}

// ---- bluetooth_driver -------------------------------------------------
// The KISS paper's Bluetooth driver (Qadeer & Wu, PLDI 2004). A request
// (the main thread) enters with IoIncrement: it reads stoppingFlag, then
// takes the lock to count itself in pendingIo. The stopper sets
// stoppingFlag, drops the driver's own count, waits for pendingIo to reach
// 0 and marks the driver stopped. Checking the flag outside the lock lets
// the stopper run whole between the check and the count: the request then
// works on a stopped driver. Fixed: the flag is checked under the lock.
Program bluetooth_driver(bool fixed) {
  return Program{fixed ? "sct-bluetooth-driver-fixed" : "sct-bluetooth-driver", [fixed] {
                   struct Device {
                     Mutex m{"m"};
                     int pending_io = 1;  // under m
                     Atomic<int> stopping_flag{0, "stoppingFlag"};
                     Atomic<int> stopped{0, "stopped"};
                     Event stopping_event{"stoppingEvent"};
                   };
                   auto d = std::make_shared<Device>();
                   auto increment = [d, fixed] {
                     if (fixed) {
                       d->m.lock();
                       if (d->stopping_flag.load() != 0) {
                         d->m.unlock();
                         return false;
                       }
                       ++d->pending_io;
                       d->m.unlock();
                       return true;
                     }
                     if (d->stopping_flag.load() != 0) return false;
                     d->m.lock();
                     ++d->pending_io;
                     d->m.unlock();
                     return true;
                   };
                   auto decrement = [d] {
                     d->m.lock();
                     const int left = --d->pending_io;
                     d->m.unlock();
                     if (left == 0) d->stopping_event.set();
                   };
                   go("main-add", [d, increment, decrement] {
                     if (increment()) assertion(d->stopped.load() == 0, "a request works on a stopped driver");
                     decrement();  // as the original, entered or not
                   });
                   go("stop", [d, decrement] {
                     d->stopping_flag.store(1);
                     decrement();
                     d->stopping_event.wait();
                     d->stopped.store(1);
                   });
                 }};
}

// ---- circular_buffer --------------------------------------------------
// A producer and a consumer hand values 0..n-1 over a circular buffer,
// taking turns through the send/receive flags under one lock; each polls n
// times. The consumer checks the value it removes against its own loop
// counter: a poll that finds nothing to receive still advances the
// counter, and the next value received no longer matches (the producer
// likewise sends its counter). Fixed: both count the values they handed over.
Program circular_buffer(bool fixed) {
  constexpr int kSize = 10;
  constexpr int kRounds = 5;
  return Program{fixed ? "sct-circular-buffer-fixed" : "sct-circular-buffer", [fixed] {
                   struct State {
                     Mutex m{"m"};
                     std::array<int, kSize> buffer{};
                     int first = 0, next = 0;
                     bool send = true, receive = false;
                   };
                   auto s = std::make_shared<State>();
                   go("producer", [s, fixed] {
                     int sent = 0;
                     for (int i = 0; i < kRounds; ++i) {
                       s->m.lock();
                       if (s->send) {
                         s->buffer[static_cast<std::size_t>(s->next)] = fixed ? sent++ : i;
                         s->next = (s->next + 1) % kSize;
                         s->send = false;
                         s->receive = true;
                       }
                       s->m.unlock();
                     }
                   });
                   go("consumer", [s, fixed] {
                     int received = 0;
                     for (int i = 0; i < kRounds; ++i) {
                       s->m.lock();
                       if (s->receive) {
                         const int value = s->buffer[static_cast<std::size_t>(s->first)];
                         s->first = (s->first + 1) % kSize;
                         const int wanted = fixed ? received : i;
                         assertion(value == wanted, fmt::format("removed {}, expected {}", value, wanted));
                         ++received;
                         s->receive = false;
                         s->send = true;
                       }
                       s->m.unlock();
                     }
                   });
                 }};
}

// ---- deadlock01 -------------------------------------------------------
// Two threads take locks a and b in opposite orders: each can hold one and
// wait for the other. Fixed: both take a first.
Program deadlock01(bool fixed) {
  return Program{fixed ? "sct-deadlock01-fixed" : "sct-deadlock01", [fixed] {
                   auto a = std::make_shared<Mutex>("a");
                   auto b = std::make_shared<Mutex>("b");
                   go("t1", [a, b] {
                     a->lock();
                     b->lock();
                     b->unlock();
                     a->unlock();
                   });
                   go("t2", [a, b, fixed] {
                     Mutex& outer = fixed ? *a : *b;
                     Mutex& inner = fixed ? *b : *a;
                     outer.lock();
                     inner.lock();
                     inner.unlock();
                     outer.unlock();
                   });
                 }};
}

// ---- lazy01 -----------------------------------------------------------
// Three threads share data under one lock: one adds 1, one adds 2, and the
// third asserts that data < 3, i.e. that it never runs after both. The
// plain creation order already breaks it (found with no delay); no fix is
// meaningful, the assertion itself is the bug.
Program lazy01() {
  return Program{"sct-lazy01", [] {
                   auto m = std::make_shared<Mutex>("m");
                   auto data = std::make_shared<int>(0);
                   go("t1", [m, data] {
                     m->lock();
                     *data += 1;
                     m->unlock();
                   });
                   go("t2", [m, data] {
                     m->lock();
                     *data += 2;
                     m->unlock();
                   });
                   go("t3", [m, data] {
                     m->lock();
                     assertion(*data < 3, fmt::format("data is {}", *data));
                     m->unlock();
                   });
                 }};
}

// ---- queue ------------------------------------------------------------
// A producer and a consumer share a bounded queue under one lock. The
// producer enqueues a first value outside the turn-taking, then, in a loop,
// one more value whenever enqueue_flag gives it the turn, recording each in
// stored[]. The consumer polls SIZE times and, on its turn, checks the value
// it dequeues against stored[i], i its loop counter: a poll without a turn
// advances i, and the next value dequeued is compared with a later one.
// Fixed: both index stored[] by the values they handed over.
Program queue(bool fixed) {
  constexpr int kSize = 5;
  return Program{fixed ? "sct-queue-fixed" : "sct-queue", [fixed] {
                   struct State {
                     Mutex m{"m"};
                     std::array<int, kSize + 1> element{};
                     int head = 0, tail = 0, amount = 0;
                     std::array<int, kSize> stored{};
                     bool enqueue_flag = true, dequeue_flag = false;
                     void enqueue(int v) {
                       if (amount == kSize + 1) harness::report_failure(OutcomeKind::kAssertion, "queue overflow");
                       element[static_cast<std::size_t>(tail)] = v;
                       tail = (tail + 1) % (kSize + 1);
                       ++amount;
                     }
                     int dequeue() {
                       if (amount == 0) harness::report_failure(OutcomeKind::kAssertion, "queue underflow");
                       const int v = element[static_cast<std::size_t>(head)];
                       head = (head + 1) % (kSize + 1);
                       --amount;
                       return v;
                     }
                   };
                   auto s = std::make_shared<State>();
                   go("producer", [s, fixed] {
                     s->m.lock();
                     s->enqueue(100);
                     s->stored[0] = 100;
                     s->m.unlock();
                     int enqueued = 1;
                     for (int i = 0; i < kSize - 1; ++i) {
                       s->m.lock();
                       if (s->enqueue_flag) {
                         const int value = 101 + i;
                         s->enqueue(value);
                         s->stored[static_cast<std::size_t>(fixed ? enqueued++ : i + 1)] = value;
                         s->enqueue_flag = false;
                         s->dequeue_flag = true;
                       }
                       s->m.unlock();
                     }
                   });
                   go("consumer", [s, fixed] {
                     int dequeued = 0;
                     for (int i = 0; i < kSize; ++i) {
                       s->m.lock();
                       if (s->dequeue_flag) {
                         const int value = s->dequeue();
                         const int wanted = s->stored[static_cast<std::size_t>(fixed ? dequeued : i)];
                         assertion(value == wanted, fmt::format("dequeued {}, expected {}", value, wanted));
                         ++dequeued;
                         s->dequeue_flag = false;
                         s->enqueue_flag = true;
                       }
                       s->m.unlock();
                     }
                   });
                 }};
}

// ---- reorder_N --------------------------------------------------------
// N - 1 setters each write a = 1 then b = -1 (racy, no lock); one checker,
// created last, reads a then b and asserts it saw (0, 0) or (1, -1). It
// fails when it reads a after some setter's first write and b before any
// setter's second, or reads a before the first write and b after one. One
// preemption is enough, but round robin passes every setter before the
// checker: N - 1 delays. Fixed: setters write, and the checker reads, the
// pair under one lock.
Program reorder(int n, bool fixed) {
  return Program{fmt::format("sct-reorder-{}{}", n, fixed ? "-fixed" : ""), [n, fixed] {
                   struct State {
                     Mutex m{"m"};
                     Atomic<int> a{0, "a"};
                     Atomic<int> b{0, "b"};
                   };
                   auto s = std::make_shared<State>();
                   for (int i = 0; i < n - 1; ++i) {
                     go(fmt::format("set{}", i), [s, fixed] {
                       if (fixed) s->m.lock();
                       s->a.store(1);
                       s->b.store(-1);
                       if (fixed) s->m.unlock();
                     });
                   }
                   go("check", [s, fixed] {
                     if (fixed) s->m.lock();
                     const int a = s->a.load();
                     const int b = s->b.load();
                     if (fixed) s->m.unlock();
                     assertion((a == 0 && b == 0) || (a == 1 && b == -1), fmt::format("saw a = {}, b = {}", a, b));
                   });
                 }};
}

// ---- stack ------------------------------------------------------------
// One thread pushes SIZE values, each under the lock, and sets flag; the
// other pops SIZE times under the lock whenever flag is set. flag is never
// cleared: once one value is pushed, the popper pops on every turn and
// underflows if it gets two turns in a row. Fixed: it pops only a
// non-empty stack.
Program stack(bool fixed) {
  constexpr int kSize = 5;
  return Program{fixed ? "sct-stack-fixed" : "sct-stack", [fixed] {
                   struct State {
                     Mutex m{"m"};
                     std::array<int, kSize> items{};
                     int top = 0;
                     bool flag = false;
                   };
                   auto s = std::make_shared<State>();
                   go("push", [s] {
                     for (int i = 0; i < kSize; ++i) {
                       s->m.lock();
                       assertion(s->top < kSize, "stack overflow");
                       s->items[static_cast<std::size_t>(s->top++)] = i;
                       s->flag = true;
                       s->m.unlock();
                     }
                   });
                   go("pop", [s, fixed] {
                     for (int i = 0; i < kSize; ++i) {
                       s->m.lock();
                       if (s->flag && (!fixed || s->top > 0)) {
                         assertion(s->top > 0, "stack underflow");
                         --s->top;
                       }
                       s->m.unlock();
                     }
                   });
                 }};
}

// ---- token_ring -------------------------------------------------------
// x1 = 1, x2 = 2, x3 = 1. Thread 1 sets x1 = (x3 + 1) % 4, thread 2
// x2 = x1, thread 3 x3 = x2, each under the lock and raising its flag; a
// fourth thread, once all three flags are up, asserts x1 == x2 == x3. That
// holds if the token goes 1, 2, 3 (or 1, 3, 2), not in the other orders,
// which nothing prevents. Fixed: threads 2 and 3 wait for their
// predecessor's turn.
Program token_ring(bool fixed) {
  return Program{fixed ? "sct-token-ring-fixed" : "sct-token-ring", [fixed] {
                   struct State {
                     Mutex m{"m"};
                     int x1 = 1, x2 = 2, x3 = 1;
                     bool flag1 = false, flag2 = false, flag3 = false;
                     Event passed1{"passed1"}, passed2{"passed2"};
                   };
                   auto s = std::make_shared<State>();
                   go("t1", [s, fixed] {
                     s->m.lock();
                     s->x1 = (s->x3 + 1) % 4;
                     s->flag1 = true;
                     s->m.unlock();
                     if (fixed) s->passed1.set();
                   });
                   go("t2", [s, fixed] {
                     if (fixed) s->passed1.wait();
                     s->m.lock();
                     s->x2 = s->x1;
                     s->flag2 = true;
                     s->m.unlock();
                     if (fixed) s->passed2.set();
                   });
                   go("t3", [s, fixed] {
                     if (fixed) s->passed2.wait();
                     s->m.lock();
                     s->x3 = s->x2;
                     s->flag3 = true;
                     s->m.unlock();
                   });
                   go("t4", [s] {
                     s->m.lock();
                     if (s->flag1 && s->flag2 && s->flag3)
                       assertion(s->x1 == s->x2 && s->x2 == s->x3,
                                 fmt::format("x1 = {}, x2 = {}, x3 = {}", s->x1, s->x2, s->x3));
                     s->m.unlock();
                   });
                 }};
}

// ---- twostage ---------------------------------------------------------
// A writer sets data1 = 1 under lock1, releases it, then sets data2 =
// data1 + 1 under lock2; a reader (returning at once while data1 is 0)
// reads data1 under lock1 and data2 under lock2 and asserts data2 ==
// data1 + 1. Two critical sections where one was needed: a reader between
// the writer's stages sees data1 = 1, data2 = 0. Fixed: both hold lock1
// across the second stage.
Program twostage(bool fixed) {
  return Program{fixed ? "sct-twostage-fixed" : "sct-twostage", [fixed] {
                   struct State {
                     Mutex lock1{"data1Lock"}, lock2{"data2Lock"};
                     int data1 = 0, data2 = 0;
                   };
                   auto s = std::make_shared<State>();
                   go("writer", [s, fixed] {
                     s->lock1.lock();
                     s->data1 = 1;
                     if (!fixed) s->lock1.unlock();
                     s->lock2.lock();
                     s->data2 = s->data1 + 1;
                     s->lock2.unlock();
                     if (fixed) s->lock1.unlock();
                   });
                   go("reader", [s, fixed] {
                     s->lock1.lock();
                     if (s->data1 == 0) {
                       s->lock1.unlock();
                       return;
                     }
                     const int t1 = s->data1;
                     if (!fixed) s->lock1.unlock();
                     s->lock2.lock();
                     const int t2 = s->data2;
                     s->lock2.unlock();
                     if (fixed) s->lock1.unlock();
                     assertion(t2 == t1 + 1, fmt::format("data1 = {}, data2 = {}", t1, t2));
                   });
                 }};
}

// ---- wronglock --------------------------------------------------------
// One thread increments dataValue under dataLock and checks it went up by
// exactly one; seven others increment it under another lock, thisLock,
// which excludes nothing: an increment of theirs inside the first thread's
// critical section breaks its check. Fixed: everybody takes dataLock.
Program wronglock(bool fixed) {
  constexpr int kOthers = 7;
  return Program{fixed ? "sct-wronglock-fixed" : "sct-wronglock", [fixed] {
                   struct State {
                     Mutex data_lock{"dataLock"}, this_lock{"thisLock"};
                     Atomic<int> value{0, "dataValue"};
                   };
                   auto s = std::make_shared<State>();
                   go("a", [s] {
                     s->data_lock.lock();
                     const int x = s->value.load();
                     s->value.store(s->value.load() + 1);
                     const int now = s->value.load();
                     assertion(now == x + 1, fmt::format("dataValue went from {} to {}", x, now));
                     s->data_lock.unlock();
                   });
                   for (int i = 0; i < kOthers; ++i) {
                     go(fmt::format("b{}", i), [s, fixed] {
                       Mutex& lock = fixed ? s->data_lock : s->this_lock;
                       lock.lock();
                       s->value.store(s->value.load() + 1);
                       lock.unlock();
                     });
                   }
                 }};
}

}  // namespace

std::vector<Port> ports() {
  const auto a = OutcomeKind::kAssertion;
  std::vector<Port> all;
  all.push_back({"account", "the checker's formula is wrong, seen only if it runs last", a, account(false), account(true), false});
  all.push_back({"bluetooth_driver", "stoppingFlag checked outside the lock: a request on a stopped driver", a,
                 bluetooth_driver(false), bluetooth_driver(true), false});
  all.push_back({"circular_buffer", "the consumer checks against its poll counter, not its receive count", a,
                 circular_buffer(false), circular_buffer(true), false});
  all.push_back({"deadlock01", "two locks taken in opposite orders", OutcomeKind::kDeadlock, deadlock01(false),
                 deadlock01(true), false});
  all.push_back({"lazy01", "asserts that one thread never runs after both others", a, lazy01(), std::nullopt, false});
  all.push_back({"queue", "the consumer checks against its poll counter, not its dequeue count", a, queue(false),
                 queue(true), false});
  for (int n : {3, 5, 10, 20})
    all.push_back({fmt::format("reorder_{}", n), "the checker reads a and b between a setter's two writes", a,
                   reorder(n, false), reorder(n, true), true});
  all.push_back({"stack", "flag is never cleared: two pops in a row underflow", a, stack(false), stack(true), false});
  all.push_back({"token_ring", "nothing makes the token go 1, 2, 3", a, token_ring(false), token_ring(true), false});
  all.push_back({"twostage", "two critical sections where one was needed", a, twostage(false), twostage(true), false});
  all.push_back({"wronglock", "increments under two different locks", a, wronglock(false), wronglock(true), false});
  return all;
}

}  // namespace sctbench
