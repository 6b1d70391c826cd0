// While alive, makes Catch2's assertions the program's: a failed REQUIRE,
// CHECK or FAIL in code the engine runs ends that execution as an
// `assertion` outcome (harness::report_failure), instead of being reported
// to Catch2. Catch2 sees nothing of the executions; everything else
// (sections, messages, assertions outside an execution) goes to the
// capture that was in place, which is put back on destruction.
//
// Why: the engine runs a failing execution twice (once exploring, once
// recording its trace), and thousands of executions may fail: Catch2 would
// print each, and a REQUIRE's exception (not a std::exception) would end the
// execution as an unknown C++ exception.
#pragma once

#include <memory>

namespace harness::catch2 {

class AssertionsAsOutcomes {
 public:
  AssertionsAsOutcomes();
  ~AssertionsAsOutcomes();
  AssertionsAsOutcomes(const AssertionsAsOutcomes&) = delete;
  AssertionsAsOutcomes& operator=(const AssertionsAsOutcomes&) = delete;

 private:
  class Capture;
  std::unique_ptr<Capture> capture_;
};

}  // namespace harness::catch2
