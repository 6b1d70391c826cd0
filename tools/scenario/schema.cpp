// Scenario files: TOML (toml++) outside, the operation language inside.
// Every mistake becomes a ScenarioError at the line and column of the
// offending key, value or token, saying what was wrong and what was expected.
#include <xxhash.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "harness/outcome.hpp"
#include "harness/trace/atomic_file.hpp"
#include "harness/trace/text_escape.hpp"
#include "tools/scenario/ops_parser.hpp"
#include "tools/scenario/patterns.hpp"
#include "tools/scenario/scenario.hpp"

namespace interleave {

ScenarioError::ScenarioError(const std::string& file, SourceLocation where, const std::string& message)
    : std::runtime_error(where.line == 0 ? fmt::format("{}: {}", file, message)
                                         : fmt::format("{}:{}:{}: {}", file, where.line, where.column, message)) {}

std::string content_hash(std::string_view contents) {
  return fmt::format("{:016x}", XXH64(contents.data(), contents.size(), 0));
}

namespace {

SourceLocation at(const toml::source_region& region) { return {region.begin.line, region.begin.column}; }

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number with a fraction";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    default: return "a date or time";
  }
}

class SchemaReader {
 public:
  explicit SchemaReader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(SourceLocation where, const std::string& message) const {
    throw ScenarioError(path_, where, message);
  }
  [[noreturn]] void fail(const toml::node& node, const std::string& message) const { fail(at(node.source()), message); }

  /// Every key of `table` must be one of `allowed`.
  void only_keys(const toml::table& table, std::initializer_list<std::string_view> allowed, std::string_view where) const {
    for (auto&& [key, value] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(at(key.source()), fmt::format("unknown key '{}' in {}: expected one of {}", key.str(), where, list));
    }
  }

  const toml::node* optional(const toml::table& table, std::string_view key) const { return table.get(key); }
  const toml::node& required(const toml::table& table, std::string_view key, std::string_view where) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) fail(at(table.source()), fmt::format("{} needs '{}'", where, key));
    return *node;
  }

  std::string string(const toml::node& node, std::string_view what) const {
    if (!node.is_string()) fail(node, fmt::format("expected a string for {}, found {}", what, type_name(node)));
    return std::string(node.as_string()->get());
  }
  bool boolean(const toml::node& node, std::string_view what) const {
    if (!node.is_boolean()) fail(node, fmt::format("expected true or false for {}, found {}", what, type_name(node)));
    return node.as_boolean()->get();
  }
  std::int64_t integer(const toml::node& node, std::string_view what, std::int64_t low, std::int64_t high) const {
    if (!node.is_integer()) fail(node, fmt::format("expected a whole number for {}, found {}", what, type_name(node)));
    const std::int64_t value = node.as_integer()->get();
    if (value < low || value > high)
      fail(node, fmt::format("{} must be between {} and {}, found {}", what, low, high, value));
    return value;
  }
  const toml::table& table(const toml::node& node, std::string_view what) const {
    if (!node.is_table()) fail(node, fmt::format("expected a table for {}, found {}", what, type_name(node)));
    return *node.as_table();
  }
  std::vector<const toml::table*> tables(const toml::node& node, std::string_view what) const {
    if (!node.is_array_of_tables() && !(node.is_array() && node.as_array()->empty()))
      fail(node, fmt::format("expected [[{}]] tables, found {}", what, type_name(node)));
    std::vector<const toml::table*> out;
    for (const toml::node& element : *node.as_array()) out.push_back(element.as_table());
    return out;
  }
  std::vector<const toml::node*> strings(const toml::node& node, std::string_view what) const {
    if (!node.is_array()) fail(node, fmt::format("expected an array of strings for {}, found {}", what, type_name(node)));
    std::vector<const toml::node*> out;
    for (const toml::node& element : *node.as_array()) {
      if (!element.is_string())
        fail(element, fmt::format("expected a string in {}, found {}", what, type_name(element)));
      out.push_back(&element);
    }
    return out;
  }

  /// Parses one operation string, with errors at the right column.
  Statement statement(const toml::node& node, ParseContext& context) const {
    const std::string text(node.as_string()->get());
    const SourceLocation start = at(node.source());
    return parse_statement(text, context, [&](std::size_t offset, const std::string& message) {
      // The region starts at the opening quote; single-line strings only.
      // Columns count characters, as toml++'s do.
      fail(SourceLocation{start.line, start.column + 1 + harness::trace_text::characters(text, offset)}, message);
    });
  }

  std::vector<Statement> statements(const toml::node& node, std::string_view what, ParseContext& context) const {
    std::vector<Statement> out;
    for (const toml::node* op : strings(node, what)) out.push_back(statement(*op, context));
    return out;
  }

 private:
  std::string path_;
};

