// A scenario as a program the engine can run: it builds the maps and
// mutexes, runs each map's `initial` operations, spawns the goroutines
// (interpreting their operations), and checks at the end each map's
// invariants (corruption) and the expected final contents (wrong result).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/program.hpp"
#include "tools/scenario/scenario.hpp"

namespace interleave {

/// `max_steps`: the step bound the program runs under (ExecutionSettings),
/// which also bounds the interpreter's own work in each execution: a
/// scenario loop that reaches no preemption point ends as step-bound too.
/// The program refers to `scenario`, which must outlive it (a temporary is
/// refused at compile time).
/// `explanation`, when given, receives the table of the last history found
/// not linearizable (`linearizable` in [expect]): replaying a trace of that
/// outcome with it says why.
harness::Program make_program(const Scenario& scenario, std::uint64_t max_steps,
                              std::shared_ptr<std::string> explanation = nullptr);
harness::Program make_program(Scenario&& scenario, std::uint64_t max_steps,
                              std::shared_ptr<std::string> explanation = nullptr) = delete;

/// The goroutines' names in the order the program starts them (their fiber
/// numbers): the [[goroutine]]s as declared; with [main], main first, then
/// each in the order of main's `go` statements.
std::vector<std::string> goroutine_names(const Scenario& scenario);

}  // namespace interleave
