// The interleave CLI's exit codes (documented in --help and the README).
#pragma once

namespace interleave {

inline constexpr int kExitHeld = 0;            ///< every expectation held (replay: reproduced)
inline constexpr int kExitFailed = 1;          ///< an expectation failed
inline constexpr int kExitBadInput = 2;        ///< bad input: a scenario, trace or option is wrong
inline constexpr int kExitReplayMismatch = 3;  ///< a replay did not reproduce its trace
inline constexpr int kExitIoError = 4;         ///< a file (report, trace, folder) could not be written
inline constexpr int kExitStackOverflow = 70;  ///< a goroutine overflowed its stack (the process cannot go on)
inline constexpr int kExitInterrupted = 130;   ///< Ctrl-C: the report so far was printed, traces saved

}  // namespace interleave
