// How strings are written in trace lines (bare when they are a plain token,
// otherwise in double quotes with C-style escapes), and how text from a file
// is shown in a message: UTF-8 characters whole, control bytes and bytes
// that are not UTF-8 escaped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace harness::trace_text {

/// Always quoted: "a \"b\"\n".
std::string quote(std::string_view text);
/// Bare if non-empty and made only of letters, digits and ._-:/+<>[]()#@!?*&%$, else quoted.
std::string token(std::string_view text);

/// The length of the well-formed UTF-8 character starting at text[i]
/// (1 for ASCII), or 0 if the bytes there are not one.
std::size_t utf8_length(std::string_view text, std::size_t i);
/// `text` for a message: UTF-8 characters whole (é stays é), control
/// characters and bytes that are not UTF-8 as \xHH (\r as \r, \t as \t).
std::string shown(std::string_view text);
/// The number of characters in text[0, bytes): a byte that is not UTF-8
/// counts as one. For columns that count characters, as editors do.
std::size_t characters(std::string_view text, std::size_t bytes);
/// The longest prefix of `text` with at most `count` characters, never cut
/// inside a UTF-8 character.
std::string_view first_characters(std::string_view text, std::size_t count);

}  // namespace harness::trace_text
