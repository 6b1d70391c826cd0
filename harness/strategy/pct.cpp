#include "harness/strategy/pct.hpp"

#include <algorithm>
#include <string>

namespace harness {

PctStrategy::PctStrategy(std::uint64_t seed, std::uint64_t executions, std::uint32_t depth)
    : seed_(seed), executions_(executions), depth_(std::max<std::uint32_t>(depth, 1)) {}

bool PctStrategy::skip_next() {
  // The calibration executions run in every part, in order, so that all
  // learn the same k; a part counts only its own.
  if (calibrated_ < std::min(kCalibration, executions_)) return false;
  ++next_;
  return true;
}

bool PctStrategy::begin_execution() {
  if (calibrated_ < std::min(kCalibration, executions_)) {
    current_ = calibrated_++;
  } else {
    if (next_ >= executions_) return false;
    current_ = next_++;
  }
  rng_ = Rng(Rng::derive(seed_, current_));
  order_.clear();
  admitted_.clear();
  demoted_ = 0;
  choices_ = 0;
  change_points_.clear();
  const std::uint64_t k = std::max<std::uint64_t>(choices_estimate_, depth_);
  for (std::uint32_t i = 1; i < depth_; ++i) change_points_.push_back(rng_.below(k));
  std::sort(change_points_.begin(), change_points_.end());
  return true;
}

void PctStrategy::admit_new_fibers(const FiberSet& runnable) {
  for (const FiberId fiber : runnable - admitted_) {
    // Among the fibers that still have an initial priority (the demoted ones
    // stay below all of them).
    const std::size_t undemoted = order_.size() - demoted_;
    const std::size_t position = rng_.below(undemoted + 1);
    order_.insert(order_.begin() + static_cast<std::ptrdiff_t>(position), fiber);
    admitted_.insert(fiber);
  }
}

Answer<FiberId> PctStrategy::choose_fiber(const SchedulingChoice& choice) {
  admit_new_fibers(choice.runnable);
  auto highest = std::find_if(order_.begin(), order_.end(), [&](FiberId f) { return contains(choice.runnable, f); });
  // A change point demotes the fiber that would run now; it drops to the top
  // of the demoted tail (later change points rank above earlier ones).
  while (!change_points_.empty() && change_points_.front() == choices_) {
    change_points_.erase(change_points_.begin());
    const FiberId demoted = *highest;
    const bool already_demoted = static_cast<std::size_t>(highest - order_.begin()) >= order_.size() - demoted_;
    order_.erase(highest);
    if (already_demoted) --demoted_;
    order_.insert(order_.end() - demoted_, demoted);
    ++demoted_;
    highest = std::find_if(order_.begin(), order_.end(), [&](FiberId f) { return contains(choice.runnable, f); });
  }
  ++choices_;
  if (current_ < kCalibration) choices_estimate_ = std::max(choices_estimate_, choices_);
  return *highest;
}

Answer<std::uint64_t> PctStrategy::choose_data(const DataChoice& choice) {
  return rng_.below(choice.options);
}

Provenance PctStrategy::provenance() const {
  return {{"strategy", "pct"}, {"seed", std::to_string(seed_)}, {"depth", std::to_string(depth_)}};
}

}  // namespace harness
