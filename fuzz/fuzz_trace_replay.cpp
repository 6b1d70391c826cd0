// fuzz_trace_replay: trace text -> replay against the scenario it names.
//
// Design: every scenario of scenarios/ is loaded once. A trace names its
// scenario as the CLI records it (`provenance scenario
// "scenarios/NAME.toml"`), or failing that by its program name (the file
// stem); a trace naming neither is refused, as `interleave replay` refuses
// it. The scenario's content hash is deliberately not compared: that check
// guards against edited files, and here nearly every input is an edited
// trace, which replay itself must handle. `max-steps` is read as the CLI
// reads it, capped at 20,000 so one input stays fast.
//
// Properties: a replay of any trace ends in a defined outcome (divergence
// included: a trace that does not fit its program must be caught at the
// step where it stops fitting) and never in an engine fault other than
// that divergence (fuzz::engine_fault); and a replay that did not diverge
// wrote a trace that itself replays byte for byte.
#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "fuzz/support.hpp"
#include "harness/trace/trace.hpp"
#include "tools/interleave/run_scenario.hpp"
#include "tools/scenario/program.hpp"
#include "tools/scenario/scenario.hpp"

namespace {

struct Loaded {
  interleave::Scenario scenario;
  harness::Program program;
};

/// By the path a trace records ("scenarios/02_two_writers.toml"). Map nodes
/// never move, so each program may point at its scenario.
std::map<std::string, Loaded>& library() {
  static std::map<std::string, Loaded> scenarios;
  return scenarios;
}

const Loaded* scenario_of(const harness::Trace& trace) {
  const auto& scenarios = library();
  if (auto it = scenarios.find(harness::provenance_value(trace, "scenario")); it != scenarios.end()) return &it->second;
  for (const auto& [path, loaded] : scenarios)
    if (loaded.scenario.name == trace.program) return &loaded;
  return nullptr;
}

constexpr std::uint64_t kStepCap = 20000;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  namespace fs = std::filesystem;
  for (const auto& entry : fs::directory_iterator(fuzz::source_path("scenarios"))) {
    if (entry.path().extension() != ".toml") continue;
    const std::string recorded = "scenarios/" + entry.path().filename().string();
    auto [it, inserted] = library().try_emplace(recorded);
    it->second.scenario = interleave::load_scenario(entry.path().string());
    it->second.program = interleave::make_program(it->second.scenario, interleave::kDefaultMaxSteps);
  }
  fuzz::require(library().size() >= 14, "the scenario library is found",
                [] { return "no scenarios under " + fuzz::source_path("scenarios"); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  harness::Trace trace;
  try {
    trace = harness::parse_trace(text, "fuzz.trace");
  } catch (const harness::TraceError&) {
    return 0;
  }
  const Loaded* loaded = scenario_of(trace);
  if (loaded == nullptr) return 0;  // names no scenario of the library: refused
  std::uint64_t max_steps = interleave::kDefaultMaxSteps;
  if (const std::string recorded = harness::provenance_value(trace, "max-steps"); !recorded.empty()) {
    const auto [end, error] = std::from_chars(recorded.data(), recorded.data() + recorded.size(), max_steps);
    if (error != std::errc{} || end != recorded.data() + recorded.size() || max_steps == 0) return 0;  // refused
  }
  max_steps = std::min(max_steps, kStepCap);

  harness::StackPool& stacks = fuzz::stacks();
  const harness::ReplayResult result = harness::replay_trace(loaded->program, stacks, trace, max_steps);
  const harness::Outcome& outcome = result.trace.outcome;
  const bool diverged = outcome.kind == harness::OutcomeKind::kDivergence;
  const bool fault = diverged ? outcome.message.find("[interleave internal bug]") != std::string::npos
                              : fuzz::engine_fault(outcome);
  fuzz::require(!fault, "a replay ends in a program outcome or a divergence",
                [&] { return fmt::format("replay: {}\ntrace:\n{}", harness::describe(outcome), text); });
  if (diverged) return 0;
  const harness::ReplayResult again = harness::replay_trace(loaded->program, stacks, result.trace, max_steps);
  fuzz::require(again.identical, "a trace written by a replay replays byte for byte", [&] {
    return fmt::format("first replay:\n{}\nsecond replay:\n{}", harness::write_trace(result.trace),
                       harness::write_trace(again.trace));
  });
  return 0;
}
