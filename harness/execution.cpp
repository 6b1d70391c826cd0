#include "harness/execution.hpp"

#include "harness/fiber/abandoned.hpp"

#include <bit>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "harness/current.hpp"
#include "harness/panic.hpp"

namespace harness {
namespace {

// Thrown on the host when setup or an end check fails; caught in run().
struct HostFailure {};

// Every run on every thread gets a distinct generation, so an object that was
// registered in an earlier run is never mistaken for one of this run.
std::uint64_t next_generation() {
  thread_local std::uint64_t counter = 0;
  return ++counter;
}

}  // namespace

std::string JoinGate::describe_wait(FiberId) const {
  return fmt::format("join: waits for goroutine '{}' to finish", target_name);
}

Execution::Execution(StackPool& stacks) : stacks_(stacks) {}

void Execution::reset(const ExecutionSettings& settings) {
  settings_ = settings;
  fiber_count_ = 0;
  current_ = nullptr;
  steps_ = 0;
  generation_ = next_generation();
  detail::tl_current_generation = generation_;
  failed_ = false;
  draining_ = false;
  outcome_ = Outcome{};
  first_recovered_.reset();
  stop_kind_.reset();
  events_.clear();
  objects_.clear();
  end_checks_.clear();
  if (settings.detect_races) races_.reset();
  if (settings.track_state) state_.reset();
}

const Outcome& Execution::run(const Program& program, Strategy& strategy,
                              const ExecutionSettings& settings) {
  reset(settings);
  scheduler_.begin(strategy, settings.watcher);
  if constexpr (sanitizer::kAddressSanitizer) host_stack_ = sanitizer::current_stack();
  {
    detail::CurrentExecutionScope scope(this);
    try {
      program.setup();
    } catch (const HostFailure&) {
    } catch (const Panic& panic) {
      set_failure(OutcomeKind::kPanic, panic.message);
    } catch (const std::exception& error) {
      set_failure(OutcomeKind::kException, fmt::format("setup threw: {}", error.what()));
    }
    if (!failed_) {
      if (Fiber* first = pick(nullptr)) transfer(&host_context_, first);
    }
    // Back on the host: every fiber finished, or the execution failed.
    if (!failed_) {
      try {
        for (auto& check : end_checks_) check();
      } catch (const HostFailure&) {
      } catch (const Panic& panic) {
        set_failure(OutcomeKind::kPanic, panic.message);
      } catch (const std::exception& error) {
        set_failure(OutcomeKind::kException, fmt::format("end check threw: {}", error.what()));
      }
    }
    teardown();
  }
  // A race is the verdict of a run that otherwise passed (a failure is the
  // stronger one); it is reported at its second access's step.
  if (!failed_ && settings.detect_races && races_.first_race()) {
    set_failure(OutcomeKind::kRace, race_message());
    note(race_steps());  // on the last step: where the pair stands in this schedule
  }
  // Recovering hides a panic from Go's exit status, not from the report.
  if (!failed_ && first_recovered_) outcome_.message = "recovered: " + *first_recovered_;
  if (std::optional<Stop> stop = scheduler_.end(outcome_)) {
    // Seen whole, the run contradicts the strategy or is not counted here:
    // that replaces whatever outcome it had.
    failed_ = false;
    apply_stop(*stop);
  }
  return outcome_;
}

std::vector<std::string> Execution::fiber_names() const {
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < fiber_count_; ++i) names.push_back(fibers_[i]->name);
  return names;
}

