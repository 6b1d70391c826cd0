// Durations as a person writes them on a command line: "90s", "15m", "1h",
// "500ms", or parts of them in a row, largest first ("1h30m", "2m30s").
// Used by --time-limit; nothing a run records depends on them.
#pragma once

#include <chrono>
#include <string>
#include <variant>

namespace interleave {

/// The longest duration accepted: a bound that keeps the arithmetic far from
/// overflow (and no CI job runs for longer).
inline constexpr std::chrono::milliseconds kMaxDuration = std::chrono::hours(24 * 365);

/// Parses `text`: one or more parts, each a whole number followed by a unit
/// (ms, s, m or h), units strictly decreasing, the total above zero and at
/// most kMaxDuration. Returns the duration, or why it is not one (a sentence
/// that quotes the text).
std::variant<std::chrono::milliseconds, std::string> parse_duration(const std::string& text);

/// "90s", "15m", "1h30m", "500ms": the shortest spelling parse_duration reads back.
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace interleave
