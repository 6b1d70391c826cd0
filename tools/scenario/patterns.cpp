#include "tools/scenario/patterns.hpp"

#include <fmt/format.h>

namespace interleave {
namespace {
struct Parsed {
  std::string kind;
  std::optional<std::string> message;
};
Parsed split(const std::string& pattern) {
  const std::size_t colon = pattern.find(':');
  if (colon == std::string::npos) return {pattern, std::nullopt};
  std::string message = pattern.substr(colon + 1);
  if (!message.empty() && message.front() == ' ') message.erase(0, 1);
  return {pattern.substr(0, colon), message};
}
}  // namespace

std::optional<std::string> check_pattern(const std::string& pattern) {
  const Parsed p = split(pattern);
  const auto kind = harness::parse_outcome_kind(p.kind);
  if (!kind || *kind == harness::OutcomeKind::kDivergence)
    return fmt::format("unknown outcome '{}': expected ok, fatal, panic, assertion, corruption, wrong-result, "
                       "exception, deadlock or step-bound, optionally followed by ': message'",
                       p.kind);
  if (*kind == harness::OutcomeKind::kOk && p.message) return std::string("'ok' takes no message");
  return std::nullopt;
}

bool pattern_matches(const std::string& pattern, const harness::Outcome& outcome) {
  const Parsed p = split(pattern);
  if (harness::to_string(outcome.kind) != p.kind) return false;
  return !p.message || *p.message == outcome.message;
}

bool patterns_overlap(const std::string& a, const std::string& b) {
  const Parsed pa = split(a), pb = split(b);
  if (pa.kind != pb.kind) return false;
  return !pa.message || !pb.message || *pa.message == *pb.message;
}

}  // namespace interleave
