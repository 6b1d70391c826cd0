// The trace header is data: it must not pull in the runtime or Boost.Context.
#include "harness/trace/trace.hpp"