bool go_based(std::string_view kind) { return kind == "go" || kind == "mutex" || kind == "rwmutex" || kind == "sharded"; }

MapDecl read_map(const SchemaReader& r, const toml::table& t, std::size_t index, std::size_t count) {
  r.only_keys(t, {"kind", "name", "B", "hash_seed", "nil", "gomaxprocs", "iteration_start", "shards", "initial"},
              "[map]");
  MapDecl decl;
  const toml::node& kind_node = r.required(t, "kind", "[map]");
  decl.kind = r.string(kind_node, "'kind'");
  if (maps::MapRegistry::global().find(decl.kind) == nullptr) {
    std::string known;
    for (const auto& name : maps::MapRegistry::global().names()) known += (known.empty() ? "" : ", ") + name;
    r.fail(kind_node, fmt::format("unknown map kind '{}': expected one of {}", decl.kind, known));
  }
  decl.params.name = count == 1 ? "m" : fmt::format("m{}", index);
  if (const auto* n = r.optional(t, "name")) decl.params.name = r.string(*n, "'name'");
  auto only_for = [&](std::string_view key, bool applies, std::string_view kinds) {
    if (const auto* n = r.optional(t, key); n != nullptr && !applies)
      r.fail(*n, fmt::format("'{}' applies to map kinds {}, not '{}'", key, kinds, decl.kind));
  };
  const bool gob = go_based(decl.kind);
  only_for("B", gob, "go, mutex, rwmutex, sharded");
  only_for("hash_seed", gob, "go, mutex, rwmutex, sharded");
  // gomaxprocs applies to every kind: for sync and cow it changes nothing,
  // since their steps are user-level Go code (sync, sync/atomic), which Go
  // preempts asynchronously even with one P (docs/scenario_format.md).
  only_for("iteration_start", gob, "go, mutex, rwmutex, sharded");
  only_for("nil", decl.kind == "go", "go");
  only_for("shards", decl.kind == "sharded", "sharded");
  if (const auto* n = r.optional(t, "B")) decl.params.B = static_cast<std::uint8_t>(r.integer(*n, "'B'", 0, 15));
  if (const auto* n = r.optional(t, "hash_seed")) {
    if (n->is_string()) {
      if (r.string(*n, "'hash_seed'") != "explore")
        r.fail(*n, fmt::format("hash_seed must be a whole number or \"explore\", found \"{}\"", r.string(*n, "'hash_seed'")));
      decl.explore_hash_seed = true;
    } else {
      decl.params.hash_seed = static_cast<std::uint32_t>(r.integer(*n, "'hash_seed'", 0, UINT32_MAX));
    }
  }
  if (const auto* n = r.optional(t, "nil")) decl.params.nil = r.boolean(*n, "'nil'");
  if (const auto* n = r.optional(t, "gomaxprocs")) decl.params.single_processor = r.integer(*n, "'gomaxprocs'", 1, 256) == 1;
  if (const auto* n = r.optional(t, "shards")) decl.params.shards = static_cast<std::uint32_t>(r.integer(*n, "'shards'", 1, 64));
  if (const auto* n = r.optional(t, "iteration_start")) {
    const std::string start = r.string(*n, "'iteration_start'");
    if (start != "explore" && start != "fixed")
      r.fail(*n, fmt::format("iteration_start must be \"explore\" or \"fixed\", found \"{}\"", start));
    decl.params.explore_iteration_start = start == "explore";
  }
  return decl;
}

