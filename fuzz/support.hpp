// What the fuzz targets share: how a target reports a broken property (it
// prints what broke and aborts, so libFuzzer keeps the input as a crash),
// where the source tree is, and the checks every target that explores makes
// on what the engine reports.
//
// A target returns normally for inputs that are merely invalid (a parse
// error is an answer, not a failure) and aborts only when a promise of the
// code under test is broken.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/explore.hpp"
#include "harness/fiber/stack_pool.hpp"
#include "harness/outcome.hpp"
#include "harness/program.hpp"

namespace fuzz {

/// Prints "fuzz: property broken: PROPERTY" and DETAIL to stderr, then aborts.
[[noreturn]] void broken(std::string_view property, std::string_view detail);

/// `broken(property, detail())` unless `holds`; `detail` is built only then.
template <typename Detail>
void require(bool holds, std::string_view property, Detail&& detail) {
  if (!holds) broken(property, detail());
}

/// The fiber stacks every target explores with, made once. A fiber that
/// overflows its stack must be a crash libFuzzer keeps the input of: the
/// pool's own handler ends the process with _exit (and a clear message),
/// too soon for that, so the handlers that were there before it (ASan's,
/// which reports a stack overflow, or libFuzzer's) are put back.
harness::StackPool& stacks();

/// `relative` inside the source tree this build was configured from.
std::string source_path(std::string_view relative);

/// True for outcomes no correct run of a scenario program ends in: an
/// exception escaping a goroutine or setup (the interpreter and the maps
/// throw only harness::Panic), a divergence (nothing here replays a foreign
/// trace), a failed assertion (nothing in a scenario program asserts), a
/// pruned run leaking into a report, or any message the engine marks as its
/// own bug.
bool engine_fault(const harness::Outcome& outcome);

/// For every failing class of `report` (explored from `program` with
/// `max_steps`): its trace ends in the class's outcome, its text parses back
/// to the same trace, and replaying it reproduces it byte for byte (the
/// record/replay promise). `context` (the scenario text) goes into the
/// report of a broken property.
void check_failing_traces_replay(const harness::Program& program, harness::StackPool& stacks,
                                 const harness::Report& report, std::uint64_t max_steps, std::string_view context);

}  // namespace fuzz
