// Every mistake in a scenario file is reported at file:line:col with what
// was wrong and what was expected.
#include <catch2/catch.hpp>

#include <fstream>

#include "harness/explore.hpp"
#include "harness/strategy/dfs.hpp"
#include "tests/support/explore_helpers.hpp"
#include "harness/strategy/dfs.hpp"
#include "tools/scenario/program.hpp"
#include "tools/scenario/scenario.hpp"

using namespace interleave;
using Catch::Matchers::Contains;

namespace {

const char* const kValid = R"(description = "ok"
[map]
kind = "go"
[[goroutine]]
name = "g"
ops = ["put 1 2"]
[expect]
every = "ok"
)";

/// Writes `text` to a file and returns the error load_scenario gives.
std::string error_for(const std::string& text) {
  static int counter = 0;
  const std::string path = harness::testing::temp_dir("scenarios") + "/s" + std::to_string(++counter) + ".toml";
  std::ofstream(path) << text;
  try {
    load_scenario(path);
  } catch (const ScenarioError& error) {
    const std::string message = error.what();
    REQUIRE(message.rfind(path, 0) == 0);  // starts with the file name
    return message.substr(path.size());
  }
  return "no error";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a valid scenario loads", "[scenario]") { CHECK(error_for(kValid) == "no error"); }

TEST_CASE("scenario mistakes name the line, the column and what was expected", "[scenario][errors]") {
  CHECK_THAT(error_for(replaced(kValid, "kind = \"go\"", "kind = \"hashmap\"")),
             Contains(":3:8: unknown map kind 'hashmap': expected one of cow, cow-cas, go, mutex, rwmutex, sharded, sync"));
  CHECK_THAT(error_for(replaced(kValid, "put 1 2", "insert 1 2")),
             Contains(":6:9: unknown operation 'insert': expected one of put, get"));
  CHECK_THAT(error_for(replaced(kValid, "put 1 2", "put 1 2x")), Contains(":6:15: bad number '2x'"));
  CHECK_THAT(error_for(replaced(kValid, "put 1 2", "put 1")), Contains(":6:14: 'put' takes 2 arguments: expected a value"));
  CHECK_THAT(error_for(replaced(kValid, "put 1 2", "put 1 v")), Contains(":6:15: unknown variable 'v'"));
  CHECK_THAT(error_for(replaced(kValid, "kind = \"go\"", "kind = \"go\"\ncolour = 3")),
             Contains(":4:1: unknown key 'colour' in [map]: expected one of kind, name, B"));
  CHECK_THAT(error_for(replaced(kValid, "kind = \"go\"", "kind = \"go\"\nshards = 3")),
             Contains(":4:10: 'shards' applies to map kinds sharded, not 'go'"));
  CHECK_THAT(error_for(replaced(kValid, "kind = \"go\"", "kind = \"go\"\nB = 99")), Contains(":4:5: 'B' must be between 0 and 15"));
  CHECK_THAT(error_for(replaced(kValid, "every = \"ok\"", "outcome = \"exploded\"")),
             Contains(":8:11: unknown outcome 'exploded': expected ok, fatal, panic"));
  CHECK_THAT(error_for(replaced(kValid, "every = \"ok\"", "every = \"ok\"\nreach = [\"fatal\"]")),
             Contains("this expectation cannot be met: every schedule passes, yet 'fatal' is to be reached"));
  CHECK_THAT(error_for(replaced(kValid, "every = \"ok\"", "reach = [\"fatal\"]\nnever = [\"fatal: concurrent map writes\"]")),
             Contains(":9:10: this expectation cannot be met: 'fatal: concurrent map writes' is both to be reached and never"));
  CHECK_THAT(error_for(replaced(kValid, "every = \"ok\"", "final = { x = 1 }")),
             Contains(":8:11: bad number 'x': keys of 'final' are whole numbers"));
  CHECK_THAT(error_for(replaced(kValid, "put 1 2", "lock mu")), Contains(":6:14: unknown mutex 'mu': the scenario declares no mutex"));
  // Found by fuzz_scenario_parse: map operations and 'len' without a map.
  CHECK_THAT(error_for(replaced(kValid, "[map]\nkind = \"go\"\n", "")),
             Contains(":4:9: 'put' is a map operation, but the scenario declares no map: add a [map] table"));
  CHECK_THAT(error_for(replaced(replaced(kValid, "[map]\nkind = \"go\"\n", ""), "put 1 2", "recover")
                       + "len = 0\n"),
             Contains(":7:7: 'len' needs a map"));
  // Seen while writing fuzz_scenario_explore: a deferred binding was read before it was made.
  CHECK_THAT(error_for(replaced(kValid, "\"put 1 2\"", "\"defer get 1 -> v\", \"put v 1\"")),
             Contains(":6:9: a deferred operation cannot bind a variable ('-> v')"));
  CHECK_THAT(error_for(replaced(kValid, "[[goroutine]]\nname = \"g\"\n", "[[goroutine]]\n")),
             Contains("[[goroutine]] needs 'name'"));
  CHECK_THAT(error_for(replaced(kValid, "description = \"ok\"", "description = \"ok")), Contains(":1:"));
  CHECK_THAT(error_for(replaced(kValid, "[expect]\nevery = \"ok\"\n", "")), Contains("a scenario needs 'expect'"));
}

TEST_CASE("[explore] stateful = true refuses what stateful search cannot do, where it is written", "[scenario][errors]") {
  const std::string base = std::string(kValid) + "[explore]\n";
  CHECK(error_for(base + "stateful = true\n") == "no error");
  CHECK(error_for(base + "strategy = \"dfs\"\nstateful = true\n") == "no error");
  CHECK_THAT(error_for(base + "dpor = true\nstateful = true\n"),
             Contains(":11:12: 'stateful' and 'dpor' cannot both be true"));
  CHECK_THAT(error_for(base + "preemption_bound = 2\nstateful = true\n"),
             Contains(":10:20: 'preemption_bound' with 'stateful = true'"));
  CHECK_THAT(error_for(base + "races = true\nstateful = true\n"), Contains(":10:9: 'races = true' with 'stateful = true'"));
  CHECK_THAT(error_for(base + "strategy = \"pct\"\nstateful = true\n"),
             Contains(":10:12: 'stateful = true' needs strategy \"dfs\""));
  CHECK_THAT(error_for(base + "stateful = 1\n"), Contains(":10:12:"));
}

TEST_CASE("arithmetic on variables wraps around as Go's int64 does", "[scenario][arithmetic]") {
  // i = 2^63 - 2: i*2 and i+i+4 wrap past 2^63, -i-3 past -2^63. Signed
  // overflow in C++ would be undefined; the interpreter computes on unsigned
  // integers, as Go defines it.
  const std::string path = harness::testing::temp_dir("wrap") + "/wrap.toml";
  std::ofstream(path) << R"TOML(description = "wrap"
[map]
kind = "go"
[[goroutine]]
name = "g"
ops = ["for i in 9223372036854775806..9223372036854775807: put 1 i*2; put 2 i+i+4; put 3 (-i-3)"]
[expect]
final = { 1 = -4, 2 = 0, 3 = 9223372036854775807 }
)TOML";
  const Scenario scenario = load_scenario(path);
  const harness::Report report = harness::testing::explore_dfs(make_program(scenario, 10000));
  REQUIRE(report.classes.size() == 1);
  CHECK(report.classes[0].outcome.ok());
}

