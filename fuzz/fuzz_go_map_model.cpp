// fuzz_go_map_model: the model fuzzer. Bytes -> a small random scenario
// (scenario text, through the real parser) -> random walks over its
// schedules -> every outcome must be one the model can produce.
//
// The scenario: one map, 2-3 goroutines each running up to 10 operations
// (put, get, delete, range, len, get-or-put, get-and-delete, clear, and
// loops of puts or deletes) over keys 0..40, enough for the map to grow from
// B=0 to B=3 while others use it. Mostly a plain Go map (`kind = "go"`),
// sometimes one of the fixes (mutex, rwmutex, sharded, sync, cow); go-based
// kinds in normal mode or with GOMAXPROCS=1, a random hash seed and initial
// B. In "disjoint" inputs each goroutine writes only its own keys (key % n
// == its index), so the final contents do not depend on the schedule: they
// are computed here and checked as `final`/`len`, which makes lost updates
// (wrong-result) detectable; other inputs share keys and may `clear`.
//
// Exploration: 20-50 random walks, seeded from the input.
//
// The classes the model may produce (anything else aborts):
//   go:   ok; fatal "concurrent map writes", "concurrent map read and map
//         write", "concurrent map iteration and map write", "bad map
//         state"; panic "runtime error: invalid memory address or nil
//         pointer dereference" (a racy read of a cleared pointer), and
//         "assignment to entry in nil map" for a nil map; corruption of
//         map 'm'; wrong-result when the final contents are checked.
//   cow:  ok; wrong-result (lost updates) when they are checked.
//   mutex, rwmutex, sharded, sync: ok only (they are the correct fixes).
// And every failing class's trace replays byte for byte.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "fuzz/support.hpp"
#include "harness/strategy/random_walk.hpp"
#include "tools/scenario/program.hpp"
#include "tools/scenario/scenario.hpp"

namespace {

constexpr std::int64_t kKeys = 41;  // keys 0..40
constexpr std::uint64_t kMaxSteps = 100000;  // far above what 30 operations take: step-bound is a failure

struct Generated {
  std::string kind;
  bool nil = false;
  bool disjoint = false;  ///< final contents checked
  std::string text;
};

/// Builds the scenario text and, for disjoint inputs, the final contents
/// that every schedule must leave.
class Generator {
 public:
  explicit Generator(FuzzedDataProvider& in) : in_(in) {}

  Generated generate() {
    Generated g;
    static constexpr const char* kFixes[] = {"mutex", "rwmutex", "sharded", "sync", "cow"};
    const unsigned pick = in_.ConsumeIntegralInRange<unsigned>(0, 15);  // 11 in 16: a plain Go map
    g.kind = pick >= 10 && pick < 15 ? kFixes[pick - 10] : "go";
    goroutines_ = in_.ConsumeIntegralInRange<std::int64_t>(2, 3);
    g.disjoint = in_.ConsumeBool();
    g.nil = g.kind == "go" && !g.disjoint && in_.ConsumeIntegralInRange<unsigned>(0, 15) == 0;
    disjoint_ = g.disjoint;

    std::string text = "description = \"fuzz_go_map_model\"\n\n[map]\n";
    text += fmt::format("kind = \"{}\"\n", g.kind);
    const bool go_based = g.kind == "go" || g.kind == "mutex" || g.kind == "rwmutex" || g.kind == "sharded";
    if (go_based) {
      if (in_.ConsumeBool()) text += "gomaxprocs = 1\n";
      text += fmt::format("hash_seed = {}\n", in_.ConsumeIntegral<std::uint32_t>());
      text += fmt::format("B = {}\n", in_.ConsumeIntegralInRange<int>(0, 2));
      if (in_.ConsumeBool()) text += "iteration_start = \"fixed\"\n";
    }
    if (g.kind == "sharded") text += fmt::format("shards = {}\n", in_.ConsumeIntegralInRange<int>(1, 4));
    if (g.nil) text += "nil = true\n";
    if (!g.nil) {
      // Initial contents, written by no goroutine: any keys.
      std::vector<std::string> initial;
      if (const int n = in_.ConsumeIntegralInRange<int>(0, 20); n > 0) {
        initial.push_back(fmt::format("for i in 0..{}: put i i", n));
        for (int i = 0; i < n; ++i) final_[i] = i;
      }
      text += "initial = [" + quoted(initial) + "]\n";
    }
    for (std::int64_t me = 0; me < goroutines_; ++me) {
      std::vector<std::string> ops;
      const int count = in_.ConsumeIntegralInRange<int>(1, 10);
      for (int i = 0; i < count; ++i) ops.push_back(operation(me));
      text += fmt::format("\n[[goroutine]]\nname = \"g{}\"\nops = [{}]\n", me, quoted(ops));
    }
    text += "\n[expect]\n";
    if (g.disjoint) {
      std::string entries;
      for (const auto& [key, value] : final_) entries += fmt::format("{}{} = {}", entries.empty() ? "" : ", ", key, value);
      text += fmt::format("final = {{ {} }}\nlen = {}\n", entries, final_.size());
    } else {
      text += "never = [\"exception\"]\n";  // not judged: the outcomes are checked below
    }
    g.text = std::move(text);
    return g;
  }

 private:
  static std::string quoted(const std::vector<std::string>& ops) {
    std::string out;
    for (const std::string& op : ops) out += fmt::format("{}\"{}\"", out.empty() ? "" : ", ", op);
    return out;
  }

