#include "harness/shrink/schedule_shrinker.hpp"

#include <fmt/format.h>

namespace harness::shrink {
namespace {

/// "bound 0", "bounds 0..2": the bounds below `bound`.
std::string searched_below(std::uint32_t bound) {
  return bound == 1 ? std::string("bound 0") : fmt::format("bounds 0..{}", bound - 1);
}

std::vector<std::uint64_t> data_of(const std::vector<harness::Decision>& decisions) {
  std::vector<std::uint64_t> data;
  for (const auto& d : decisions)
    if (d.kind == harness::Decision::Kind::kData) data.push_back(d.value);
  return data;
}

/// Follows a plan (see Segment) for one execution. Where the plan cannot be
/// followed (its goroutine is not runnable) that segment is dropped; after
/// the plan the running goroutine runs on. Data choices are taken in the
/// recorded order.
class GuidedStrategy final : public harness::Strategy {
 public:
  GuidedStrategy(std::vector<Segment> plan, std::vector<std::uint64_t> data)
      : plan_(std::move(plan)), data_(std::move(data)) {}

  bool begin_execution() override {
    if (started_) return false;
    started_ = true;
    return true;
  }
  harness::Answer<harness::FiberId> choose_fiber(const harness::SchedulingChoice& choice) override {
    while (next_ < plan_.size() && (own(plan_[next_].fiber) >= plan_[next_].until ||
                                    !harness::contains(choice.runnable, harness::FiberId{plan_[next_].fiber})))
      ++next_;
    harness::FiberId chosen = harness::lowest(choice.runnable);
    if (next_ < plan_.size())
      chosen = harness::FiberId{plan_[next_].fiber};
    else if (choice.current)
      chosen = *choice.current;
    if (choice.current && chosen != *choice.current) ++preemptions_;
    return chosen;
  }
  harness::Answer<std::uint64_t> choose_data(const harness::DataChoice& choice) override {
    const std::uint64_t value = next_data_ < data_.size() ? data_[next_data_] : 0;
    ++next_data_;
    return value < choice.options ? value : std::uint64_t{0};
  }
  std::optional<harness::Stop> end_execution(const harness::Outcome&) override { return std::nullopt; }
  harness::Position position() const override { return {}; }
  harness::Provenance provenance() const override { return {}; }
  harness::StepObserver* step_observer() override { return &counter_; }

  std::uint64_t preemptions() const { return preemptions_; }
  std::uint64_t own(std::uint32_t fiber) const { return fiber < own_.size() ? own_[fiber] : 0; }
  std::vector<std::uint32_t>& fibers() { return fibers_; }

 private:
  std::vector<Segment> plan_;
  std::vector<std::uint64_t> data_;
  std::vector<std::uint64_t> own_;
  std::vector<std::uint32_t> fibers_;
  std::size_t next_ = 0;
  std::size_t next_data_ = 0;
  std::uint64_t preemptions_ = 0;
  bool started_ = false;
  /// Counts each goroutine's own steps, which the plan is written in.
  struct StepCounter final : harness::StepObserver {
    explicit StepCounter(GuidedStrategy& owner) : owner_(owner) {}
    std::optional<harness::Stop> observe_step(const harness::StepView& step) override {
      const std::uint32_t f = harness::index(step.fiber);
      if (f >= owner_.own_.size()) owner_.own_.resize(f + 1, 0);
      ++owner_.own_[f];
      owner_.fibers_.push_back(harness::index(step.fiber));
      return std::nullopt;
    }
    GuidedStrategy& owner_;
  } counter_{*this};
};


}  // namespace

std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return fmt::format("{} {}", grouped(n), n == 1 ? one : many);
}

ScheduleSize schedule_size(const harness::Trace& trace) {
  ScheduleSize size;
  size.steps = trace.events.size();
  size.preemptions = harness::count_preemptions(trace);
  return size;
}

ShrinkPhase phase_named(std::string name) {
  ShrinkPhase phase;
  phase.name = std::move(name);
  return phase;
}

Schedule schedule_of(const harness::Trace& trace) {
  Schedule s;
  s.decisions = trace.decisions;
  for (const auto& e : trace.events) s.fibers.push_back(harness::index(e.fiber));
  s.size = schedule_size(trace);
  return s;
}

std::vector<Segment> plan_of(const std::vector<std::uint32_t>& fibers) {
  std::vector<Segment> plan;
  std::vector<std::uint64_t> own;
  for (const std::uint32_t f : fibers) {
    if (f >= own.size()) own.resize(f + 1, 0);
    ++own[f];
    if (plan.empty() || plan.back().fiber != f) plan.push_back(Segment{f, 0});
    plan.back().until = own[f];
  }
  return plan;
}

std::optional<std::pair<harness::Outcome, Schedule>> Engine::guided(const harness::Program& program,
                                                            const Schedule& reference,
                                                            std::vector<Segment> plan, std::uint64_t max_steps) {
  if (spent()) return std::nullopt;
  ++used_;
  GuidedStrategy strategy(std::move(plan), data_of(reference.decisions));
  strategy.begin_execution();
  const harness::Outcome outcome = [&] {
    const harness::InterruptionScope interruptible(limits_.stop);
    return execution_.run(program, strategy, harness::ExecutionSettings{max_steps, false, nullptr, limits_.detect_races});
  }();
  Schedule s;
  s.decisions = execution_.decisions();
  s.fibers = std::move(strategy.fibers());
  s.size = ScheduleSize{strategy.preemptions(), execution_.steps()};
  return std::make_pair(outcome, std::move(s));
}

