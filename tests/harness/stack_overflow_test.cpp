// A fiber that overflows its stack hits the guard page and the process ends
// with a clear message and its own exit status, never silent corruption.
// The overflow runs in a forked child so the test process survives it.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "harness/harness.hpp"
#include "harness/strategy/dfs.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;

namespace {

// The limit is far beyond any stack: the recursion ends only at the guard page.
volatile int g_limit = 1 << 30;

int recurse(int depth) {
  volatile char frame[512];
  frame[0] = static_cast<char>(depth);
  if (depth >= g_limit) return frame[0];
  return recurse(depth + 1) + frame[0];  // not a tail call: every frame stays
}

struct ChildResult {
  int exit_code = -1;
  std::string stderr_text;
};

template <typename Body>
ChildResult run_in_child(Body body) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::close(pipe_fds[0]);
    body();
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  ChildResult result;
  char buffer[512];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0) result.stderr_text.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

}  // namespace

TEST_CASE("a stack overflow in a fiber ends the process with a clear message", "[fiber]") {
  const ChildResult child = run_in_child([] {
    Program program{"overflow", [] { go("deep", [] { point("start"); recurse(0); }); }};
    testing::explore_dfs(program);
  });
  CHECK(child.exit_code == kStackOverflowExitCode);
  CHECK_THAT(child.stderr_text, Catch::Matchers::Contains("stack overflow in a fiber"));
  CHECK_THAT(child.stderr_text, Catch::Matchers::Contains("256 KiB"));
}

TEST_CASE("deep but bounded recursion fits the default stack", "[fiber]") {
  // 100 frames of 512 bytes is ~50 KiB: well inside 256 KiB.
  auto depth_reached = std::make_shared<int>(0);
  Program program{"bounded", [depth_reached] {
                    go("deep", [depth_reached] {
                      point("start");
                      std::function<int(int)> down = [&](int d) {
                        volatile char frame[512];
                        frame[0] = 1;
                        return d == 100 ? d : down(d + 1) + frame[0] - 1;
                      };
                      *depth_reached = down(0);
                    });
                  }};
  CHECK(testing::explore_dfs(program).failures() == 0);
  CHECK(*depth_reached == 100);
}
