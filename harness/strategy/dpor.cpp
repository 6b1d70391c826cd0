#include "harness/strategy/dpor.hpp"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

namespace harness {

bool DporStrategy::is_join(const Access& a) { return a.access == AccessKind::kWait && a.object == kNoObject; }

std::array<ObjectId, 3> DporStrategy::touched(const Access& a) {
  return {a.object, a.also[0].object, a.also[1].object};
}

bool DporStrategy::dependent(const Access& a, const Access& b) {
  // A wait on no object is a join: enabled by another goroutine finishing,
  // so it is ordered with everything (DporAccessIndex relies on this rule).
  if (is_join(a) || is_join(b)) return true;
  // A part meets another object when it is that object or its whole.
  auto meet = [&a, &b](ObjectId x, ObjectId y) {
    if (x == kNoObject || y == kNoObject) return false;
    return x == y || x == b.whole || a.whole == y;
  };
  if (meet(a.object, b.object) && harness::dependent(a.access, b.access)) return true;
  if (a.also[0].object == kNoObject && b.also[0].object == kNoObject) return false;  // the common case
  for (const Touch& ta : a.also)
    if (meet(ta.object, b.object) && harness::dependent(ta.access, b.access)) return true;
  for (const Touch& tb : b.also) {
    if (meet(a.object, tb.object) && harness::dependent(a.access, tb.access)) return true;
    for (const Touch& ta : a.also)
      if (meet(ta.object, tb.object) && harness::dependent(ta.access, tb.access)) return true;
  }
  return false;
}

bool DporStrategy::happens_before(std::size_t i, std::size_t j) const {
  return clock_entry(j, index(events_[i].fiber)) >= events_[i].index_in_fiber;
}

bool DporStrategy::within_bound(const Node& node, FiberId fiber) const {
  if (!settings_.preemption_bound || !node.current || fiber == *node.current) return true;
  return node.preemptions + 1 <= *settings_.preemption_bound;
}

std::optional<FiberId> DporStrategy::pick(Node& node) const {
  const FiberSet candidates = node.enabled - sleeping(list(node.sleep));
  // The running fiber first (no preemption), then by ascending id.
  if (node.current && contains(candidates, *node.current)) return *node.current;
  for (const FiberId fiber : candidates)
    if (within_bound(node, fiber)) return fiber;
  return std::nullopt;
}

bool DporStrategy::begin_execution() {
  if (exhausted_) return false;
  if (started_) {
    while (!path_.empty()) {
      Node& node = path_.back();
      if (node.data) {
        if (node.taken + 1 < node.options) {
          ++node.taken;
          break;
        }
        cut_path(path_.size() - 1);
        continue;
      }
      // Backtrack points not yet explored, not asleep, within the bound.
      const FiberSet candidates = ((node.backtrack & node.enabled) - node.done) - sleeping(list(node.sleep));
      std::optional<FiberId> next;
      for (const FiberId fiber : candidates) {
        if (within_bound(node, fiber)) {
          next = fiber;
          break;
        }
      }
      if (next) {
        node.chosen = *next;
        node.done.insert(*next);
        break;
      }
      cut_path(path_.size() - 1);
    }
    if (path_.empty()) {
      exhausted_ = true;
      return false;
    }
  }
  if (executions_ >= settings_.max_executions) return false;
  started_ = true;
  ++executions_;
  depth_ = 0;
  next_sleep_.clear();
  preemptions_ = 0;
  // The replayed prefix takes the same steps as before, with the same
  // clocks and races: keep its events and analyse only from the new branch.
  replay_boundary_ = path_.empty() ? 0 : path_.size() - 1;
  while (!events_.empty() && events_.back().node >= replay_boundary_) events_.pop_back();
  clocks_.resize(events_.empty() ? 0 : events_.back().clock_at + events_.back().clock_size);
  accesses_.truncate(events_.size());
  for (std::size_t f = 0; f < fiber_limit_; ++f) last_of_fiber_[f].reset();
  fiber_limit_ = 0;
  for (std::size_t i = 0; i < events_.size(); ++i) {
    last_of_fiber_[index(events_[i].fiber)] = i;
    fiber_limit_ = std::max<std::size_t>(fiber_limit_, index(events_[i].fiber) + 1);
  }
  seen_.clear();
  pruned_ = false;
  stop_reason_.clear();
  return true;
}

Answer<FiberId> DporStrategy::choose_fiber(const SchedulingChoice& choice) {
  seen_ |= choice.runnable;
  if (depth_ < path_.size()) {
    const Node& node = path_[depth_];
    if (node.data || node.enabled != choice.runnable || node.current != choice.current) {
      stop_reason_ = fmt::format(
          "the program is not deterministic: at step {} the runnable set differs from an earlier run with the same "
          "choices",
          choice.step);
      return current_stop();
    }
    return node.chosen;
  }
  Node node;
  node.enabled = choice.runnable;
  node.current = choice.current;
  node.first_sleeper = static_cast<std::uint32_t>(sleepers_.size());
  node.sleep = keep(next_sleep_);
  node.preemptions = preemptions_;
  node.pending.at = static_cast<std::uint32_t>(sleepers_.size());
  for (const FiberId fiber : choice.runnable) sleepers_.push_back(Sleeper{fiber, Access::of(choice.pending[index(fiber)])});
  node.pending.count = static_cast<std::uint32_t>(sleepers_.size()) - node.pending.at;
  node.choice = true;
  node.waiting.at = static_cast<std::uint32_t>(sleepers_.size());
  for (const FiberId fiber : seen_ - choice.runnable) {
    // Blocked, or finished (then this is its last step again: a spurious
    // race at worst, which only adds work).
    sleepers_.push_back(Sleeper{fiber, Access::of(choice.pending[index(fiber)])});
  }
  node.waiting.count = static_cast<std::uint32_t>(sleepers_.size()) - node.waiting.at;
  const std::optional<FiberId> chosen = pick(node);
  if (!chosen) {
    sleepers_.resize(node.first_sleeper);  // the node is not kept
    pruned_ = true;  // every enabled fiber is asleep: only equivalent schedules remain
    stop_reason_ = "sleep-set blocked";
    return current_stop();
  }
  node.chosen = *chosen;
  node.backtrack = bit(*chosen);
  node.done = bit(*chosen);
  path_.push_back(std::move(node));
  return *chosen;
}

Answer<std::uint64_t> DporStrategy::choose_data(const DataChoice& choice) {
  if (depth_ == path_.size()) {
    Node node;
    node.data = true;
    node.options = choice.options;
    node.first_sleeper = static_cast<std::uint32_t>(sleepers_.size());
    path_.push_back(std::move(node));
  }
  const Node& node = path_[depth_];
  if (!node.data || node.options != choice.options) {
    stop_reason_ = fmt::format("the program is not deterministic: after {} steps it asks for a {} choice an earlier "
                               "run did not",
                               choice.after_steps, choice.label);
    return current_stop();
  }
  ++depth_;
  return node.taken;
}

std::optional<Stop> DporStrategy::observe_step(const StepView& step) {
  seen_ |= *step.runnable;
  const Access taken = Access::of(*step.operation);
  if (depth_ == path_.size()) {
    // A forced step (one runnable fiber) at a new state.
    Node node;
    node.enabled = *step.runnable;
    node.first_sleeper = static_cast<std::uint32_t>(sleepers_.size());
    node.sleep = keep(next_sleep_);
    node.preemptions = preemptions_;
    node.pending = keep(std::array<Sleeper, 1>{Sleeper{step.fiber, taken}});
    if (contains(sleeping(list(node.sleep)), step.fiber)) {
      sleepers_.resize(node.first_sleeper);  // the node is not kept
      pruned_ = true;
      stop_reason_ = "sleep-set blocked";
      return current_stop();
    }
    node.chosen = step.fiber;
    node.backtrack = node.done = bit(step.fiber);
    path_.push_back(std::move(node));
  }
  Node& node = path_[depth_];
  if (node.data || node.chosen != step.fiber) {
    stop_reason_ = fmt::format("the program is not deterministic: step {} differs from an earlier run with the same "
                               "choices",
                               step.step);
    return current_stop();
  }
  preemptions_ = node.preemptions + (node.current && step.fiber != *node.current ? 1 : 0);
  if (depth_ < replay_boundary_) {
    // A replayed step: its event is kept from the earlier run. A scheduling
    // branch keeps its own sleep set; only a data branch needs the one the
    // prefix leaves behind.
    if (path_[replay_boundary_].data) child_sleep(node, taken, next_sleep_, settings_.preemption_bound.has_value());
    ++depth_;
    return std::nullopt;
  }

  const std::size_t j = new_event(step.fiber, taken, depth_, step.spawned_at);
  detect_races(j, step.operation->blocker != nullptr);
  accesses_.add(j, step.fiber, touched(taken), taken.whole, is_join(taken));
  last_of_fiber_[index(step.fiber)] = j;
  child_sleep(node, taken, next_sleep_, settings_.preemption_bound.has_value());
  ++depth_;
  return std::nullopt;
}

std::size_t DporStrategy::new_event(FiberId fiber, const Access& access, std::size_t node, std::uint64_t spawned_at) {
  const std::optional<std::size_t> previous = last_of(fiber);
  const std::uint32_t index_in_fiber = previous ? events_[*previous].index_in_fiber + 1 : 1;
  fiber_limit_ = std::max<std::size_t>(fiber_limit_, index(fiber) + 1);
  if (last_of_fiber_.size() < fiber_limit_) last_of_fiber_.resize(fiber_limit_);
  Event& event = events_.emplace_back();
  event.fiber = fiber;
  event.access = access;
  event.node = node;
  event.index_in_fiber = index_in_fiber;
  const std::size_t j = events_.size() - 1;
  event.block_first = j > 0 && events_[j - 1].fiber == fiber ? events_[j - 1].block_first : j;
  event.clock_at = clocks_.size();
  event.clock_size = static_cast<std::uint32_t>(fiber_limit_);
  clocks_.resize(clocks_.size() + fiber_limit_, 0u);
  // The spawner's step comes before the child's first step.
  if (event.index_in_fiber == 1 && spawned_at > 0) {
    const std::size_t spawner = spawned_at - 1;
    std::uint32_t* clock = clock_of(j);
    for (std::size_t f = 0; f < fiber_limit_; ++f) clock[f] = std::max(clock[f], clock_entry(spawner, f));
  }
  return j;
}

void DporStrategy::races_of_pending_steps(bool stuck) {
  if (events_.empty()) return;
  // The run ended (a failure in its last step) before the other fibers took
  // their next steps. Look for the races those steps would have had, as if
  // each ran next, with the last step dependent on all of them (it ended
  // them). A fiber's next step is known from the latest scheduling choice if
  // it has not run since (only forced steps follow that choice); otherwise
  // it is unknown and may depend on anything.
  const std::size_t last = events_.size() - 1;
  // A failure ends the fiber that raised it; a deadlock (or a step bound)
  // leaves every fiber, the last one too, at its next step.
  const FiberSet ended = stuck ? FiberSet{} : bit(events_[last].fiber);
  std::size_t k = events_[last].node;
  while (k > 0 && !path_[k].choice) --k;
  const Node& node = path_[k];
  const Access taken = events_[last].access;
  const std::size_t limit = fiber_limit_;
  if (!stuck) {  // for now a join, dependent with every pending step: indexed as one
    events_[last].access = Access{kNoObject, AccessKind::kWait};
    accesses_.add(last, events_[last].fiber, {kNoObject, kNoObject, kNoObject}, kNoObject, true);
  }
  FiberSet known;
  if (node.choice) {
    for (const SleeperSpan span : {node.pending, node.waiting}) {
      for (const Sleeper& s : list(span)) {
        const std::optional<std::size_t> previous = last_of(s.fiber);
        if (contains(ended, s.fiber) || (previous && events_[*previous].node >= k)) continue;
        known.insert(s.fiber);
        const std::size_t j = new_event(s.fiber, s.next, events_[last].node, 0);
        detect_races(j, false);
        drop_last_event();
      }
    }
  }
  if (!stuck) accesses_.drop_newest_join();
  events_[last].access = taken;
  fiber_limit_ = limit;
  for (const FiberId fiber : (seen_ - known) - ended) {
    // Unknown next step: every step of another fiber not already ordered
    // before this fiber's last one may race with it.
    const std::optional<std::size_t> mine = last_of(fiber);
    for (std::size_t i = 0; i < events_.size(); ++i) {
      if (events_[i].fiber == fiber || (mine && i < *mine && happens_before(i, *mine))) continue;
      if (settings_.preemption_bound) {
        reverse_in_block(i, fiber);
      } else {
        Node& at = path_[events_[i].node];
        at.backtrack |= contains(at.enabled, fiber) ? bit(fiber) : at.enabled;
      }
    }
  }
}

void DporStrategy::detect_races(std::size_t j, bool may_block) {
  Event& ej = events_[j];
  const FiberId p = ej.fiber;
  // Direct predecessors: p's previous step, and for every other fiber its
  // latest step dependent with this one (earlier ones precede it anyway).
  const std::size_t fibers = fiber_limit_;
  std::vector<std::optional<std::size_t>>& latest_dependent = latest_dependent_;
  latest_dependent.assign(fibers, std::nullopt);
  if (is_join(ej.access)) {
    // A join depends on every step: the latest step of each fiber.
    FiberSet& missing = missing_;
    missing.clear();
    for (std::size_t f = 0; f < fibers; ++f)
      if (last_of_fiber_[f] && FiberId{static_cast<std::uint32_t>(f)} != p) missing.insert(FiberId{static_cast<std::uint32_t>(f)});
    for (std::size_t i = j; i-- > 0 && !missing.empty();) {
      const FiberId f = events_[i].fiber;
      if (!contains(missing, f)) continue;
      latest_dependent[index(f)] = i;
      missing.erase(f);
    }
  } else {
    // Only the events filed under what this step touches can depend on it;
    // per fiber, the newest dependent one is all that counts.
    auto consider = [&](const DporAccessIndex::List& list) {
      for (std::size_t k = list.size(); k-- > 0;) {
        const std::size_t i = list[k];
        std::optional<std::size_t>& latest = latest_dependent[index(events_[i].fiber)];
        if (latest && *latest >= i) return;  // older ones cannot beat it
        if (dependent(events_[i].access, ej.access)) {
          latest = i;
          return;
        }
      }
    };
    for (const std::size_t i : accesses_.joins()) {  // a join depends on every step
      if (events_[i].fiber == p) continue;
      std::optional<std::size_t>& latest = latest_dependent[index(events_[i].fiber)];
      if (!latest || *latest < i) latest = i;
    }
    tables_.clear();
    accesses_.tables_for(touched(ej.access), ej.access.whole, tables_);
    for (const DporAccessIndex::ByFiber* table : tables_)
      for (const DporAccessIndex::FiberList& list : *table)
        if (list.fiber != p) consider(list.events);
  }
  std::vector<std::size_t>& predecessors = predecessors_;
  predecessors.clear();
  if (const std::optional<std::size_t> prev = last_of(p)) predecessors.push_back(*prev);
  for (std::size_t f = 0; f < fibers; ++f)
    if (latest_dependent[f]) predecessors.push_back(*latest_dependent[f]);
  std::uint32_t* clock = clock_of(j);
  for (std::size_t k : predecessors)
    for (std::size_t f = 0; f < fibers; ++f) clock[f] = std::max(clock[f], clock_entry(k, f));
  clock[index(p)] = ej.index_in_fiber;

  // Lock acquisitions race with the previous acquisition of the same lock by
  // another goroutine, even though its release lies between them in
  // happens-before: reversing them means the other goroutine takes the lock
  // first (the release would otherwise hide every lock-order race).
  std::optional<std::size_t> previous_acquire;
  const auto acquires = [](AccessKind k) { return k == AccessKind::kLock || k == AccessKind::kRLock; };
  if (acquires(ej.access.access) && ej.access.object != kNoObject) {
    // The newest acquisition of this lock, by any fiber: the newest of
    // each fiber's, if it is not p's own.
    std::optional<std::size_t> newest;
    if (const DporAccessIndex::ByFiber* on_lock = accesses_.touching(ej.access.object)) {
      for (const DporAccessIndex::FiberList& list : *on_lock) {
        for (std::size_t k = list.events.size(); k-- > 0;) {
          const std::size_t i = list.events[k];
          if (newest && *newest > i) break;
          if (events_[i].access.object == ej.access.object && acquires(events_[i].access.access)) {
            newest = i;
            break;
          }
        }
      }
    }
    if (newest && events_[*newest].fiber != p) previous_acquire = newest;
  }
  std::vector<std::size_t>& racing = racing_;
  racing.clear();
  for (std::size_t f = 0; f < fibers; ++f) {
    const auto& dep = latest_dependent[f];
    if (!dep) continue;
    // A race only if i reaches j directly, not through another predecessor.
    bool through_other = false;
    for (std::size_t k : predecessors)
      if (k != *dep && happens_before(*dep, k)) through_other = true;
    if (!through_other) racing.push_back(*dep);
  }
  if (previous_acquire && std::find(racing.begin(), racing.end(), *previous_acquire) == racing.end())
    racing.push_back(*previous_acquire);

  if (settings_.preemption_bound) {
    for (const std::size_t i : racing) reverse_in_block(i, p);
    // A step that may block was pending since p's previous block ended:
    // the first step of each other fiber since then that depends on it
    // decided whether that block ended by blocking or by a preemption, and
    // whether p could run on. Moving that fiber's step before the block
    // changes what the block is, so the two blocks race.
    const std::optional<std::size_t> previous = last_of(p);
    if (may_block && previous && *previous + 1 < j) {
      FiberSet seen = bit(p);
      for (std::size_t m = *previous + 1; m < j; ++m) {
        const FiberId other = events_[m].fiber;
        if (contains(seen, other) || !dependent(events_[m].access, ej.access)) continue;
        seen.insert(other);
        reverse_in_block(*previous, other);
      }
    }
    return;
  }
  for (const std::size_t i : racing) {
    // Nothing to add where every enabled fiber is already to be tried.
    if ((path_[events_[i].node].enabled - path_[events_[i].node].backtrack).empty()) continue;
    // v = notdep(i, E).p: the steps after i that do not depend on it, then j.
    FiberSet initials;
    std::vector<std::size_t>& v = notdep_;
    v.clear();
    for (std::size_t m = i + 1; m < j; ++m)
      if (!happens_before(i, m)) v.push_back(m);
    v.push_back(j);
    for (std::size_t a = 0; a < v.size(); ++a) {
      bool first = true;
      for (std::size_t b = 0; b < a && first; ++b)
        if (happens_before(v[b], v[a])) first = false;
      if (first) initials.insert(events_[v[a]].fiber);
    }
    Node& at = path_[events_[i].node];
    if (!(initials & at.backtrack).empty()) continue;
    const FiberSet usable = initials & at.enabled;
    // No initial can start here: try everything, which is sound.
    if (usable.empty()) {
      at.backtrack |= at.enabled;
    } else {
      at.backtrack.insert(lowest(usable));
    }
  }
}

void DporStrategy::reverse_in_block(std::size_t i, FiberId fiber) {
  // At the state before i (a preemption just before it, when the bound
  // allows one there) and at the start of i's block (always affordable: the
  // choice made there was, and any other fiber costs the same).
  for (const std::size_t m : {events_[i].block_first, i}) {
    Node& at = path_[events_[m].node];
    at.backtrack |= contains(at.enabled, fiber) ? bit(fiber) : at.enabled;
  }
}

void DporStrategy::child_sleep(const Node& node, const Access& taken, Sleepers& next, bool bounded) const {
  next.clear();  // reuses the buffer: no allocation per step
  if (bounded) return;  // no sleep sets under a preemption bound (see the header)
  for (const Sleeper& s : list(node.sleep))
    if (!dependent(s.next, taken)) next.push_back(s);
  // Siblings explored before this choice sleep too, while independent.
  for (const Sleeper& s : list(node.pending))
    if (s.fiber != node.chosen && contains(node.done, s.fiber) && !dependent(s.next, taken)) next.push_back(s);
}

std::optional<Stop> DporStrategy::end_execution(const Outcome& outcome) {
  if (outcome.kind == OutcomeKind::kDivergence || outcome.kind == OutcomeKind::kPruned) return std::nullopt;
  if (depth_ < path_.size()) {
    cut_path(depth_);
    return Stop{StopKind::kDivergence,
                "the program is not deterministic: this run ended before an earlier run with the same choices"};
  }
  if (!outcome.ok())
    races_of_pending_steps(outcome.kind == OutcomeKind::kDeadlock || outcome.kind == OutcomeKind::kStepBound);
  return std::nullopt;
}

Provenance DporStrategy::provenance() const {
  return {{"strategy", "dfs"},
          {"reduction", "dpor"},
          {"preemption-bound", settings_.preemption_bound ? std::to_string(*settings_.preemption_bound) : "none"}};
}

void DporStrategy::drop_last_event() {
  clocks_.resize(events_.back().clock_at);
  events_.pop_back();
}

void DporStrategy::cut_path(std::size_t size) {
  if (size >= path_.size()) return;
  sleepers_.resize(path_[size].first_sleeper);
  path_.resize(size);
}

FiberSet DporStrategy::sleeping(std::span<const Sleeper> sleep) {
  FiberSet set;
  for (const auto& s : sleep) set.insert(s.fiber);
  return set;
}

}  // namespace harness
