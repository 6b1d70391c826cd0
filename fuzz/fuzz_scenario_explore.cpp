// fuzz_scenario_explore: scenario text -> if it parses, a tiny exploration
// (4 random walks, seed 1, at most 500 steps each) and the verdict.
//
// Properties: no execution of any valid scenario ends in an engine fault
// (an exception escaping the interpreter, a divergence, an internal bug;
// see fuzz::engine_fault), no sanitizer report, and every failing class's
// trace parses back and replays byte for byte.
//
// Bounded so one input takes milliseconds: the step bound ends every
// execution, but work that takes no step does not count against it (the
// `initial` operations run before the scheduler starts; `recover` takes no
// step), so scenarios whose loops could run more than a few hundred
// operations, or whose loop bounds are not constants, are skipped before
// running. Keys and values are not evaluated here: the interpreter must
// cope with every value they take.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/support.hpp"
#include "harness/strategy/random_walk.hpp"
#include "tools/scenario/expectation.hpp"
#include "tools/scenario/program.hpp"
#include "tools/scenario/scenario.hpp"

namespace {

using interleave::Expr;
using interleave::Statement;

constexpr std::uint64_t kExecutions = 4;
constexpr std::uint64_t kMaxSteps = 500;
constexpr std::uint64_t kMaxOperations = 512;  ///< per statement list, loops unrolled

/// A loop bound's value when it is a constant expression small enough to
/// bound a loop, else nullopt (variables, overflow, huge values).
std::optional<std::int64_t> constant(const Expr& e) {
  constexpr std::int64_t kLimit = 1 << 20;
  auto small = [](std::int64_t v) -> std::optional<std::int64_t> {
    if (v < -kLimit || v > kLimit) return std::nullopt;
    return v;
  };
  if (e.kind == Expr::Kind::kInt) return small(e.value);
  if (e.kind == Expr::Kind::kVar || e.kind == Expr::Kind::kShared) return std::nullopt;
  const std::optional<std::int64_t> l = constant(*e.lhs);
  if (!l) return std::nullopt;
  if (e.kind == Expr::Kind::kNeg) return small(-*l);
  const std::optional<std::int64_t> r = constant(*e.rhs);
  if (!r) return std::nullopt;
  // |l|, |r| <= 2^20: none of these overflow.
  switch (e.kind) {
    case Expr::Kind::kAdd: return small(*l + *r);
    case Expr::Kind::kSub: return small(*l - *r);
    case Expr::Kind::kMul: return small(*l * *r);
    case Expr::Kind::kDiv: return *r == 0 ? std::nullopt : small(*l / *r);
    case Expr::Kind::kMod: return *r == 0 ? std::nullopt : small(*l % *r);
    default: return std::nullopt;
  }
}

/// Operations the statements run, loops unrolled; nullopt above the limit
/// or when a loop bound is not a constant.
std::optional<std::uint64_t> operations(const std::vector<Statement>& statements) {
  std::uint64_t total = 0;
  for (const Statement& s : statements) {
    std::uint64_t n = 1;
    if (s.op == interleave::OpCode::kFor) {
      const std::optional<std::int64_t> from = constant(*s.from), to = constant(*s.to);
      const std::optional<std::uint64_t> body = operations(s.body);
      if (!from || !to || !body) return std::nullopt;
      const std::uint64_t iterations = *to > *from ? static_cast<std::uint64_t>(*to - *from) : 0;
      if (iterations > kMaxOperations) return std::nullopt;
      n = 1 + iterations * *body;  // both <= kMaxOperations: no overflow
    }
    total += n;
    if (total > kMaxOperations) return std::nullopt;
  }
  return total;
}

/// An engine fault, except that here an assertion is the scenario's own
/// `assert` statement failing (the interpreter reports no other).
bool scenario_engine_fault(const harness::Outcome& outcome) {
  return outcome.kind != harness::OutcomeKind::kAssertion && fuzz::engine_fault(outcome);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  interleave::Scenario scenario;
  try {
    scenario = interleave::parse_scenario(text, "fuzz.toml");
  } catch (const interleave::ScenarioError&) {
    return 0;  // fuzz_scenario_parse checks the errors
  }
  for (const interleave::MapDecl& map : scenario.maps)
    if (!operations(map.initial)) return 0;
  for (const interleave::GoroutineDecl& g : scenario.goroutines)
    if (!operations(g.ops)) return 0;
  if (scenario.main && !operations(scenario.main->ops)) return 0;

  harness::StackPool& stacks = fuzz::stacks();
  const harness::Program program = interleave::make_program(scenario, kMaxSteps);
  harness::RandomWalkStrategy walks(1, kExecutions);
  harness::ExploreSettings settings;
  settings.max_steps = kMaxSteps;
  const harness::Report report = harness::explore(program, walks, stacks, settings);

  fuzz::require(report.executions == kExecutions, "an exploration runs its budget of random walks",
                [&] { return std::string(text); });
  for (const harness::OutcomeClass& c : report.classes)
    fuzz::require(!scenario_engine_fault(c.outcome), "no execution of a valid scenario ends in an engine fault",
                  [&] { return harness::describe(c.outcome) + "\nscenario:\n" + std::string(text); });
  fuzz::check_failing_traces_replay(program, stacks, report, kMaxSteps, text);
  (void)interleave::judge(scenario.expect, report);  // must not throw on any report
  return 0;
}
