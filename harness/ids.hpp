// Identifiers the engine hands out. They are small dense indices assigned in
// creation order within one execution, never addresses, so that traces are
// identical from run to run and from compiler to compiler.
#pragma once

#include <cstdint>

namespace harness {

/// A simulated goroutine/thread, numbered from 0 in spawn order.
enum class FiberId : std::uint32_t {};
/// A shared object (mutex, atomic, map…), numbered from 0 in order of first use.
enum class ObjectId : std::uint32_t {};

/// The most fibers one execution may spawn. Each running fiber holds a
/// pooled stack (harness/fiber/stack_pool.hpp), so the bound is one of
/// memory, not of the sets that track fibers (harness/fiber_set.hpp).
inline constexpr std::uint32_t kMaxFibers = 4096;

/// For operations that touch no shared object (a plain yield, a spawn).
inline constexpr ObjectId kNoObject{0xFFFFFFFFu};

constexpr std::uint32_t index(FiberId id) { return static_cast<std::uint32_t>(id); }
constexpr std::uint32_t index(ObjectId id) { return static_cast<std::uint32_t>(id); }

}  // namespace harness
