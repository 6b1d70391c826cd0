#include "harness/outcome.hpp"

#include <array>
#include <utility>

namespace harness {
namespace {
constexpr std::array<std::pair<OutcomeKind, std::string_view>, 12> kNames{{
    {OutcomeKind::kOk, "ok"},
    {OutcomeKind::kFatal, "fatal"},
    {OutcomeKind::kPanic, "panic"},
    {OutcomeKind::kAssertion, "assertion"},
    {OutcomeKind::kCorruption, "corruption"},
    {OutcomeKind::kWrongResult, "wrong-result"},
    {OutcomeKind::kException, "exception"},
    {OutcomeKind::kDeadlock, "deadlock"},
    {OutcomeKind::kStepBound, "step-bound"},
    {OutcomeKind::kDivergence, "divergence"},
    {OutcomeKind::kRace, "race"},
    {OutcomeKind::kPruned, "pruned"},
}};
}  // namespace

std::string_view to_string(OutcomeKind kind) {
  for (const auto& [k, name] : kNames)
    if (k == kind) return name;
  return "?";
}

std::optional<OutcomeKind> parse_outcome_kind(std::string_view name) {
  for (const auto& [k, n] : kNames)
    if (n == name) return k;
  return std::nullopt;
}

std::string describe(const Outcome& outcome) {
  std::string text(to_string(outcome.kind));
  if (outcome.kind == OutcomeKind::kOk && !outcome.message.empty()) return text + " (" + outcome.message + ")";
  if (!outcome.message.empty()) text += ": " + outcome.message;
  return text;
}

}  // namespace harness
