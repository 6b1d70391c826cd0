// The engine's side of stateful search: per execution, which StateSource
// speaks for each object, and a digest per goroutine of what it observed
// (see harness/state/state_source.hpp for why that stands for its local
// state). Execution feeds it when ExecutionSettings::track_state is on and
// asks it for the state's digest at every choice.
//
// What a digest covers: every source's whole state (in the order the sources
// first registered), each goroutine's observation digest and whether it has
// finished, the host's (setup's data choices and spawns), the first panic
// recovered (it changes an ok outcome's message). A goroutine's digest starts
// from its spawner's at the spawn and takes in, at each of its steps, the
// step's label and access and what the step may read of the objects it names
// (StateSource::hash_observed), and each data choice's value.
//
// REQUIRES: a source outlives the execution it registered in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/ids.hpp"
#include "harness/operation.hpp"
#include "harness/state/state_digest.hpp"
#include "harness/state/state_source.hpp"

namespace harness {

class StateTracker {
 public:
  /// Who did something: a goroutine's index, or the host (setup).
  static constexpr std::uint32_t kHost = UINT32_MAX;

  void reset();
  /// An object registered (as ObjectId `object`); null `source`: its state is unknown.
  void registered(ObjectId object, const StateSource* source, std::string_view kind, std::string_view name);
  /// State kept outside objects (harness::expose_state).
  void add_source(const StateSource& source);
  /// The run keeps state no source reports (harness::state_untracked).
  void untracked(std::string what);
  void spawned(std::uint32_t child, std::uint32_t spawner);
  void finished(std::uint32_t fiber);
  /// `fiber` is about to take `operation`: what it will read is there now.
  void stepped(std::uint32_t fiber, const Operation& operation);
  void chose(std::uint32_t who, std::uint64_t value);
  /// `fiber`'s whole local state is `local` (harness::goroutine_state_is).
  void set_local(std::uint32_t fiber, const StateDigest& local);
  void recovered(std::string_view message);
  /// From now on a finished goroutine's observations are dropped: the
  /// program keeps nothing of a goroutine but what its objects hold
  /// (harness::goroutines_leave_no_state).
  void forget_finished() { forget_finished_ = true; }

  /// The state now. Meaningful only if complete().
  StateDigest digest() const;
  bool complete() const { return untracked_.empty(); }
  /// What made the state unknown ("mutex 'mu'"), or "".
  const std::string& untracked_reason() const { return untracked_; }

 private:
  StateDigest& chain(std::uint32_t who) { return who == kHost ? host_ : fibers_[who].chain; }
  void hash_object(ObjectId object, AccessKind access, StateHasher& hasher);

  struct FiberState {
    StateDigest chain;
    bool finished = false;
  };
  /// Each source once, in order of first registration, with its digest as
  /// last computed. An object source's digest is kept until a step names
  /// one of its objects with an access that may write (the contract of
  /// access kinds: a step changes nothing else); before the goroutines'
  /// first step (setup changes objects with no step) and for state kept
  /// outside objects (add_source), it is computed afresh each time.
  struct Source {
    const StateSource* source;
    bool outside_objects;
    mutable bool cached = false;
    mutable StateDigest digest;
  };
  std::vector<Source> sources_;
  static constexpr std::uint32_t kNoSource = UINT32_MAX;
  std::vector<std::uint32_t> source_of_object_;  ///< by ObjectId: index into sources_ (kNoSource: none)
  bool stepped_ = false;  ///< a goroutine has taken a step: caching may start
  /// Its index in sources_ (added if new).
  std::uint32_t add_source(const StateSource& source, bool outside_objects);
  /// The source of `object`, or kNoSource.
  std::uint32_t source_of(ObjectId object) const {
    return index(object) < source_of_object_.size() ? source_of_object_[index(object)] : kNoSource;
  }
  void invalidate(ObjectId object);
  std::vector<FiberState> fibers_;
  StateDigest host_;
  StateDigest recovered_;
  bool any_recovered_ = false;
  bool forget_finished_ = false;
  std::string untracked_;
};

}  // namespace harness