harness::Trace Engine::record(const harness::Program& program, const std::vector<harness::Decision>& decisions,
                      harness::Provenance provenance, std::uint64_t max_steps) {
  if (limits_.detect_races) provenance.emplace_back("races", "on");  // recorded as it was searched
  return harness::record_trace(program, stacks_, decisions, std::move(provenance), max_steps);
}

std::optional<Schedule> Shrinker::confirm(const harness::Program& program, const std::vector<harness::Decision>& decisions) {
  const harness::Trace trace = engine.record(program, decisions, {}, max_steps);
  if (trace.outcome != target) return std::nullopt;
  return schedule_of(trace);
}

Schedule Shrinker::preemptions(const harness::Program& program, Schedule best, ShrinkPhase& phase, AloneFailure* alone) {
  PhaseTimer timer(phase, engine);
  proven = false;
  if (best.size.preemptions == 0) {
    proven = true;
    phase.note = "the schedule has no preemptions";
    if (alone) *alone = AloneFailure::kYes;
    return best;
  }
  phase.ran = true;
  const std::uint64_t from = best.size.preemptions;
  // One at a time, a single execution each: at a switch from segment j
  // to j + 1, either j's goroutine runs on through its next segment, or
  // j + 1's goroutine leaves its work to its own next segment.
  for (bool improved = true; improved && best.size.preemptions > 0 && !engine.spent();) {
    improved = false;
    const std::vector<Segment> plan = plan_of(best.fibers);
    const auto next_of = [&](std::size_t j) {
      std::size_t later = j + 1;
      while (later < plan.size() && plan[later].fiber != plan[j].fiber) ++later;
      return later;
    };
    for (std::size_t j = plan.size() - 1; j-- > 0 && !improved && !engine.spent();) {
      std::vector<std::vector<Segment>> candidates;
      if (const std::size_t later = next_of(j); later < plan.size()) {
        std::vector<Segment> c = plan;
        c[j].until = plan[later].until;
        c.erase(c.begin() + static_cast<std::ptrdiff_t>(later));
        candidates.push_back(std::move(c));
      }
      if (next_of(j + 1) < plan.size()) {
        std::vector<Segment> c = plan;
        c.erase(c.begin() + static_cast<std::ptrdiff_t>(j + 1));
        candidates.push_back(std::move(c));
      }
      for (auto& candidate : candidates) {
        auto run = engine.guided(program, best, std::move(candidate), max_steps);
        if (!run || run->first != target || run->second.size.preemptions >= best.size.preemptions) continue;
        auto found = confirm(program, run->second.decisions);
        if (found && found->size.preemptions < best.size.preemptions) {
          best = std::move(*found);
          improved = true;
          break;
        }
      }
    }
  }
  std::string greedy;
  if (best.size.preemptions < from)
    greedy = fmt::format("{} taken out one at a time; ", plural(from - best.size.preemptions, "preemption",
                                                                   "preemptions"));
  if (best.size.preemptions == 0) {
    proven = true;
    phase.note = greedy + "no preemption is needed";
    if (alone) *alone = AloneFailure::kYes;
    return best;
  }
  // Then iterative bounding below the best count so far.
  AloneFailure at_zero = AloneFailure::kUnknown;
  for (std::uint32_t bound = 0; bound < best.size.preemptions; ++bound) {
    if (engine.spent()) {
      phase.note = fmt::format("{}the total budget ({} executions) is spent before bound {}: {} not shown to be "
                               "the fewest",
                               greedy, grouped(engine.limits().total), bound,
                               plural(best.size.preemptions, "preemption is", "preemptions are"));
      exhaustive = false;
      if (alone) *alone = at_zero;
      return best;
    }
    phase.highest_bound = bound;
    std::optional<std::vector<harness::Decision>> hit;
    bool kind_seen = false;
    std::uint64_t steps = max_steps;
    const SearchStats stats = engine.dfs(program, bound, steps, [&](const harness::Outcome& outcome) {
      if (outcome.kind == target.kind) kind_seen = true;
      if (outcome == target) {
        hit = engine.decisions();
        return false;
      }
      return true;
    });
    if (bound == 0)
      at_zero = kind_seen ? AloneFailure::kYes : stats.exhausted ? AloneFailure::kNo : AloneFailure::kUnknown;
    if (hit) {
      auto found = confirm(program, *hit);
      if (!found) {
        phase.note = fmt::format("{}a schedule found at bound {} ended otherwise when run again (the program is "
                                 "not deterministic): stopped",
                                 greedy, bound);
        exhaustive = false;
        if (alone) *alone = AloneFailure::kUnknown;
        return best;
      }
      proven = true;
      best = std::move(*found);
      phase.note = greedy + (bound == 0 ? std::string("no preemption is needed")
                                        : fmt::format("{} the fewest: {} searched to the end",
                                                      plural(bound, "preemption is", "preemptions are"),
                                                      searched_below(bound)));
      if (alone) *alone = at_zero;
      return best;
    }
    if (!stats.exhausted) {
      phase.note = fmt::format(
          "{}stopped at bound {}: {} (searched {} executions); {} not shown to be the fewest", greedy, bound,
          stats.capped ? fmt::format("the total budget ({} executions) is spent", grouped(engine.limits().total))
                       : fmt::format("its space exceeds the budget of {} executions",
                                     grouped(engine.limits().per_search)),
          grouped(stats.executions), plural(best.size.preemptions, "preemption is", "preemptions are"));
      exhaustive = false;
      if (alone) *alone = at_zero;
      return best;
    }
  }
  proven = true;
  phase.note = fmt::format("{}{} the fewest: {} searched to the end", greedy,
                           plural(best.size.preemptions, "preemption is", "preemptions are"),
                           searched_below(static_cast<std::uint32_t>(best.size.preemptions)));
  if (alone) *alone = at_zero;
  return best;
}