FiberId Execution::spawn(std::string name, std::function<void()> body) {
  if (fiber_count_ == kMaxFibers)
    fail(OutcomeKind::kException, fmt::format("too many goroutines: at most {} per execution", kMaxFibers));
  if (fiber_count_ == fibers_.size()) {
    fibers_.push_back(std::make_unique<Fiber>());
    fibers_.back()->id = FiberId{fiber_count_};
    pending_.emplace_back();
  }
  Fiber& fiber = *fibers_[fiber_count_++];
  fiber.name = std::move(name);
  fiber.body = std::move(body);
  fiber.finished = false;
  fiber.abandoned = false;
  fiber.starting = true;
  fiber.spawner = current_;
  fiber.spawned_at = steps_;
  fiber.join_gate.target_finished = false;
  fiber.join_gate.target_name = fiber.name;
  pending_[index(fiber.id)] = Operation{};
  if (settings_.track_state) state_.spawned(index(fiber.id), current_ ? index(current_->id) : StateTracker::kHost);
  if (settings_.detect_races) races_.spawn(current_ ? std::optional<FiberId>(current_->id) : std::nullopt, fiber.id);
  if ((failed_ && !draining_) || tearing_down_) {
    fiber.finished = true;  // never started: the execution is already over
    return fiber.id;
  }
  // The stack is taken here rather than by Boost so that its bounds are known
  // before the context is made.
  boost::context::stack_context stack = stacks_.allocate();
  fiber.stack = sanitizer::StackBounds{static_cast<char*>(stack.sp) - stack.size, stack.size};
  // Making the context runs the start of Boost's entry code on the new stack
  // and comes straight back here. Under ASan that is a switch to our own stack:
  // the frames opened on the new stack meanwhile (which live as long as the
  // fiber) are then real ones, never taken from our fake stack.
  void* fake_stack = nullptr;
  sanitizer::start_switch(&fake_stack, current_ ? current_->stack : host_stack_);
  fiber.context = boost::context::fiber(
      std::allocator_arg, boost::context::preallocated(stack.sp, stack.size, stack), PooledStack(stacks_),
      [this, &fiber](boost::context::fiber&& from) {
        // This frame opened before the switch finished: it is a real one, so
        // it outlives the fiber's fake stack, which ends below.
        sanitizer::finish_switch(nullptr);  // a first entry: no fake stack to restore
        *switching_from_ = std::move(from);
        current_ = &fiber;
#if defined(INTERLEAVE_ASAN)
        try {
          run_body(fiber);
        } catch (const boost::context::detail::forced_unwind&) {
          // Unwound by teardown(): Boost's entry code switches to the host
          // when the exception reaches it.
          sanitizer::start_switch(nullptr, host_stack_);
          throw;
        }
#else
        run_body(fiber);
#endif
        boost::context::fiber next = finish(fiber);
        // This fiber never runs again: its fake stack goes (nullptr).
        sanitizer::start_switch(nullptr, current_ ? current_->stack : host_stack_);
        return next;
      });
  sanitizer::finish_switch(fake_stack);
  transfer(current_ ? &current_->context : &host_context_, &fiber);
  return fiber.id;
}

void Execution::run_body(Fiber& fiber) {
  // Nothing may switch contexts inside a handler (Boost.Context's rule), so
  // the handlers only record; finish() switches afterwards.
  try {
    fiber.body();
  } catch (const FiberAbandoned&) {
    fiber.abandoned = true;  // teardown resumed it to unwind it: it ends here
  } catch (const boost::context::detail::forced_unwind&) {
    throw;  // the fiber is being destroyed: let Boost unwind it
  } catch (const Panic& panic) {
    set_failure(OutcomeKind::kPanic, panic.message);
  } catch (const std::exception& error) {
    set_failure(OutcomeKind::kException,
                fmt::format("goroutine '{}' threw: {}", fiber.name, error.what()));
  } catch (...) {
    set_failure(OutcomeKind::kException, fmt::format("goroutine '{}' threw a non-standard exception", fiber.name));
  }
}

boost::context::fiber Execution::finish(Fiber& fiber) {
  if (tearing_down_ && fiber.abandoned) {
    // Unwound by teardown(), which resumed it: back there.
    fiber.finished = true;
    switching_from_ = &fiber.context;  // receives nothing: this context ends
    current_ = nullptr;
    return std::move(host_context_);
  }
  if (tearing_down_) {
    // Only reachable if the body swallowed the FiberAbandoned (or Boost's
    // forced_unwind) that ends an abandoned fiber: continuing would corrupt
    // the run, so stop loudly.
    std::fputs("interleave: goroutine code caught harness::FiberAbandoned (with catch (...)) and did not rethrow "
               "it; a catch (...) in code under test must rethrow\n",
               stderr);
    std::abort();
  }
  fiber.finished = true;
  fiber.join_gate.target_finished = true;
  if (settings_.track_state) state_.finished(index(fiber.id));
  Fiber* next = nullptr;
  if (failed_) start_draining();  // a goroutine that panicked: the others may end by themselves
  if (failed_ && !draining_) {
    next = nullptr;
  } else if (fiber.starting) {
    fiber.starting = false;
    next = fiber.spawner;
  } else {
    next = pick(nullptr);
  }
  switching_from_ = &fiber.context;  // receives nothing: this context ends
  current_ = next;
  return std::move(next ? next->context : host_context_);
}

