// How strings are written in trace lines: bare when they are a plain token,
// otherwise in double quotes with C-style escapes.
#pragma once

#include <string>
#include <string_view>

namespace harness::trace_text {

/// Always quoted: "a \"b\"\n".
std::string quote(std::string_view text);
/// Bare if non-empty and made only of letters, digits and ._-:/+<>[]()#@!?*&%$, else quoted.
std::string token(std::string_view text);

}  // namespace harness::trace_text
