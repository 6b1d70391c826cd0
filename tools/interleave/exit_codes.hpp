// The interleave CLI's exit codes (documented in --help and the README).
#pragma once

#include "harness/fiber/stack_pool.hpp"

namespace interleave {

inline constexpr int kExitHeld = 0;            ///< every expectation held (replay: reproduced)
inline constexpr int kExitFailed = 1;          ///< an expectation failed
inline constexpr int kExitBadInput = 2;        ///< bad input: a scenario, trace, option or file named is wrong
inline constexpr int kExitReplayMismatch = 3;  ///< a replay did not reproduce its trace
inline constexpr int kExitIoError = 4;         ///< the system failed reading or writing a file (report, trace, folder)
/// A fiber of the code under test overflowed its stack (the engine exits).
inline constexpr int kExitStackOverflow = harness::kStackOverflowExitCode;
/// Ctrl-C (SIGINT). A stop signal exits 128 + its number: 130, 143 for SIGTERM,
/// 129 for SIGHUP (interrupted_exit_code()); the report so far was printed, traces saved.
inline constexpr int kExitInterrupted = 130;

}  // namespace interleave