void Execution::point(const Operation& operation) {
  if (tearing_down_ || current_ == nullptr) return;  // outside fibers nothing is scheduled
  Fiber& self = *current_;
  pending_[index(self.id)] = operation;
  if (self.starting) {
    self.starting = false;
    transfer(&self.context, self.spawner);
    return;
  }
  Fiber* next = pick(&self);
  if (next == nullptr) {
    // The execution is over (deadlock, step bound, divergence): abandon this fiber.
    transfer(&self.context, nullptr);
    std::abort();  // [interleave internal bug] an abandoned fiber was resumed
  }
  if (next != &self) transfer(&self.context, next);
}

Fiber* Execution::pick(Fiber* yielding) {
  FiberSet& runnable = choice_.runnable;
  runnable.clear();
  std::uint64_t first_word = 0;  // ids 0-63, built in a register: the common case
  bool unfinished = false;
  for (std::uint32_t i = 0; i < fiber_count_; ++i) {
    const Fiber& fiber = *fibers_[i];
    if (fiber.finished) continue;
    unfinished = true;
    const Blocker* blocker = pending_[i].blocker;
    if (blocker != nullptr && !blocker->enabled(fiber.id)) continue;
    if (i < 64) {
      first_word |= std::uint64_t{1} << i;
    } else {
      runnable.insert(fiber.id);
    }
  }
  runnable.set_low_word(first_word);
  if (draining_) return pick_draining(yielding, runnable);
  if (runnable.empty()) {
    if (unfinished) set_failure(OutcomeKind::kDeadlock, deadlock_report());
    return nullptr;
  }
  if (steps_ >= settings_.max_steps) {
    set_failure(OutcomeKind::kStepBound,
                fmt::format("no end after {} steps (livelock, or raise --max-steps)", settings_.max_steps));
    return nullptr;
  }
  const bool yielding_can_continue = yielding != nullptr && contains(runnable, yielding->id);
  FiberId chosen = runnable.lowest();
  if (runnable.several()) {
    SchedulingChoice& choice = choice_;  // its runnable set is filled in already
    choice.step = steps_;
    choice.current.reset();
    if (yielding_can_continue) choice.current = yielding->id;
    choice.pending = pending_.data();
    show_state(choice.state, choice.state_unknown);
    const Answer<FiberId> answer = scheduler_.choose_fiber(choice);
    if (!answer.chosen()) {
      apply_stop(answer.stop());
      return start_draining() ? pick_draining(yielding, runnable) : nullptr;
    }
    chosen = answer.value();
  }
  Fiber& next = *fibers_[index(chosen)];
  // What the step reads is there now, before it runs.
  if (settings_.track_state) state_.stepped(index(chosen), pending_[index(chosen)]);
  if (settings_.record || scheduler_.observes_steps()) {
    record_step(next, runnable);
    if (failed_) return start_draining() ? pick_draining(yielding, runnable) : nullptr;
  }
  ++steps_;
  return &next;
}

void Execution::show_tracked_state(const StateDigest*& state, std::string_view& unknown) {
  if (!state_.complete()) {
    unknown = state_.untracked_reason();
    return;
  }
  state_now_ = state_.digest();
  state = &state_now_;
}

bool Execution::start_draining() {
  if (!failed_ || tearing_down_ || draining_) return draining_;
  if (stop_kind_ && *stop_kind_ != StopKind::kRedundant && *stop_kind_ != StopKind::kOtherShard) return false;
  if (outcome_.kind == OutcomeKind::kStepBound || outcome_.kind == OutcomeKind::kDivergence ||
      outcome_.kind == OutcomeKind::kDeadlock)
    return false;
  draining_ = true;
  drain_left_ = kDrainSteps;
  return true;
}