void read_expect(const SchemaReader& r, const toml::table& t, Expectation& expect, std::size_t maps,
                 Scenario& scenario) {
  r.only_keys(t, {"outcome", "message", "reach", "never", "every", "final", "len", "linearizable"}, "[expect]");
  auto pattern = [&](const toml::node& node, std::string_view what) {
    const std::string text = r.string(node, what);
    if (std::optional<std::string> problem = check_pattern(text)) r.fail(node, *problem);
    return text;
  };
  if (const auto* n = r.optional(t, "outcome")) {
    std::string text = pattern(*n, "'outcome'");
    if (text.find(':') != std::string::npos) r.fail(*n, "'outcome' is a kind only; put the text in 'message'");
    if (const auto* m = r.optional(t, "message")) text += ": " + r.string(*m, "'message'");
    expect.reach.push_back(text);
  } else if (const auto* m = r.optional(t, "message")) {
    r.fail(*m, "'message' needs an 'outcome' (fatal, panic, …) to go with it");
  }
  if (const auto* n = r.optional(t, "reach"))
    for (const toml::node* p : r.strings(*n, "'reach'")) expect.reach.push_back(pattern(*p, "'reach'"));
  if (const auto* n = r.optional(t, "never"))
    for (const toml::node* p : r.strings(*n, "'never'")) {
      expect.never.push_back(pattern(*p, "'never'"));
      for (const std::string& wanted : expect.reach)
        if (patterns_overlap(wanted, expect.never.back()))
          r.fail(*p, fmt::format("this expectation cannot be met: '{}' is both to be reached and never reached",
                                 expect.never.back()));
    }
  if (const auto* n = r.optional(t, "every")) {
    if (r.string(*n, "'every'") != "ok") r.fail(*n, "'every' can only be \"ok\" (every schedule passes)");
    expect.every_ok = true;
    for (const std::string& wanted : expect.reach)
      if (pattern_kind(wanted) != harness::OutcomeKind::kOk)
        r.fail(*n, fmt::format("this expectation cannot be met: every schedule passes, yet '{}' is to be reached", wanted));
  }
  if (const auto* n = r.optional(t, "final")) {
    if (maps == 0) r.fail(*n, "'final' needs a map");
    std::map<maps::Key, maps::Value> contents;
    for (auto&& [key, value] : r.table(*n, "'final'")) {
      maps::Key k = 0;
      const std::string_view text = key.str();
      if (scenario.string_keys) {  // map[string]int64: every key of 'final' is a string
        auto known = std::find(scenario.strings.begin(), scenario.strings.end(), text);
        if (known == scenario.strings.end()) known = scenario.strings.insert(scenario.strings.end(), std::string(text));
        contents[static_cast<maps::Key>(known - scenario.strings.begin()) + 1] =
            r.integer(value, "a value of 'final'", INT64_MIN, INT64_MAX);
        continue;
      }
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), k);
      if (ec != std::errc{} || ptr != text.data() + text.size())
        r.fail(at(key.source()), fmt::format("bad number '{}': keys of 'final' are whole numbers (strings when the "
                                             "scenario's keys are)",
                                             text));
      contents[k] = r.integer(value, "a value of 'final'", INT64_MIN, INT64_MAX);
    }
    expect.final_contents = std::move(contents);
  }
  if (const auto* n = r.optional(t, "len")) {
    if (maps == 0) r.fail(*n, "'len' needs a map");
    expect.final_len = r.integer(*n, "'len'", 0, INT64_MAX);
  }
  if (const auto* n = r.optional(t, "linearizable")) {
    if (maps == 0) r.fail(*n, "'linearizable' needs a map");
    const bool must_hold = r.boolean(*n, "'linearizable'");
    const std::string not_linearizable = std::string("wrong-result: ") + kNotLinearizable;
    if (must_hold) {
      for (const std::string& wanted : expect.reach)
        if (patterns_overlap(wanted, not_linearizable))
          r.fail(*n, fmt::format("this expectation cannot be met: every history is to be linearizable, yet '{}' is "
                                 "to be reached",
                                 wanted));
      expect.never.push_back(not_linearizable);
    } else {
      if (expect.every_ok) r.fail(*n, "this expectation cannot be met: every schedule passes, yet some history is "
                                      "not to be linearizable");
      for (const std::string& forbidden : expect.never)
        if (patterns_overlap(forbidden, not_linearizable))
          r.fail(*n, fmt::format("this expectation cannot be met: some history is not to be linearizable, yet '{}' "
                                 "must never happen",
                                 forbidden));
      expect.reach.push_back(not_linearizable);
    }
    expect.check_linearizable = true;
  }
  if (expect.reach.empty() && expect.never.empty() && !expect.every_ok && !expect.final_contents && !expect.final_len)
    r.fail(at(t.source()), "[expect] says nothing: expected 'outcome', 'reach', 'never', 'every', 'final', 'len' or "
                           "'linearizable'");
}

