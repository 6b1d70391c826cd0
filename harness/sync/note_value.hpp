// What a shim's step read or wrote, as the trace's detail ("read 3",
// "wrote 4"): only while the event log is recorded, and only for values fmt
// can format (others leave the step without a detail).
#pragma once

#include <fmt/format.h>

#include "harness/harness.hpp"

namespace harness::detail {

template <class T>
void note_value(const char* verb, const T& value) {
  if constexpr (fmt::is_formattable<T>::value) {
    if (recording()) note(fmt::format("{} {}", verb, value));
  }
}

}  // namespace harness::detail