Fiber* Execution::pick_draining(Fiber* yielding, const FiberSet& runnable) {
  if (runnable.empty() || drain_left_ == 0) return nullptr;
  --drain_left_;
  if (yielding != nullptr && contains(runnable, yielding->id)) return yielding;
  return fibers_[index(runnable.lowest())].get();
}

void Execution::record_step(Fiber& chosen, const FiberSet& runnable) {
  const Operation& operation = pending_[index(chosen.id)];
  const StepView view{steps_, chosen.id, &operation, &runnable, chosen.spawned_at};
  if (std::optional<Stop> stop = scheduler_.observe_step(view)) {
    apply_stop(*stop);
    return;
  }
  if (settings_.record) {
    events_.push_back(Event{steps_, chosen.id, std::string(operation.label), operation.object, operation.access,
                            runnable, {}});
  }
}

void Execution::race_access(ObjectId object, bool write, std::string_view what) {
  races_.access(current_->id, object, write, what, steps_);
}

std::string Execution::race_steps() const {
  const DataRace& race = *races_.first_race();
  // Each access belongs to its goroutine's next step.
  auto step_of = [&](FiberId fiber, std::uint64_t at) -> std::string {
    for (const Event& e : events_)
      if (e.fiber == fiber && e.step >= at) return std::to_string(e.step);
    return "?";
  };
  return fmt::format("data race between step {} ('{}', {}) and step {} ('{}', {})",
                     step_of(race.first_fiber, race.first_at), fiber_name(race.first_fiber), race.first_what,
                     step_of(race.second_fiber, race.second_at), fiber_name(race.second_fiber), race.second_what);
}

std::string Execution::race_message() const {
  const DataRace& race = *races_.first_race();
  const std::string object = index(race.object) < objects_.size()
                                 ? fmt::format("{} '{}'", objects_[index(race.object)].kind, objects_[index(race.object)].name)
                                 : std::string("an object");
  // The pair in a fixed order, whichever came first in this schedule: one
  // class per pair of accesses.
  std::string one = fmt::format("{} by '{}' ({})", race.first_write ? "write" : "read", fiber_name(race.first_fiber),
                                race.first_what);
  std::string two = fmt::format("{} by '{}' ({})", race.second_write ? "write" : "read",
                                fiber_name(race.second_fiber), race.second_what);
  if (two < one) std::swap(one, two);
  return fmt::format("{} and {}, unordered, on {}", one, two, object);
}

std::uint64_t Execution::choose(std::uint64_t options, std::string_view label) {
  if (options <= 1 || failed_ || tearing_down_) return 0;
  DataChoice choice{steps_, options, label, nullptr, {}};
  show_state(choice.state, choice.state_unknown);
  const Answer<std::uint64_t> answer = scheduler_.choose_value(choice);
  if (!answer.chosen()) {
    apply_stop(answer.stop());
    fail(outcome_.kind, outcome_.message);  // leaves the fiber; the outcome is already set
  }
  if (settings_.track_state) state_.chose(current_ ? index(current_->id) : StateTracker::kHost, answer.value());
  return answer.value();
}

void Execution::set_failure(OutcomeKind kind, std::string message) {
  if (failed_) return;  // the first failure ends the execution; later ones are its echoes
  failed_ = true;
  outcome_ = Outcome{kind, std::move(message)};
  // Say where everybody else was when a goroutine failed: the other half of
  // the conflicting pair is usually parked at its pending step.
  if (settings_.record && current_ != nullptr) {
    for (std::uint32_t i = 0; i < fiber_count_; ++i) {
      const Fiber& other = *fibers_[i];
      if (other.finished || &other == current_ || other.starting) continue;
      note(fmt::format("goroutine {} '{}' is at {}", i, other.name, pending_[i].label));
    }
  }
}

void Execution::apply_stop(const Stop& stop) {
  if (failed_) return;
  set_failure(stop.kind == StopKind::kDivergence ? OutcomeKind::kDivergence : OutcomeKind::kPruned, stop.reason);
  stop_kind_ = stop.kind;
}

