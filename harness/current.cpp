#include "harness/current.hpp"

namespace harness {
namespace {
thread_local Execution* tl_current = nullptr;
}

Execution* current_execution() { return tl_current; }

namespace detail {
CurrentExecutionScope::CurrentExecutionScope(Execution* execution) : previous_(tl_current) {
  tl_current = execution;
}
CurrentExecutionScope::~CurrentExecutionScope() { tl_current = previous_; }
}  // namespace detail

}  // namespace harness