  /// A key this goroutine may touch: its own in disjoint inputs.
  std::int64_t key(std::int64_t me) {
    if (!disjoint_) return in_.ConsumeIntegralInRange<std::int64_t>(0, kKeys - 1);
    return in_.ConsumeIntegralInRange<std::int64_t>(0, (kKeys - 1 - me) / goroutines_) * goroutines_ + me;
  }
  std::int64_t value() { return in_.ConsumeIntegralInRange<std::int64_t>(-3, 100); }
  /// `put 0 -3` reads as `put (0 - 3)`, one argument: negative values go in parentheses.
  static std::string literal(std::int64_t v) { return v < 0 ? fmt::format("({})", v) : std::to_string(v); }

  std::string operation(std::int64_t me) {
    switch (in_.ConsumeIntegralInRange<int>(0, 10)) {
      case 0:
      case 1: {
        const std::int64_t k = key(me), v = value();
        final_[k] = v;
        return fmt::format("put {} {}", k, literal(v));
      }
      case 2: return fmt::format("get {}", key(me));
      case 3: {
        const std::int64_t k = key(me);
        final_.erase(k);
        return fmt::format("delete {}", k);
      }
      case 4: return "range";
      case 5: return "len";
      case 6: {
        const std::int64_t k = key(me), v = value();
        final_.try_emplace(k, v);
        return fmt::format("get-or-put {} {}", k, literal(v));
      }
      case 7: {
        const std::int64_t k = key(me);
        final_.erase(k);
        return fmt::format("get-and-delete {}", k);
      }
      case 8:
        if (!disjoint_) return "clear";  // clear removes every goroutine's keys
        [[fallthrough]];
      case 9:
      case 10: {
        // A loop over this goroutine's keys (all keys in shared inputs): growth.
        const std::int64_t stride = disjoint_ ? goroutines_ : 1, offset = disjoint_ ? me : 0;
        const std::int64_t slots = (kKeys - 1 - offset) / stride + 1;
        const std::int64_t from = in_.ConsumeIntegralInRange<std::int64_t>(0, slots - 1);
        const std::int64_t to = in_.ConsumeIntegralInRange<std::int64_t>(from + 1, slots);
        const bool deletes = in_.ConsumeIntegralInRange<int>(0, 3) == 0;
        for (std::int64_t i = from; i < to; ++i) {
          if (deletes) final_.erase(i * stride + offset);
          else final_[i * stride + offset] = i;
        }
        const std::string k = disjoint_ ? fmt::format("i*{}+{}", stride, offset) : "i";
        return deletes ? fmt::format("for i in {}..{}: delete {}", from, to, k)
                       : fmt::format("for i in {}..{}: put {} i", from, to, k);
      }
    }
    return "len";
  }

  FuzzedDataProvider& in_;
  std::int64_t goroutines_ = 2;
  bool disjoint_ = false;
  std::map<std::int64_t, std::int64_t> final_;  ///< the contents every schedule must leave (disjoint inputs)
};

bool starts_with(const std::string& text, std::string_view prefix) { return text.starts_with(prefix); }

/// Whether the model may end an execution of `g` this way.
bool expected(const Generated& g, const harness::Outcome& o) {
  using harness::OutcomeKind;
  if (o.kind == OutcomeKind::kOk) return o.message.empty();  // no "ok (recovered: …)": nothing here recovers
  const bool final_checked = g.disjoint && o.kind == OutcomeKind::kWrongResult &&
                             (starts_with(o.message, "final contents ") || starts_with(o.message, "final len "));
  if (g.kind == "cow") return final_checked;
  if (g.kind != "go") return false;
  switch (o.kind) {
    case OutcomeKind::kFatal:
      return o.message == "concurrent map writes" || o.message == "concurrent map read and map write" ||
             o.message == "concurrent map iteration and map write" || o.message == "bad map state";
    case OutcomeKind::kPanic:
      return o.message == "runtime error: invalid memory address or nil pointer dereference" ||
             (g.nil && o.message == "assignment to entry in nil map");
    case OutcomeKind::kCorruption: return starts_with(o.message, "map 'm': ");
    case OutcomeKind::kWrongResult: return final_checked;
    default: return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const std::uint64_t seed = in.ConsumeIntegral<std::uint64_t>();
  const std::uint64_t walks = in.ConsumeIntegralInRange<std::uint64_t>(20, 50);
  const Generated g = Generator(in).generate();

  interleave::Scenario scenario;
  try {
    scenario = interleave::parse_scenario(g.text, "fuzz_go_map_model.toml");
  } catch (const interleave::ScenarioError& error) {
    fuzz::broken("the generated scenario parses", fmt::format("{}\n{}", error.what(), g.text));
  }

  harness::StackPool& stacks = fuzz::stacks();
  const harness::Program program = interleave::make_program(scenario, kMaxSteps);
  harness::RandomWalkStrategy strategy(seed, walks);
  harness::ExploreSettings settings;
  settings.max_steps = kMaxSteps;
  const harness::Report report = harness::explore(program, strategy, stacks, settings);

  auto context = [&] { return fmt::format("random walks: {}, seed {}\nscenario:\n{}", walks, seed, g.text); };
  fuzz::require(report.executions == walks, "an exploration runs its budget of random walks", context);
  for (const harness::OutcomeClass& c : report.classes)
    fuzz::require(expected(g, c.outcome), "every outcome is one the model can produce", [&] {
      return fmt::format("outcome: {} (first reached by walk {})\n{}\ntrace:\n{}", harness::describe(c.outcome),
                         c.first_execution, context(), harness::write_trace(c.first_trace));
    });
  fuzz::check_failing_traces_replay(program, stacks, report, kMaxSteps, g.text);
  return 0;
}