void Execution::stop(const Stop& stop) {
  apply_stop(stop);
  fail(outcome_.kind, outcome_.message);  // leaves the fiber; the outcome is already set
}

void Execution::fail(OutcomeKind kind, std::string message) {
  set_failure(kind, std::move(message));
  if (current_ != nullptr && !tearing_down_) {
    // This goroutine cannot go on (it is unwound at the end); the others
    // may end by themselves.
    Fiber* next = nullptr;
    if (start_draining()) {
      current_->finished = true;  // never scheduled again; its stack is still unwound (teardown)
      next = pick(nullptr);
    }
    transfer(&current_->context, next);
    std::abort();  // [interleave internal bug] an abandoned fiber was resumed
  }
  throw HostFailure{};
}

void Execution::report_failure(OutcomeKind kind, std::string message) {
  if (current_ != nullptr && !tearing_down_) fail(kind, std::move(message));
  set_failure(kind, std::move(message));
}

void Execution::transfer(boost::context::fiber* save_into, Fiber* target) {
  Fiber* self = current_;
  switching_from_ = save_into;
  current_ = target;
  boost::context::fiber& target_context = target ? target->context : host_context_;
  void* fake_stack = nullptr;
  sanitizer::start_switch(&fake_stack, target ? target->stack : host_stack_);
#if defined(INTERLEAVE_ASAN)
  boost::context::fiber from;
  try {
    from = std::move(target_context).resume();
  } catch (const boost::context::detail::forced_unwind&) {
    // teardown() destroys this suspended fiber: it is resumed only to unwind.
    sanitizer::finish_switch(fake_stack);
    throw;
  }
#else
  boost::context::fiber from = std::move(target_context).resume();
#endif
  sanitizer::finish_switch(fake_stack);
  // Resumed: whoever switched to us told us where our switcher's context goes.
  *switching_from_ = std::move(from);
  current_ = self;
  // A fiber resumed by teardown() is only to be unwound.
  if (tearing_down_ && self != nullptr) throw FiberAbandoned{};
}

ObjectId Execution::register_object(std::string_view kind, std::string name, const StateSource* source) {
  objects_.push_back(ObjectInfo{std::string(kind), std::move(name)});
  const ObjectId id{static_cast<std::uint32_t>(objects_.size() - 1)};
  if (settings_.track_state) state_.registered(id, source, objects_.back().kind, objects_.back().name);
  return id;
}

void Execution::at_end(std::function<void()> check) { end_checks_.push_back(std::move(check)); }

void Execution::recovered(std::string message) {
  if (settings_.track_state) state_.recovered(message);
  if (!first_recovered_) first_recovered_ = std::move(message);
}

void Execution::note(std::string detail) {
  if (!settings_.record || events_.empty() || draining_) return;
  Event& last = events_.back();
  if (!last.detail.empty()) last.detail += "; ";
  last.detail += detail;
}

std::string Execution::deadlock_report() const {
  std::string report = "all goroutines are asleep - deadlock!";
  for (std::uint32_t i = 0; i < fiber_count_; ++i) {
    const Fiber& fiber = *fibers_[i];
    if (fiber.finished) continue;
    const Operation& operation = pending_[i];
    report += fmt::format("; goroutine {} '{}' blocked at {}", i, fiber.name, operation.label);
    if (operation.blocker != nullptr) report += ": " + operation.blocker->describe_wait(fiber.id);
  }
  return report;
}

void Execution::teardown() {
  // Each suspended fiber is resumed once: its point throws FiberAbandoned
  // (harness/fiber/abandoned.hpp), which runs the destructors of its frames
  // up to run_body(); it then ends and switches back here. Points are no-ops
  // meanwhile.
  tearing_down_ = true;
  for (std::uint32_t i = 0; i < fiber_count_; ++i) {
    Fiber& fiber = *fibers_[i];
    if (fiber.context) transfer(&host_context_, &fiber);
    fiber.body = nullptr;
  }
  current_ = nullptr;
  tearing_down_ = false;
}

}  // namespace harness