void read_explore(const SchemaReader& r, const toml::table& t, ExploreDefaults& explore) {
  r.only_keys(t, {"strategy", "preemption_bound", "dpor", "stateful", "executions", "seed", "depth", "max_steps", "races"},
              "[explore]");
  if (const auto* n = r.optional(t, "races")) explore.races = r.boolean(*n, "'races'");
  if (const auto* n = r.optional(t, "dpor")) explore.dpor = r.boolean(*n, "'dpor'");
  if (const auto* n = r.optional(t, "stateful")) {
    explore.stateful = r.boolean(*n, "'stateful'");
    // Stateful search is unbounded dfs without dpor or race detection:
    // asking for both in one table is a contradiction, said where it is.
    if (*explore.stateful) {
      if (explore.dpor.value_or(false)) r.fail(*n, "'stateful' and 'dpor' cannot both be true (stateful search is plain dfs)");
      if (const auto* b = r.optional(t, "preemption_bound"))
        r.fail(*b, "'preemption_bound' with 'stateful = true': stateful search explores without a preemption bound");
      if (explore.races)
        r.fail(*r.optional(t, "races"), "'races = true' with 'stateful = true': the race detector's clocks are state stateful search does not see");
      if (const auto* s = r.optional(t, "strategy"); s != nullptr && s->value_or(std::string()) != "dfs")
        r.fail(*s, "'stateful = true' needs strategy \"dfs\" (stateful search is a dfs)");
    }
  }
  if (const auto* n = r.optional(t, "strategy")) {
    const std::string s = r.string(*n, "'strategy'");
    if (s != "dfs" && s != "random" && s != "pct")
      r.fail(*n, fmt::format("unknown strategy '{}': expected dfs, random or pct", s));
    explore.strategy = s;
  }
  if (const auto* n = r.optional(t, "preemption_bound"))
    explore.preemption_bound = static_cast<std::uint32_t>(r.integer(*n, "'preemption_bound'", 0, 1000));
  if (const auto* n = r.optional(t, "executions"))
    explore.executions = static_cast<std::uint64_t>(r.integer(*n, "'executions'", 1, INT64_MAX));
  if (const auto* n = r.optional(t, "seed")) explore.seed = static_cast<std::uint64_t>(r.integer(*n, "'seed'", 0, INT64_MAX));
  if (const auto* n = r.optional(t, "depth")) explore.depth = static_cast<std::uint32_t>(r.integer(*n, "'depth'", 1, 64));
  if (const auto* n = r.optional(t, "max_steps"))
    explore.max_steps = static_cast<std::uint64_t>(r.integer(*n, "'max_steps'", 1, kMaxMaxSteps));
}

/// The goroutines [main] starts with `go` (loops hold none: the parser refuses them).
void count_starts(const std::vector<Statement>& ops, std::vector<std::size_t>& starts) {
  for (const Statement& op : ops)
    if (op.op == OpCode::kGo) ++starts[op.target];
}

/// lock/rlock need the right kind of mutex; checked once the ops are parsed.
void check_lock_kinds(const SchemaReader& r, const std::vector<Statement>& ops, const Scenario& s,
                      const toml::node& where) {
  for (const Statement& op : ops) {
    if (!op.body.empty()) check_lock_kinds(r, op.body, s, where);
    if ((op.op == OpCode::kRLock || op.op == OpCode::kRUnlock) && !s.mutexes[op.target].rw)
      r.fail(where, fmt::format("'{}' needs an rwmutex, but '{}' is a mutex", op.text, s.mutexes[op.target].name));
  }
}

