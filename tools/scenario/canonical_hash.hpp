// The identity of a scenario by meaning, not by bytes: a hash of the parsed
// TOML document in a canonical form, which a trace records so that a
// comment, white space, key order or another spelling of the same value
// (0x10 for 16, an inline table for a table, "put 1  2" for "put 1 2") does
// not make it a trace of another program.
//
// Computed from the TOML document (toml++), not from the Scenario structs:
// every key and value takes part, whatever the scenario language makes of
// it, so a key the language adds later is covered without a change here.
//
// The canonical form (versioned by its first line, kCanonicalFormVersion):
// tables with their keys sorted (bytewise), arrays in order, strings quoted
// with `\"`, `\\` and `\xHH` for control bytes, integers in decimal,
// floats in their shortest round-trip form, booleans, dates and times in
// ISO 8601; each value tagged with its type, so the string "1" is not the
// integer 1. Operation strings (the strings of an `ops` or `initial` key, or
// of an array under one) are white-space-normalised: runs of white space
// become one space, none at either end, and none beside `; : ( ) + *`,
// outside double quotes. Those characters are tokens of their own in the
// operation language, so the tokens, and the meaning, stay the same.
#pragma once

#include <string>
#include <string_view>

namespace interleave {

/// Bumped whenever the canonical form changes (every trace's hash changes).
inline constexpr int kCanonicalFormVersion = 1;

/// The canonical text of a scenario file's contents. Throws ScenarioError
/// (file:line:col) if the contents are not TOML.
std::string canonical_scenario_text(std::string_view contents, const std::string& path);

/// XXH64 of canonical_scenario_text, as 16 lowercase hexadecimal digits.
std::string canonical_scenario_hash(std::string_view contents, const std::string& path);

/// Reads the file and hashes it. Throws ScenarioError (a file that is
/// missing, not a regular file or not TOML, said with its path) or
/// harness::IoError (the system failed reading it).
std::string canonical_scenario_hash_of_file(const std::string& path);

/// An operation string, white-space-normalised as above.
std::string normalised_operation(std::string_view text);

}  // namespace interleave
