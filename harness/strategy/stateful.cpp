#include "harness/strategy/stateful.hpp"

namespace harness {

bool StatefulStrategy::begin_execution() {
  last_answers_.swap(answers_);
  answers_.clear();
  on_path_.clear();
  replaying_ = true;
  return inner().begin_execution();
}

std::optional<Stop> StatefulStrategy::arrive(const StateDigest* state, std::string_view unknown, std::uint64_t steps) {
  if (state == nullptr) {
    if (unknown_++ == 0) untracked_reason_ = unknown.empty() ? "the engine keeps no state digest (track_state off)" : std::string(unknown);
    return std::nullopt;
  }
  // Still on the last run's path, this is the state that run met here; a
  // state already on this run's own path is a cycle: go round as dfs would,
  // into the step bound. Otherwise a state seen before with no more steps
  // taken is explored already.
  const bool on_last_path = replaying_ && answers_.size() < last_answers_.size();
  if (!on_last_path && !on_path_.contains(*state)) {
    auto [at, inserted] = visited_.try_emplace(*state, steps);
    if (!inserted && at->second <= steps) return Stop{StopKind::kRedundant, "state explored before"};
    at->second = steps;  // new, or reached sooner now: explore it, with more steps left
  }
  on_path_.insert(*state);
  return std::nullopt;
}

void StatefulStrategy::leave(std::uint64_t answer) {
  if (replaying_ && (answers_.size() >= last_answers_.size() || last_answers_[answers_.size()] != answer))
    replaying_ = false;
  answers_.push_back(answer);
}

Answer<FiberId> StatefulStrategy::choose_fiber(const SchedulingChoice& choice) {
  if (std::optional<Stop> stop = arrive(choice.state, choice.state_unknown, choice.step)) return *stop;
  Answer<FiberId> answer = inner().choose_fiber(choice);
  if (answer.chosen()) leave(index(answer.value()));
  return answer;
}

Answer<std::uint64_t> StatefulStrategy::choose_data(const DataChoice& choice) {
  if (std::optional<Stop> stop = arrive(choice.state, choice.state_unknown, choice.after_steps)) return *stop;
  Answer<std::uint64_t> answer = inner().choose_data(choice);
  if (answer.chosen()) leave(answer.value());
  return answer;
}

Provenance StatefulStrategy::provenance() const {
  Provenance provenance = dfs_.provenance();
  provenance.emplace_back("stateful", "on");
  return provenance;
}

}  // namespace harness