Schedule Shrinker::steps(const harness::Program& program, Schedule best, ShrinkPhase& phase) {
  PhaseTimer timer(phase, engine);
  const std::uint64_t p = best.size.preemptions;
  // The engine's step bound ends a run after exactly max-steps steps; the
  // scenario interpreter's own bound (its operations) can end it sooner,
  // so only the former makes every schedule equally long.
  if (target.kind == harness::OutcomeKind::kStepBound && target.message.find(" steps (") != std::string::npos) {
    phase.note = "already minimal: a step-bound outcome takes max-steps steps in every schedule";
    return best;
  }
  if (proven && best.size.steps <= p + 1) {
    // p switches between consecutive steps need p + 1 steps, and no
    // schedule with fewer preemptions reaches the outcome.
    phase.note = fmt::format("already minimal: a schedule with {} has at least {}",
                             plural(p, "preemption", "preemptions"), plural(p + 1, "step", "steps"));
    return best;
  }
  if (engine.spent()) {
    phase.note = fmt::format("skipped: the total budget ({} executions) is spent", grouped(engine.limits().total));
    exhaustive = false;
    return best;
  }
  phase.ran = true;
  std::optional<std::vector<harness::Decision>> shortest;
  std::uint64_t cut = best.size.steps - 1;  // executions longer than the best so far stop there
  const SearchStats stats = engine.dfs(program, static_cast<std::uint32_t>(p), cut, [&](const harness::Outcome& o) {
    if (o == target && engine.steps() <= cut) {
      shortest = engine.decisions();
      cut = engine.steps() - 1;
      if (cut == 0) return false;
    }
    return true;
  });
  const std::uint64_t from = best.size.steps;
  if (shortest) {
    auto found = confirm(program, *shortest);
    if (!found) {
      exhaustive = false;
      phase.note = "a shorter schedule ended otherwise when run again (the program is not deterministic): stopped";
      return best;
    }
    best = std::move(*found);
  }
  if (stats.exhausted || (stats.stopped && cut == 0)) {
    phase.note = fmt::format("{} the fewest with {}{}: searched to the end",
                             plural(best.size.steps, "step is", "steps are"), proven ? "" : "at most ",
                             plural(p, "preemption", "preemptions"));
  } else {
    exhaustive = false;
    phase.note = fmt::format(
        "{}stopped: {} (searched {} executions); a shorter schedule may exist",
        best.size.steps < from ? fmt::format("{} -> {} steps; ", from, best.size.steps) : std::string(),
        stats.capped ? fmt::format("the total budget ({} executions) is spent", grouped(engine.limits().total))
                     : fmt::format("the space of shorter schedules exceeds the budget of {} executions",
                                   grouped(engine.limits().per_search)),
        grouped(stats.executions));
  }
  return best;
}

harness::Trace shrink_schedule(const harness::Program& program, const harness::Trace& trace, ShrinkLimits limits,
                               std::uint64_t max_steps, harness::Provenance provenance,
                               std::vector<ShrinkPhase>* phases) {
  limits.detect_races = limits.detect_races || harness::provenance_value(trace, "races") == "on";
  Shrinker s{Engine(limits), trace.outcome, max_steps};
  std::vector<ShrinkPhase> own = {phase_named("preemptions"), phase_named("steps")};
  const ScheduleSize before = schedule_size(trace);
  Schedule best = s.preemptions(program, schedule_of(trace), own[0], nullptr);
  best = s.steps(program, std::move(best), own[1]);
  if (phases != nullptr) *phases = std::move(own);
  if (s.engine.stopped() || (best.size.preemptions == before.preemptions && best.size.steps >= before.steps))
    return trace;
  if (limits.detect_races) provenance.emplace_back("races", "on");
  harness::StackPool stacks;
  harness::Trace shrunk = harness::record_trace(program, stacks, best.decisions, std::move(provenance), max_steps);
  return shrunk.outcome == trace.outcome ? shrunk : trace;  // not deterministic: keep the original
}

}  // namespace harness::shrink