/// toml++ builds and destroys nested tables recursively: a key of 50,000
/// dotted parts overflows the stack. Before toml++ sees the text, this scan
/// refuses nesting deeper than kMaxTomlNesting: each open bracket ([ or {,
/// outside strings and comments) counts one level plus the dotted parts of
/// the key that leads to it, and the key being read counts its dots. It may
/// over-count (a float such as 1.5 counts one), never under-counts.
void check_toml_nesting(const std::string& path, std::string_view text) {
  std::vector<std::size_t> open;  // the levels each open bracket added
  std::size_t levels = 0;         // the sum of `open`
  std::size_t chain = 0;          // dots in the key being read
  std::size_t key_levels = 0;     // levels of the key before the last '=' (its dots + 1)
  std::size_t line = 1, line_start = 0;
  auto fail = [&](std::size_t i) {
    const std::size_t column = harness::trace_text::characters(text.substr(line_start), i - line_start) + 1;
    throw ScenarioError(path, {line, column},
                        fmt::format("nested too deeply: at most {} levels of tables, arrays and dotted keys",
                                    kMaxTomlNesting));
  };
  auto end_of_key = [&] {
    chain = 0;
    key_levels = 0;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
      end_of_key();
    } else if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      const std::string_view delimiter = text.substr(i, 3) == std::string(3, c) ? text.substr(i, 3) : text.substr(i, 1);
      const bool multi = delimiter.size() == 3;
      i += delimiter.size();
      // Up to the closing delimiter (i is left on its last byte); basic
      // strings have backslash escapes.
      for (; i < text.size(); ++i) {
        if (text[i] == '\n') {
          if (!multi) break;  // unterminated: toml++ says so
          ++line;
          line_start = i + 1;
        } else if (c == '"' && text[i] == '\\') {
          if (i + 1 < text.size() && text[i + 1] == '\n') {
            ++line;
            line_start = i + 2;
          }
          ++i;
        } else if (text.substr(i, delimiter.size()) == delimiter) {
          i += delimiter.size() - 1;
          // Up to two quotes may end a multi-line string's text: """a""""".
          while (multi && i + 1 < text.size() && text[i + 1] == c) ++i;
          break;
        }
      }
      if (i < text.size() && text[i] == '\n') --i;  // seen again by the outer loop
    } else if (c == '.') {
      ++chain;
      if (levels + chain > kMaxTomlNesting) fail(i);
    } else if (c == '=') {
      key_levels = chain + 1;
      chain = 0;
    } else if (c == '[' || c == '{') {
      open.push_back(1 + key_levels + chain);
      levels += open.back();
      end_of_key();
      if (levels > kMaxTomlNesting) fail(i);
    } else if (c == ']' || c == '}') {
      if (!open.empty()) {
        levels -= open.back();
        open.pop_back();
      }
      end_of_key();
    } else if (c == ',') {
      end_of_key();
    }
  }
}

}  // namespace

Scenario load_scenario(const std::string& path) {
  std::string contents;
  try {
    contents = harness::read_file(path, kMaxScenarioFileBytes, "a scenario file");
  } catch (const harness::FileRefused& error) {
    throw ScenarioError(path, {}, error.reason());
  }
  return parse_scenario(contents, path);
}