TEST_CASE("constant expressions are computed when the file is read", "[scenario][arithmetic]") {
  // 1+2+…+1000 folds to one number: no deep tree, no depth limit reached.
  std::string sum = "0";
  for (int i = 1; i <= 1000; ++i) sum += "+" + std::to_string(i);
  CHECK(error_for(replaced(kValid, "put 1 2", "put 1 " + sum)) == "no error");
  CHECK_THAT(error_for(replaced(kValid, "put 1 2", "put 1 (-9223372036854775807-2)")),
             Contains(":6:36: constant expression overflows int64"));
  CHECK(error_for(replaced(kValid, "put 1 2", "put 1 (-9223372036854775807-1)*1")) == "no error");
}

TEST_CASE("the interpreter's own loops end at --max-steps", "[scenario][step-bound]") {
  const std::string path = harness::testing::temp_dir("endless") + "/endless.toml";
  std::ofstream(path) << R"(description = "a loop with no preemption point"
[map]
kind = "go"
initial = ["for i in 0..3: recover"]
[[goroutine]]
name = "g"
ops = ["for i in 0..9223372036854775807: defer recover"]
[expect]
outcome = "step-bound"
)";
  const Scenario scenario = load_scenario(path);
  harness::StackPool stacks;
  harness::DfsStrategy dfs(harness::DfsSettings{std::nullopt, 10});
  harness::ExploreSettings settings;
  settings.max_steps = 100;
  const harness::Report report = harness::explore(make_program(scenario, 100), dfs, stacks, settings);
  REQUIRE(report.classes.size() == 1);
  CHECK(report.classes[0].outcome ==
        harness::Outcome{harness::OutcomeKind::kStepBound,
                         "no end after 100 operations of the scenario (a loop too long? raise --max-steps)"});
}

TEST_CASE("'linearizable' in [expect]: a boolean, with a map, not against the other expectations", "[scenario][errors]") {
  CHECK(error_for(replaced(kValid, "every = \"ok\"", "every = \"ok\"\nlinearizable = true")) == "no error");
  CHECK_THAT(error_for(replaced(kValid, "every = \"ok\"", "reach = [\"ok\"]\nlinearizable = 1")),
             Contains(":9:16: expected true or false for 'linearizable', found an integer"));
  CHECK_THAT(error_for(replaced(kValid, "every = \"ok\"", "every = \"ok\"\nlinearizable = false")),
             Contains(":9:16: this expectation cannot be met: every schedule passes, yet some history is not to be "
                      "linearizable"));
  CHECK_THAT(error_for(replaced(kValid, "every = \"ok\"", "never = [\"wrong-result\"]\nlinearizable = false")),
             Contains(":9:16: this expectation cannot be met: some history is not to be linearizable, yet "
                      "'wrong-result' must never happen"));
  CHECK_THAT(error_for(replaced(kValid, "every = \"ok\"", "reach = [\"wrong-result\"]\nlinearizable = true")),
             Contains(":9:16: this expectation cannot be met: every history is to be linearizable, yet "
                      "'wrong-result' is to be reached"));
}
