#include "tools/scenario/patterns.hpp"

#include <fmt/format.h>

namespace interleave {
namespace {
struct Parsed {
  std::string kind;
  std::optional<std::string> message;
  /// ok patterns only: "ok (recovered)" matches any recovered panic.
  bool any_recovered = false;
};

constexpr std::string_view kRecovered = "recovered";

Parsed split(const std::string& pattern) {
  // "ok (…)": the form in which reports print an ok with a recovered panic.
  if (pattern.starts_with("ok (") && pattern.ends_with(")")) {
    std::string inner = pattern.substr(4, pattern.size() - 5);
    if (inner == kRecovered) return {"ok", std::nullopt, true};
    if (inner == "clean") return {"ok", std::string(), false};
    return {"ok", inner, false};
  }
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
  if (*kind == harness::OutcomeKind::kOk && p.message && !p.message->empty() &&
      !p.message->starts_with("recovered: "))
    return std::string("'ok' takes no message; it may be 'ok (recovered)', 'ok (recovered: <panic message>)' or "
                       "'ok (clean)'");
  return std::nullopt;
}

bool pattern_matches(const std::string& pattern, const harness::Outcome& outcome) {
  const Parsed p = split(pattern);
  if (harness::to_string(outcome.kind) != p.kind) return false;
  if (p.any_recovered) return outcome.message.starts_with("recovered: ");
  return !p.message || *p.message == outcome.message;
}

std::optional<harness::OutcomeKind> pattern_kind(const std::string& pattern) {
  return harness::parse_outcome_kind(split(pattern).kind);
}

bool patterns_overlap(const std::string& a, const std::string& b) {
  const Parsed pa = split(a), pb = split(b);
  if (pa.kind != pb.kind) return false;
  if (pa.any_recovered || pb.any_recovered) {
    const Parsed& other = pa.any_recovered ? pb : pa;
    return other.any_recovered || !other.message || other.message->starts_with("recovered: ");
  }
  return !pa.message || !pb.message || *pa.message == *pb.message;
}

}  // namespace interleave
