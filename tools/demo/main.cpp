// interleave-demo: explores the lost-update example (two goroutines doing
// load; store(load + 1) on a shared counter), prints every outcome class it
// reached, saves the first failing trace, and replays saved traces.
//
// Exit codes: 0 the exploration found what the program's story predicts (a
// lost update for load/store, none for --fetch-add) or a replay reproduced
// its trace; 1 it did not; 2 bad input; 3 a --check replay wrote different bytes.
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "examples/programs.hpp"
#include "harness/explore.hpp"
#include "harness/log.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/pct.hpp"
#include "harness/strategy/random_walk.hpp"
#include "harness/trace/trace.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitExpectationFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitReplayMismatch = 3;

struct Options {
  std::string strategy = "dfs";
  std::uint64_t seed = 1;
  std::uint64_t executions = 1000;
  std::optional<std::uint32_t> preemption_bound;
  std::uint32_t depth = 3;
  std::uint64_t max_steps = 10000;
  std::uint32_t rounds = 2;
  bool fetch_add = false;
  std::string save_trace;
  std::string replay;
  bool check = false;
  std::string log_level = "off";
};

std::unique_ptr<harness::Strategy> make_strategy(const Options& options) {
  if (options.strategy == "dfs")
    return std::make_unique<harness::DfsStrategy>(harness::DfsSettings{options.preemption_bound, UINT64_MAX});
  if (options.strategy == "random") return std::make_unique<harness::RandomWalkStrategy>(options.seed, options.executions);
  return std::make_unique<harness::PctStrategy>(options.seed, options.executions, options.depth);
}

void print_timeline(const harness::Trace& trace) {
  std::cout << fmt::format("  {:>4}  {:<10} {:<20} {:<10} {}\n", "step", "goroutine", "operation", "object", "detail");
  for (const harness::Event& event : trace.events) {
    const std::string object =
        event.object == harness::kNoObject ? "-" : trace.objects.at(harness::index(event.object)).name;
    std::cout << fmt::format("  {:>4}  {:<10} {:<20} {:<10} {}\n", event.step, trace.fibers.at(harness::index(event.fiber)),
                             event.label, object, event.detail);
  }
  std::cout << fmt::format("  outcome: {}\n", harness::describe(trace.outcome));
}

/// The demo's programs are named "lost-update-N" and "fetch-add-N".
std::optional<harness::Program> program_named(const std::string& name) {
  for (const bool fetch_add : {false, true}) {
    const std::string prefix = fetch_add ? "fetch-add-" : "lost-update-";
    if (name.rfind(prefix, 0) != 0) continue;
    std::uint32_t rounds = 0;
    const char* begin = name.data() + prefix.size();
    const char* end = name.data() + name.size();
    auto [ptr, ec] = std::from_chars(begin, end, rounds);
    if (ec == std::errc{} && ptr == end && rounds > 0) return examples::lost_update(rounds, fetch_add);
  }
  return std::nullopt;
}

int replay(const Options& options) {
  harness::Trace trace;
  try {
    trace = harness::load_trace(options.replay);
  } catch (const harness::TraceError& error) {
    std::cerr << "interleave-demo: " << error.what() << "\n";
    return kExitBadInput;
  }
  const std::optional<harness::Program> program = program_named(trace.program);
  if (!program) {
    std::cerr << fmt::format("interleave-demo: {}: the trace is for program '{}'; this demo replays "
                             "'lost-update-N' and 'fetch-add-N' traces\n",
                             options.replay, trace.program);
    return kExitBadInput;
  }
  // The reader checked that a recorded max-steps is a whole number of at least 1.
  const std::uint64_t max_steps = harness::provenance_number(trace, "max-steps").value_or(options.max_steps);
  harness::StackPool stacks;
  const harness::ReplayResult result = harness::replay_trace(*program, stacks, trace, max_steps);
  std::cout << fmt::format("replaying {} ({} steps, {} decisions)\n", options.replay, trace.events.size(),
                           trace.decisions.size());
  print_timeline(result.trace);
  if (!options.save_trace.empty()) harness::save_trace(options.save_trace, result.trace);
  std::cout << (result.identical ? "the replay reproduced the trace byte for byte\n"
                                 : "the replay did NOT reproduce the trace\n");
  if (!result.identical) return options.check ? kExitReplayMismatch : kExitExpectationFailed;
  return kExitOk;
}

