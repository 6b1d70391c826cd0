// Adding a value to a state digest, for shims that hold one (Cell<T>,
// Atomic<T>): integers, enums, bool, floating point by its bits, strings.
// A type outside these is not hashable: its shim then reports no state, and
// stateful search prunes nothing while it is in use (never a wrong merge).
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <type_traits>

#include "harness/state/state_digest.hpp"

namespace harness {

template <typename T>
concept StateHashable = std::is_integral_v<T> || std::is_enum_v<T> || std::is_floating_point_v<T> ||
                        std::is_same_v<T, std::string>;

template <StateHashable T>
void hash_value(StateHasher& hasher, const T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    hasher.add_text(value);
  } else if constexpr (std::is_enum_v<T>) {
    hasher.add(static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(value)));
  } else if constexpr (std::is_same_v<T, float>) {
    hasher.add(std::bit_cast<std::uint32_t>(value));
  } else if constexpr (std::is_floating_point_v<T> && sizeof(T) == 8) {
    hasher.add(std::bit_cast<std::uint64_t>(value));
  } else if constexpr (std::is_floating_point_v<T>) {
    // long double: its padding bytes are not part of the value; hash it as
    // two doubles' worth of what it rounds to and its remainder.
    const double high = static_cast<double>(value);
    hasher.add(std::bit_cast<std::uint64_t>(high));
    hasher.add(std::bit_cast<std::uint64_t>(static_cast<double>(value - static_cast<T>(high))));
  } else {
    hasher.add(static_cast<std::uint64_t>(value));
  }
}

}  // namespace harness
