// Data races as Go's -race sees them: two accesses to one object, at least
// one a write, from different goroutines, neither happening before the
// other. Happens-before is tracked with vector clocks (one per goroutine,
// one per synchronising object), over the edges the engine and its shims
// announce: a goroutine's start follows the `go` that spawned it (or the
// setup), a join follows the joined goroutine's end, and what a goroutine
// released on a sync object (an unlock, a Done, an atomic store, a send)
// happens before what another does after acquiring it there (a lock, a
// Wait's return, an atomic load, a receive).
//
// Accesses are logical, not preemption points: code under test announces
// them at the granularity it wants races reported at (the Go map model: one
// read or write of the whole map per map call, as Go's instrumentation
// does). Unlike -race, the verdict does not depend on timing: a race is
// reported in every schedule in which the accesses are unordered by
// synchronisation, which on one schedule is all of them.
//
// One detector per execution; deterministic (no addresses, no hashing of
// pointers). Only the first race of an execution is kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "harness/ids.hpp"

namespace harness {

struct DataRace {
  ObjectId object = kNoObject;
  FiberId first_fiber{};  ///< the earlier access
  bool first_write = false;
  std::string_view first_what;
  FiberId second_fiber{};  ///< the access that completed the race
  bool second_write = false;
  std::string_view second_what;
  /// The execution's step count at each access: the access belongs to its
  /// goroutine's next step (a map call announces itself before its first
  /// preemption point).
  std::uint64_t first_at = 0;
  std::uint64_t second_at = 0;
};

class RaceDetector {
 public:
  void reset();
  /// `child` starts: after what `parent` did so far (nullopt: the setup).
  void spawn(std::optional<FiberId> parent, FiberId child);
  /// `joiner` goes on after `joined` ended.
  void join(FiberId joiner, FiberId joined);
  /// `part`: a sync object may keep two clocks (an RWMutex: its writers'
  /// and its readers').
  void acquire(FiberId fiber, ObjectId sync, unsigned part = 0);
  void release(FiberId fiber, ObjectId sync, unsigned part = 0);
  /// REQUIRES: `what` outlives the execution (a string literal). Returns
  /// the race this access completes, the first time one does.
  std::optional<DataRace> access(FiberId fiber, ObjectId object, bool write, std::string_view what,
                                 std::uint64_t at_step = 0);
  const std::optional<DataRace>& first_race() const { return first_; }

 private:
  using Clock = std::vector<std::uint32_t>;
  struct Access {
    FiberId fiber{};
    std::uint32_t epoch = 0;
    std::string_view what;
    std::uint64_t at_step = 0;
  };
  struct Shadow {
    std::optional<Access> write;  ///< the last write
    std::vector<Access> reads;    ///< the last read of each goroutine since it
  };
  Clock& clock(FiberId fiber);
  static void join_into(Clock& into, const Clock& from);
  bool ordered(const Access& earlier, FiberId now);

  std::vector<Clock> fibers_;
  Clock host_;
  std::vector<Clock> syncs_;     ///< by object index * 2 + part
  std::vector<Shadow> shadows_;  ///< by object index
  std::optional<DataRace> first_;
};

}  // namespace harness
