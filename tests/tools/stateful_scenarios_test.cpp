// Soundness of stateful search on scenarios: wherever plain dfs exhausts a
// scenario's space (unbounded), stateful dfs reaches exactly its outcome
// classes (kind and message, final contents included), on the scenario
// library and on small scenarios generated from a fixed seed: plain Go maps
// (growing ones too), mutexes, shared variables, atomics, ranges, deletes,
// locals carried between operations.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "harness/explore.hpp"
#include "harness/rng.hpp"
#include "harness/strategy/dfs.hpp"
#include "tests/support/explore_helpers.hpp"
#include "tools/scenario/program.hpp"
#include "tools/scenario/scenario.hpp"

using namespace harness;

namespace {

constexpr std::uint64_t kDfsCap = 8000;  // small spaces: the test also runs under the sanitizers

struct Compared {
  bool exhausted_by_dfs = false;
  bool same = false;
};

Compared compare(const interleave::Scenario& scenario, const std::string& label) {
  const Program program = interleave::make_program(scenario, ExploreSettings{}.max_steps);
  StackPool stacks;
  DfsStrategy dfs(DfsSettings{std::nullopt, kDfsCap});
  const Report full = explore(program, dfs, stacks, ExploreSettings{});
  if (!full.exhausted) return {};
  std::uint64_t states = 0;
  std::string unknown;
  const Report merged = testing::explore_stateful(program, &states, &unknown);
  INFO(label << ": dfs " << full.executions << " executions; stateful " << merged.executions << " ("
             << merged.pruned << " pruned), " << states << " states" << (unknown.empty() ? "" : ", unknown: ")
             << unknown);
  CHECK(merged.exhausted);
  const bool same = testing::outcome_set(merged) == testing::outcome_set(full);
  CHECK(same);
  CHECK(merged.executions <= full.executions);
  return {true, same};
}

std::vector<std::string> scenario_files() { return testing::scenario_files(INTERLEAVE_SCENARIO_DIR); }

/// A small random scenario: 2 or 3 goroutines of 1-3 operations.
std::string generate(Rng& rng) {
  const bool mutex = rng.below(3) == 0;
  const bool shared = rng.below(4) == 0;
  const bool atomic = rng.below(4) == 0;
  const bool grow = rng.below(4) == 0;  // eight keys already in: the next new key grows the map
  // Mostly Go's own map; sometimes a mutex-guarded one or copy-on-write.
  const std::uint64_t kind = rng.below(8);
  std::string text = fmt::format("description = \"generated\"\n[map]\nkind = \"{}\"\n",
                                 kind == 0 ? "mutex" : kind == 1 ? "cow" : "go");
  if (kind > 1) text += "hash_seed = 1\n";
  if (grow) text += "initial = [\"for i in 10..18: put i i\"]\n";
  if (mutex) text += "[[mutex]]\nname = \"mu\"\n";
  if (shared) text += "[[var]]\nname = \"x\"\n";
  if (atomic) text += "[[atomic]]\nname = \"n\"\n";
  const std::uint64_t goroutines = 2 + rng.below(2);
  for (std::uint64_t g = 0; g < goroutines; ++g) {
    const std::uint64_t ops = 1 + rng.below(goroutines == 3 ? 2 : 3);
    std::vector<std::string> list;
    bool have_v = false;
    for (std::uint64_t i = 0; i < ops; ++i) {
      const std::uint64_t key = rng.below(3);
      std::string op;
      switch (rng.below(mutex || shared || atomic ? 9 : 6)) {
        case 0: op = fmt::format("put {} {}", key, g + 1); break;
        case 1:
          op = fmt::format("get {} -> v", key);
          have_v = true;
          break;
        case 2: op = have_v ? fmt::format("put {} v+1", key) : fmt::format("delete {}", key); break;
        case 3: op = "len -> v"; have_v = true; break;
        case 4: op = rng.below(2) == 0 ? std::string("range") : fmt::format("m[{}]++", key); break;
        case 5: op = fmt::format("delete {}", key); break;
        case 6:
          if (mutex) {
            list.push_back("\"lock mu\"");
            list.push_back(fmt::format("\"put {} {}\"", key, g + 1));
            op = "unlock mu";
          } else {
            op = fmt::format("put {} 7", key);
          }
          break;
        case 7: op = shared ? "x++" : fmt::format("get {}", key); break;
        case 8: op = atomic ? "add n 1 -> v" : "len"; have_v = have_v || atomic; break;
      }
      list.push_back("\"" + op + "\"");
    }
    text += fmt::format("[[goroutine]]\nname = \"g{}\"\nops = [", g);
    for (std::size_t i = 0; i < list.size(); ++i) text += (i ? ", " : "") + list[i];
    text += "]\n";
  }
  text += "[expect]\nnever = [\"deadlock\"]\n";
  return text;
}

}  // namespace

TEST_CASE("stateful search reaches dfs's outcome classes on every scenario dfs exhausts", "[stateful][scenarios]") {
  std::size_t compared = 0;
  for (const std::string& file : scenario_files()) {
    const interleave::Scenario scenario = interleave::load_scenario(file);  // the program refers to it
    if (compare(scenario, file).exhausted_by_dfs) ++compared;
  }
  // Those dfs exhausts unbounded within the cap (the others need a bound).
  CHECK(compared >= 12);
}

TEST_CASE("stateful search reaches dfs's outcome classes on generated scenarios", "[stateful][scenarios]") {
  Rng rng(20261122);
  std::size_t compared = 0, differing = 0;
  for (int i = 0; i < 120; ++i) {
    const std::string text = generate(rng);
    const interleave::Scenario scenario = interleave::parse_scenario(text, fmt::format("generated-{}.toml", i));
    INFO(text);
    const Compared c = compare(scenario, fmt::format("generated {}", i));
    if (!c.exhausted_by_dfs) continue;
    ++compared;
    if (!c.same) ++differing;
  }
  CHECK(differing == 0);
  CHECK(compared >= 60);
}
