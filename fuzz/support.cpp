#include "fuzz/support.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "harness/trace/trace.hpp"

namespace fuzz {

void broken(std::string_view property, std::string_view detail) {
  std::fputs(fmt::format("fuzz: property broken: {}\n{}\n", property, detail).c_str(), stderr);
  std::abort();
}

harness::StackPool& stacks() {
  static harness::StackPool* const pool = [] {
    struct sigaction segv {}, bus {};
    ::sigaction(SIGSEGV, nullptr, &segv);
    ::sigaction(SIGBUS, nullptr, &bus);
    auto* made = new harness::StackPool();  // never freed: used until the process ends
    ::sigaction(SIGSEGV, &segv, nullptr);
    ::sigaction(SIGBUS, &bus, nullptr);
    return made;
  }();
  return *pool;
}

std::string source_path(std::string_view relative) {
  return (std::filesystem::path(INTERLEAVE_SOURCE_DIR) / relative).string();
}

bool engine_fault(const harness::Outcome& outcome) {
  using harness::OutcomeKind;
  switch (outcome.kind) {
    case OutcomeKind::kException:
    case OutcomeKind::kDivergence:
    case OutcomeKind::kAssertion:
    case OutcomeKind::kPruned: return true;
    default: return outcome.message.find("[interleave internal bug]") != std::string::npos;
  }
}

void check_failing_traces_replay(const harness::Program& program, harness::StackPool& stacks,
                                 const harness::Report& report, std::uint64_t max_steps, std::string_view context) {
  for (const harness::OutcomeClass& c : report.classes) {
    if (c.outcome.ok()) continue;
    const std::string text = harness::write_trace(c.first_trace);
    require(c.first_trace.outcome == c.outcome, "a failing class's trace ends in the class's outcome", [&] {
      return fmt::format("class: {}\ntrace:\n{}\nscenario:\n{}", harness::describe(c.outcome), text, context);
    });
    harness::Trace reread;
    try {
      reread = harness::parse_trace(text, "recorded.trace");
    } catch (const harness::TraceError& error) {
      broken("a written trace parses back", fmt::format("{}\ntrace:\n{}\nscenario:\n{}", error.what(), text, context));
    }
    require(reread == c.first_trace, "a written trace parses back to the same trace",
            [&] { return fmt::format("trace:\n{}\nscenario:\n{}", text, context); });
    const harness::ReplayResult replay = harness::replay_trace(program, stacks, reread, max_steps);
    require(replay.identical, "a recorded trace replays byte for byte", [&] {
      return fmt::format("recorded:\n{}\nreplayed:\n{}\nscenario:\n{}", text, harness::write_trace(replay.trace),
                         context);
    });
  }
}

}  // namespace fuzz
