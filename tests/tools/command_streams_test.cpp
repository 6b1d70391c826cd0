// The commands write to the streams they are given (a test, or regress
// collecting a case's output, passes its own), never to std::cout or
// std::cerr behind the caller's back.
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "harness/trace/atomic_file.hpp"
#include "tests/support/explore_helpers.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"

using namespace interleave;
using Catch::Matchers::Contains;

namespace {

/// While alive, std::cout and std::cerr write into `sink`.
class StandardStreamsCaught {
 public:
  explicit StandardStreamsCaught(std::ostringstream& sink)
      : out_(std::cout.rdbuf(sink.rdbuf())), err_(std::cerr.rdbuf(sink.rdbuf())) {}
  ~StandardStreamsCaught() {
    std::cout.rdbuf(out_);
    std::cerr.rdbuf(err_);
  }
  StandardStreamsCaught(const StandardStreamsCaught&) = delete;
  StandardStreamsCaught& operator=(const StandardStreamsCaught&) = delete;

 private:
  std::streambuf* out_;
  std::streambuf* err_;
};

}  // namespace

TEST_CASE("replay, regress and trace mark write to the streams they are given", "[cli][streams]") {
  namespace fs = std::filesystem;
  const std::string dir = harness::testing::temp_dir("command_streams");
  fs::create_directories(dir + "/scenarios");
  fs::copy_file(std::string(INTERLEAVE_SCENARIO_DIR) + "/01_writer_reader.toml", dir + "/scenarios/w.toml");
  const Scenario scenario = load_scenario(dir + "/scenarios/w.toml");
  ExploreOverrides dfs;
  dfs.strategy = "dfs";
  const ScenarioRun run = run_scenario(scenario, dfs, dir + "/traces", interleave::ProgressDisplay::kNone);
  REQUIRE(run.traces.size() == 1);
  const std::string trace = run.traces[0].path;

  std::ostringstream standard, out, err;
  int replayed = -1, regressed = -1, marked = -1, broken = -1;
  {
    const StandardStreamsCaught caught(standard);
    replayed = cmd_replay(trace, true, true, out, err);
    regressed = cmd_regress({dir + "/traces", dir + "/scenarios"}, dir + "/junit.xml", RegressOptions{true, 100}, out, err);
    marked = cmd_trace_mark({trace}, harness::TraceExpectation::kFixed, out, err);
    broken = cmd_replay(dir + "/no.trace", true, true, out, err);
  }
  CHECK(standard.str().empty());
  CHECK(replayed == kExitHeld);
  CHECK(regressed == kExitHeld);
  CHECK(marked == kExitHeld);
  CHECK(broken == kExitBadInput);
  CHECK_THAT(out.str(), Contains("trace reproduced byte for byte"));
  CHECK_THAT(out.str(), Contains(": reproduces\n"));
  CHECK_THAT(out.str(), Contains("2 passed, 0 failed"));
  CHECK_THAT(out.str(), Contains("marked fixed"));
  CHECK_THAT(err.str(), Contains("no.trace: no such file or directory"));
  CHECK_THAT(harness::read_file(dir + "/junit.xml"), Contains("tests=\"2\" failures=\"0\""));
  CHECK_THAT(harness::read_file(trace), Contains("\nexpect fixed\n"));
}