int explore(const Options& options) {
  const harness::Program program = examples::lost_update(options.rounds, options.fetch_add);
  auto strategy = make_strategy(options);
  harness::StackPool stacks;
  harness::ExploreSettings settings;
  settings.max_steps = options.max_steps;
  if (::isatty(STDERR_FILENO)) {
    settings.progress = [](const harness::Progress& p) {
      std::cerr << fmt::format("\r  {} executions, {} failing, {} outcome classes", p.executions, p.failures, p.classes)
                << std::flush;
    };
  }
  const harness::Report report = harness::explore(program, *strategy, stacks, settings);
  if (settings.progress) std::cerr << "\n";

  std::string how;
  for (const auto& [key, value] : report.provenance) how += fmt::format("{}{}={}", how.empty() ? "" : ", ", key, value);
  std::cout << fmt::format("{}: two goroutines each do {} x {}\n", program.name, options.rounds,
                           options.fetch_add ? "fetch_add(1)" : "load; store(load + 1)");
  std::cout << fmt::format("  explored with {}\n", how);
  std::cout << fmt::format("  executions: {}{}\n", report.executions,
                           report.exhausted ? " (the whole space: exhausted)" : "");
  std::cout << "  outcomes:\n";
  for (const harness::OutcomeClass& cls : report.classes)
    std::cout << fmt::format("    {:>8}  {}\n", cls.count, harness::describe(cls.outcome));

  const harness::OutcomeClass* failure = nullptr;
  for (const auto& cls : report.classes)
    if (!cls.outcome.ok() && failure == nullptr) failure = &cls;
  if (failure != nullptr) {
    std::cout << fmt::format("  first failure: execution {}, {} steps\n", failure->first_execution,
                             failure->first_trace.events.size());
    print_timeline(failure->first_trace);
    if (!options.save_trace.empty()) {
      harness::save_trace(options.save_trace, failure->first_trace);
      std::cout << fmt::format("  trace saved to {}\n  replay it with: interleave-demo --replay {}\n", options.save_trace,
                               options.save_trace);
    }
  }
  const bool expected = options.fetch_add ? report.failures() == 0 : failure != nullptr;
  std::cout << (expected ? "  as expected.\n" : "  NOT as expected.\n");
  return expected ? kExitOk : kExitExpectationFailed;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{
      "interleave-demo: explore the lost-update example (two goroutines doing load; store(load+1) on a shared "
      "counter) with the interleave engine, print every outcome reached, save and replay traces.\n"
      "Exit codes: 0 the expected outcome was found (or a replay reproduced its trace), 1 it was not, "
      "2 bad input, 3 a --check replay wrote different bytes."};
  app.add_option("--strategy", options.strategy, "exploration strategy")
      ->check(CLI::IsMember({"dfs", "random", "pct"}))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "seed for random and pct")->capture_default_str();
  app.add_option("--executions", options.executions, "executions for random and pct")->capture_default_str();
  app.add_option("--preemption-bound", options.preemption_bound, "dfs: at most this many preemptions per schedule");
  app.add_option("--depth", options.depth, "pct: bug depth d")->check(CLI::Range(1u, 64u))->capture_default_str();
  app.add_option("--max-steps", options.max_steps, "steps after which an execution is a livelock")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))
      ->capture_default_str();
  app.add_option("--rounds", options.rounds, "increments per goroutine")->check(CLI::Range(1u, 64u))->capture_default_str();
  app.add_flag("--fetch-add", options.fetch_add, "use one fetch_add per increment (the fix: no schedule fails)");
  app.add_option("--save-trace", options.save_trace, "save the first failing trace (or the replayed trace) here");
  app.add_option("--replay", options.replay, "replay a saved trace instead of exploring");
  app.add_flag("--check", options.check, "with --replay: exit 3 unless the replay writes the same bytes");
  app.add_option("--log-level", options.log_level, fmt::format("log level: {}", harness::kLogLevels))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    std::cerr << "interleave-demo: " << error.what() << "\nRun with --help for usage.\n";
    return kExitBadInput;
  }
  if (!harness::configure_logging(options.log_level)) {
    std::cerr << fmt::format("interleave-demo: unknown --log-level '{}': expected one of {}\n", options.log_level,
                             harness::kLogLevels);
    return kExitBadInput;
  }
  try {
    return options.replay.empty() ? explore(options) : replay(options);
  } catch (const std::exception& error) {
    std::cerr << "interleave-demo: " << error.what() << "\n";
    return kExitExpectationFailed;
  }
}
