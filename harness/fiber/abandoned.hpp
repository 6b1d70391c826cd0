// Thrown inside a goroutine whose execution has ended, to unwind its stack.
//
// When an execution ends with goroutines still suspended (a failure, a
// deadlock, a stop), teardown resumes each one just once: its preemption
// point throws FiberAbandoned, which unwinds the goroutine's frames (running
// their destructors) up to the engine's frame that started it, where it is
// caught and the goroutine ends. One unwinding from where it stood to the
// engine's frame: about a third cheaper than letting Boost destroy the
// suspended context (boost::context's forced_unwind, caught and thrown again
// at the engine's frame, then caught by Boost).
//
// Code under test must let it pass: a `catch (...)` must rethrow (as for
// any unwinding the engine does); preemption points are no-ops meanwhile.
#pragma once

namespace harness {

struct FiberAbandoned {};

}  // namespace harness
