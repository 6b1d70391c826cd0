// How a preemption point touches its object. Recorded at every step so that
// partial-order reduction can decide which steps commute.
#pragma once

#include <optional>
#include <string_view>

namespace harness {

enum class AccessKind : unsigned char {
  kNone,     ///< touches nothing shared (a plain yield)
  kRead,     ///< reads the object
  kWrite,    ///< overwrites the object
  kRmw,      ///< reads and writes it in one indivisible step
  kLock,     ///< acquires exclusive ownership (may block)
  kUnlock,   ///< releases exclusive ownership
  kRLock,    ///< acquires shared ownership (may block)
  kRUnlock,  ///< releases shared ownership
  kWait,     ///< waits for a condition on the object (join, WaitGroup.Wait)
};

/// The name used in traces ("read", "rmw", …).
std::string_view to_string(AccessKind kind);
/// The inverse of to_string; nullopt for an unknown name.
std::optional<AccessKind> parse_access_kind(std::string_view name);

/// Two accesses to the same object conflict unless both only observe it.
/// Conservative on purpose: a lock-family pair is always dependent, which
/// keeps reduction sound without modelling each primitive's commutativity.
constexpr bool dependent(AccessKind a, AccessKind b) {
  auto observes_only = [](AccessKind k) { return k == AccessKind::kRead || k == AccessKind::kNone; };
  return !(observes_only(a) && observes_only(b));
}

}  // namespace harness
