#include "tools/scenario/canonical_hash.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "harness/trace/atomic_file.hpp"
#include "tools/scenario/scenario.hpp"

namespace interleave {
namespace {

/// Keys whose strings are operations (docs/scenario_format.md).
bool operation_key(std::string_view key) { return key == "ops" || key == "initial"; }

void quoted(std::string_view text, std::string& out) {
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  out += '"';
}

void floating(double value, std::string& out) {
  if (std::isnan(value)) {
    out += "nan";  // TOML's nan, +nan and -nan are one value to a scenario
    return;
  }
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest round trip
  out.append(buffer, error == std::errc{} ? end : buffer);
}

void date(const toml::date& d, std::string& out) {
  out += fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}
void time_of_day(const toml::time& t, std::string& out) {
  out += fmt::format("{:02}:{:02}:{:02}.{:09}", t.hour, t.minute, t.second, t.nanosecond);
}

/// Appends the canonical form of `node`; `operations`: its strings are
/// operation strings. `depth` is bounded: load_scenario refuses deeper files
/// before anyone hashes them, and this keeps a direct caller's stack safe.
void canonical(const toml::node& node, bool operations, std::size_t depth, const std::string& path, std::string& out) {
  if (depth > kMaxTomlNesting)
    throw ScenarioError(path, {node.source().begin.line, node.source().begin.column},
                        fmt::format("nested more than {} levels deep", kMaxTomlNesting));
  switch (node.type()) {
    case toml::node_type::table: {
      const toml::table& table = *node.as_table();
      std::vector<std::pair<std::string_view, const toml::node*>> entries;
      for (auto&& [key, value] : table) entries.emplace_back(key.str(), &value);
      std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      for (const auto& [key, value] : entries) {
        quoted(key, out);
        out += '=';
        canonical(*value, operation_key(key), depth + 1, path, out);
        out += ',';
      }
      out += '}';
      return;
    }
    case toml::node_type::array: {
      out += '[';
      for (const toml::node& item : *node.as_array()) {
        canonical(item, operations, depth + 1, path, out);
        out += ',';
      }
      out += ']';
      return;
    }
    case toml::node_type::string: {
      const std::string_view text = node.as_string()->get();
      out += 's';
      quoted(operations ? normalised_operation(text) : std::string(text), out);
      return;
    }
    case toml::node_type::integer: out += fmt::format("i{}", node.as_integer()->get()); return;
    case toml::node_type::floating_point:
      out += 'f';
      floating(node.as_floating_point()->get(), out);
      return;
    case toml::node_type::boolean: out += node.as_boolean()->get() ? "btrue" : "bfalse"; return;
    case toml::node_type::date:
      out += 'd';
      date(node.as_date()->get(), out);
      return;
    case toml::node_type::time:
      out += 't';
      time_of_day(node.as_time()->get(), out);
      return;
    case toml::node_type::date_time: {
      const toml::date_time& dt = node.as_date_time()->get();
      out += 'D';
      date(dt.date, out);
      out += 'T';
      time_of_day(dt.time, out);
      if (dt.offset) out += fmt::format("{:+}m", dt.offset->minutes);  // local date-times have none
      return;
    }
    case toml::node_type::none: break;
  }
  out += '?';  // [interleave internal bug] toml++ gave a node of no type
}

}  // namespace

std::string normalised_operation(std::string_view text) {
  auto tight = [](char c) { return std::string_view(";:()+*").find(c) != std::string_view::npos; };
  std::string out;
  bool quoted_text = false;
  bool pending_space = false;
  for (const char c : text) {
    if (!quoted_text && std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space && !tight(c) && !tight(out.back())) out += ' ';
    pending_space = false;
    out += c;
    if (c == '"') quoted_text = !quoted_text;
  }
  return out;
}

std::string canonical_scenario_text(std::string_view contents, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(contents, path);
  } catch (const toml::parse_error& error) {
    throw ScenarioError(path, {error.source().begin.line, error.source().begin.column}, std::string(error.description()));
  }
  std::string out = fmt::format("interleave-scenario-canonical {}\n", kCanonicalFormVersion);
  canonical(root, false, 0, path, out);
  out += '\n';
  return out;
}

std::string canonical_scenario_hash(std::string_view contents, const std::string& path) {
  const std::string text = canonical_scenario_text(contents, path);
  return fmt::format("{:016x}", XXH64(text.data(), text.size(), 0));
}

std::string canonical_scenario_hash_of_file(const std::string& path) {
  std::string contents;
  try {
    contents = harness::read_file(path, kMaxScenarioFileBytes, "a scenario file");
  } catch (const harness::FileRefused& error) {
    throw ScenarioError(path, {}, error.reason());
  }
  return canonical_scenario_hash(contents, path);
}

}  // namespace interleave
