// The trace file format's constants: the single source of truth for the
// writer and the reader. docs/trace_format.md describes the format.
#pragma once

#include <string_view>

namespace harness::trace_format {

inline constexpr std::string_view kMagic = "interleave-trace";
/// Version 2: the `expect` line, and `scenario-hash` of the scenario's
/// meaning (its canonical parsed form) rather than its bytes. Version 1 is
/// still read (a tool decides what it can do with one: see Trace).
inline constexpr int kVersion = 2;
inline constexpr int kOldestReadVersion = 1;

// Line keywords, in the order they appear.
inline constexpr std::string_view kProgram = "program";
inline constexpr std::string_view kExpect = "expect";
inline constexpr std::string_view kExpectReproduces = "reproduces";
inline constexpr std::string_view kExpectFixed = "fixed";
inline constexpr std::string_view kProvenance = "provenance";
inline constexpr std::string_view kFibers = "fibers";
inline constexpr std::string_view kFiber = "fiber";
inline constexpr std::string_view kObjects = "objects";
inline constexpr std::string_view kObject = "object";
inline constexpr std::string_view kDecisions = "decisions";
inline constexpr std::string_view kSchedule = "schedule";
inline constexpr std::string_view kData = "data";
inline constexpr std::string_view kSteps = "steps";
inline constexpr std::string_view kStep = "step";
inline constexpr std::string_view kOutcome = "outcome";
inline constexpr std::string_view kEnd = "end";

/// Written for kNoObject.
inline constexpr std::string_view kNoObjectText = "-";

}  // namespace harness::trace_format