Scenario parse_scenario(std::string_view contents, const std::string& path) {
  check_toml_nesting(path, contents);
  toml::table root;
  try {
    root = toml::parse(contents, path);
  } catch (const toml::parse_error& error) {
    throw ScenarioError(path, at(error.source()), std::string(error.description()));
  }
  SchemaReader r(path);
  r.only_keys(root,
              {"description", "story", "map", "maps", "mutex", "waitgroup", "atomic", "channel", "var", "main",
               "goroutine", "expect", "explore"},
              "the scenario");
  Scenario s;
  s.path = path;
  s.name = std::filesystem::path(path).stem().string();
  s.content_hash = content_hash(contents);
  s.description = r.string(r.required(root, "description", "a scenario"), "'description'");
  if (const auto* n = r.optional(root, "story")) s.story = r.integer(*n, "'story'", 1, 1000);

  std::vector<const toml::table*> map_tables;
  std::vector<const toml::node*> initial_nodes;
  if (const auto* n = r.optional(root, "map")) {
    if (r.optional(root, "maps") != nullptr) r.fail(*n, "use either [map] or [[maps]], not both");
    map_tables.push_back(&r.table(*n, "[map]"));
  } else if (const auto* many = r.optional(root, "maps")) {
    map_tables = r.tables(*many, "maps");
  }
  ParseContext context;
  context.strings = &s.strings;
  for (std::size_t i = 0; i < map_tables.size(); ++i) {
    s.maps.push_back(read_map(r, *map_tables[i], i, map_tables.size()));
    for (std::size_t j = 0; j < i; ++j)
      if (s.maps[j].params.name == s.maps[i].params.name)
        r.fail(*map_tables[i], fmt::format("two maps are named '{}'", s.maps[i].params.name));
    context.maps.push_back(s.maps[i].params.name);
    context.map_kinds.push_back(s.maps[i].kind);
  }
  if (const auto* n = r.optional(root, "mutex")) {
    for (const toml::table* t : r.tables(*n, "mutex")) {
      r.only_keys(*t, {"name", "kind"}, "[[mutex]]");
      MutexDecl m;
      m.name = r.string(r.required(*t, "name", "[[mutex]]"), "'name'");
      if (const auto* k = r.optional(*t, "kind")) {
        const std::string kind = r.string(*k, "'kind'");
        if (kind != "mutex" && kind != "rwmutex")
          r.fail(*k, fmt::format("unknown mutex kind '{}': expected mutex or rwmutex", kind));
        m.rw = kind == "rwmutex";
      }
      if (std::find(context.mutexes.begin(), context.mutexes.end(), m.name) != context.mutexes.end())
        r.fail(*t, fmt::format("two mutexes are named '{}'", m.name));
      context.mutexes.push_back(m.name);
      s.mutexes.push_back(m);
    }
  }
  if (const auto* n = r.optional(root, "waitgroup")) {
    for (const toml::table* t : r.tables(*n, "waitgroup")) {
      r.only_keys(*t, {"name"}, "[[waitgroup]]");
      WaitGroupDecl w;
      w.name = r.string(r.required(*t, "name", "[[waitgroup]]"), "'name'");
      if (std::find(context.waitgroups.begin(), context.waitgroups.end(), w.name) != context.waitgroups.end())
        r.fail(*t, fmt::format("two waitgroups are named '{}'", w.name));
      context.waitgroups.push_back(w.name);
      s.waitgroups.push_back(w);
    }
  }
  if (const auto* n = r.optional(root, "atomic")) {
    for (const toml::table* t : r.tables(*n, "atomic")) {
      r.only_keys(*t, {"name", "initial"}, "[[atomic]]");
      AtomicDecl a;
      a.name = r.string(r.required(*t, "name", "[[atomic]]"), "'name'");
      if (const auto* v = r.optional(*t, "initial")) a.initial = r.integer(*v, "'initial'", INT64_MIN, INT64_MAX);
      if (std::find(context.atomics.begin(), context.atomics.end(), a.name) != context.atomics.end())
        r.fail(*t, fmt::format("two atomics are named '{}'", a.name));
      if (std::find(context.waitgroups.begin(), context.waitgroups.end(), a.name) != context.waitgroups.end())
        r.fail(*t, fmt::format("'{}' names a waitgroup already: 'add {} N' would not say which", a.name, a.name));
      context.atomics.push_back(a.name);
      s.atomics.push_back(a);
    }
  }
  if (const auto* n = r.optional(root, "var")) {
    for (const toml::table* t : r.tables(*n, "var")) {
      r.only_keys(*t, {"name", "initial"}, "[[var]]");
      SharedVarDecl v;
      v.name = r.string(r.required(*t, "name", "[[var]]"), "'name'");
      if (const auto* i = r.optional(*t, "initial")) v.initial = r.integer(*i, "'initial'", INT64_MIN, INT64_MAX);
      if (std::find(context.shared.begin(), context.shared.end(), v.name) != context.shared.end())
        r.fail(*t, fmt::format("two [[var]]s are named '{}'", v.name));
      context.shared.push_back(v.name);
      s.shared.push_back(v);
    }
  }
  if (const auto* n = r.optional(root, "channel")) {
    for (const toml::table* t : r.tables(*n, "channel")) {
      r.only_keys(*t, {"name", "capacity"}, "[[channel]]");
      ChannelDecl c;
      c.name = r.string(r.required(*t, "name", "[[channel]]"), "'name'");
      if (const auto* v = r.optional(*t, "capacity"))
        c.capacity = static_cast<std::size_t>(r.integer(*v, "'capacity'", 0, 65536));
      if (std::find(context.channels.begin(), context.channels.end(), c.name) != context.channels.end())
        r.fail(*t, fmt::format("two channels are named '{}'", c.name));
      context.channels.push_back(c.name);
      s.channels.push_back(c);
    }
  }
  for (std::size_t i = 0; i < map_tables.size(); ++i) {
    if (const auto* n = r.optional(*map_tables[i], "initial")) {
      std::vector<std::string> scope;
      context.variables = &scope;
      s.maps[i].initial = r.statements(*n, "'initial'", context);
      check_lock_kinds(r, s.maps[i].initial, s, *n);
    }
  }
  const toml::node& goroutines = r.required(root, "goroutine", "a scenario");
  const std::vector<const toml::table*> goroutine_tables = r.tables(goroutines, "goroutine");
  for (const toml::table* t : goroutine_tables) {  // the names first: [main] starts them by name
    r.only_keys(*t, {"name", "ops"}, "[[goroutine]]");
    GoroutineDecl g;
    g.name = r.string(r.required(*t, "name", "[[goroutine]]"), "'name'");
    for (const GoroutineDecl& other : s.goroutines)
      if (other.name == g.name) r.fail(*t, fmt::format("two goroutines are named '{}'", g.name));
    if (g.name == "main" && r.optional(root, "main") != nullptr)
      r.fail(*t, "a [[goroutine]] cannot be named 'main' beside the [main] table");
    context.goroutines.push_back(g.name);
    s.goroutines.push_back(std::move(g));
  }
  for (std::size_t i = 0; i < goroutine_tables.size(); ++i) {
    std::vector<std::string> scope;
    context.variables = &scope;
    const toml::node& ops = r.required(*goroutine_tables[i], "ops", "[[goroutine]]");
    s.goroutines[i].ops = r.statements(ops, "'ops'", context);
    check_lock_kinds(r, s.goroutines[i].ops, s, ops);
  }
  if (s.goroutines.empty()) r.fail(goroutines, "a scenario needs at least one [[goroutine]]");
  if (s.goroutines.size() + (r.optional(root, "main") ? 1 : 0) > 32) r.fail(goroutines, "at most 32 goroutines");
  if (const auto* n = r.optional(root, "main")) {
    const toml::table& t = r.table(*n, "[main]");
    r.only_keys(t, {"ops"}, "[main]");
    GoroutineDecl main;
    main.name = "main";
    std::vector<std::string> scope;
    context.variables = &scope;
    context.in_main = true;
    const toml::node& ops = r.required(t, "ops", "[main]");
    main.ops = r.statements(ops, "'ops'", context);
    context.in_main = false;
    check_lock_kinds(r, main.ops, s, ops);
    std::vector<std::size_t> starts(s.goroutines.size(), 0);
    count_starts(main.ops, starts);
    for (std::size_t i = 0; i < starts.size(); ++i) {
      if (starts[i] == 0)
        r.fail(ops, fmt::format("[main] never starts goroutine '{}': add 'go {}'", s.goroutines[i].name,
                                s.goroutines[i].name));
      if (starts[i] > 1)
        r.fail(ops, fmt::format("[main] starts goroutine '{}' {} times: each [[goroutine]] is started once",
                                s.goroutines[i].name, starts[i]));
    }
    s.main = std::move(main);
  }
  s.string_keys = context.keys == ParseContext::Keys::kStrings;
  read_expect(r, r.table(r.required(root, "expect", "a scenario"), "[expect]"), s.expect, s.maps.size(), s);
  if (const auto* n = r.optional(root, "explore")) read_explore(r, r.table(*n, "[explore]"), s.explore);
  return s;
}

}  // namespace interleave
