#include "harness/access.hpp"

#include <array>
#include <utility>

namespace harness {
namespace {
constexpr std::array<std::pair<AccessKind, std::string_view>, 9> kNames{{
    {AccessKind::kNone, "none"},
    {AccessKind::kRead, "read"},
    {AccessKind::kWrite, "write"},
    {AccessKind::kRmw, "rmw"},
    {AccessKind::kLock, "lock"},
    {AccessKind::kUnlock, "unlock"},
    {AccessKind::kRLock, "rlock"},
    {AccessKind::kRUnlock, "runlock"},
    {AccessKind::kWait, "wait"},
}};
}  // namespace

std::string_view to_string(AccessKind kind) {
  for (const auto& [k, name] : kNames)
    if (k == kind) return name;
  return "?";
}

std::optional<AccessKind> parse_access_kind(std::string_view name) {
  for (const auto& [k, n] : kNames)
    if (n == name) return k;
  return std::nullopt;
}

}  // namespace harness
