#include "tools/interleave/duration.hpp"

#include <array>
#include <cstdint>

#include <fmt/format.h>

#include "harness/trace/text_escape.hpp"

namespace interleave {
namespace {

struct Unit {
  const char* name;
  std::int64_t milliseconds;
};
// Largest first: "1h30m" reads in this order. "ms" before "m" when matching.
constexpr std::array<Unit, 4> kUnits{{{"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}}};

}  // namespace

std::variant<std::chrono::milliseconds, std::string> parse_duration(const std::string& text) {
  auto refused = [&](const std::string& why) {
    return fmt::format("expected a duration such as 90s, 15m, 1h or 500ms (units h, m, s, ms), {}: '{}'", why,
                       harness::trace_text::shown(text));
  };
  if (text.empty()) return refused("found nothing");
  std::int64_t total = 0;
  std::size_t last_unit = 0;  // index in kUnits of the previous part's unit, + 1
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t digits_start = at;
    std::int64_t number = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      // Bounded well before overflow: the total is checked against a year.
      if (number > kMaxDuration.count()) return refused("too long");
      number = number * 10 + (text[at] - '0');
      ++at;
    }
    if (at == digits_start) return refused("a part does not start with a whole number");
    if (at == text.size()) return refused("a number has no unit");
    std::size_t unit = kUnits.size();
    for (std::size_t u = 0; u < kUnits.size(); ++u) {
      const std::string_view name = kUnits[u].name;
      if (text.compare(at, name.size(), name) != 0) continue;
      const std::size_t end = at + name.size();
      // "m" must not swallow the "m" of "ms".
      if (end < text.size() && text[end] == 's' && name == "m") continue;
      unit = u;
    }
    if (unit == kUnits.size()) return refused("unknown unit");
    if (unit + 1 <= last_unit) return refused("the units must go from largest to smallest, each once");
    last_unit = unit + 1;
    at += std::string_view(kUnits[unit].name).size();
    if (number > kMaxDuration.count() / kUnits[unit].milliseconds) return refused("too long");
    total += number * kUnits[unit].milliseconds;
    if (total > kMaxDuration.count()) return refused("too long (at most a year)");
  }
  if (total == 0) return refused("it must be longer than zero");
  return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::milliseconds duration) {
  std::int64_t left = duration.count();
  if (left <= 0) return "0s";
  std::string text;
  for (const Unit& unit : kUnits) {
    if (left >= unit.milliseconds) {
      text += fmt::format("{}{}", left / unit.milliseconds, unit.name);
      left %= unit.milliseconds;
    }
  }
  return text;
}

}  // namespace interleave
