// A program under test: what an execution runs, again and again.
#pragma once

#include <functional>
#include <string>

namespace harness {

/// `setup` runs at the start of every execution, outside any fiber. It builds
/// the shared state afresh and spawns the root fibers with harness::go; it
/// may register end-of-execution checks with harness::at_end. It must do the
/// same thing every time: all nondeterminism goes through harness::choose.
struct Program {
  std::string name;  ///< identifies the program in traces; no white space
  std::function<void()> setup;
};

}  // namespace harness
