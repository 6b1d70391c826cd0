// Parses the text format of docs/trace_format.md. Every error names the line
// and column and says what was expected; nothing in a damaged file can crash
// the reader or reach a replay unchecked (ids are checked against the counts).
#include <charconv>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "harness/trace/atomic_file.hpp"
#include "harness/trace/format.hpp"
#include "harness/trace/text_escape.hpp"
#include "harness/trace/trace.hpp"

namespace harness {

TraceError::TraceError(std::string source, std::size_t line, std::size_t column, std::string message, bool io)
    : std::runtime_error(line == 0 ? (io ? message : fmt::format("{}: {}", source, message))
                                   : fmt::format("{}:{}:{}: {}", source, line, column, message)),
      line_(line),
      column_(column),
      io_(io) {}

namespace {
namespace tf = trace_format;
using trace_text::shown;

struct Token {
  std::string key;    ///< before '=', empty for a plain token
  std::string value;  ///< unescaped
  std::size_t column = 1;
  bool has_key = false;
};

class Reader {
 public:
  Reader(std::string_view text, const std::string& source) : source_(source) {
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) {
        lines_.push_back(text.substr(start));
        break;
      }
      lines_.push_back(text.substr(start, end - start));
      start = end + 1;
    }
  }

  /// Tokenizes the next line; throws if the file has ended.
  std::vector<Token> next_line(std::string_view expected) {
    if (line_index_ >= lines_.size())
      throw TraceError(source_, lines_.size() + 1, 1,
                       fmt::format("the trace is truncated: expected {}, but the file ends", expected));
    current_ = lines_[line_index_++];
    return tokenize(current_);
  }
  bool at_end() const { return line_index_ >= lines_.size(); }
  /// Peeks at the first word of the next line.
  std::string_view peek_keyword() const {
    if (at_end()) return {};
    std::string_view line = lines_[line_index_];
    return line.substr(0, line.find(' '));
  }

  /// `column` counts bytes of the current line (1-based); the message counts characters.
  [[noreturn]] void fail(std::size_t column, const std::string& message) const {
    throw TraceError(source_, line_index_, trace_text::characters(current_, column - 1) + 1, message);
  }
  /// The current line's number (1-based) and the character column of a byte column.
  TextPosition position(std::size_t column) const {
    return TextPosition{line_index_, trace_text::characters(current_, column - 1) + 1};
  }

  void expect_count(const std::vector<Token>& tokens, std::size_t count, std::string_view shape) const {
    if (tokens.size() != count)
      fail(tokens.size() > count ? tokens[count].column : current_.size() + 1,
           fmt::format("expected '{}' ({} fields), found {} field(s)", shape, count, tokens.size()));
  }
  void expect_word(const Token& token, std::string_view word) const {
    if (token.has_key || token.value != word)
      fail(token.column, fmt::format("expected '{}', found '{}'", word, shown_token(token)));
  }
  const std::string& expect_key(const Token& token, std::string_view key) const {
    if (!token.has_key || token.key != key)
      fail(token.column, fmt::format("expected '{}=…', found '{}'", key, shown_token(token)));
    return token.value;
  }
  /// A field without a key: a bare word or a quoted string.
  const std::string& expect_plain(const Token& token, std::string_view what) const {
    if (token.has_key) fail(token.column, fmt::format("expected {}, found '{}'", what, shown_token(token)));
    return token.value;
  }
  /// A plain field that is not empty.
  const std::string& expect_name(const Token& token, std::string_view what) const {
    if (expect_plain(token, what).empty()) fail(token.column, fmt::format("expected {}, found an empty string", what));
    return token.value;
  }
  std::uint64_t number(const Token& token, std::string_view what) const {
    const std::optional<std::uint64_t> value = whole_number(token.value);
    if (!value) fail(token.column, fmt::format("expected {} (a whole number), found '{}'", what, shown(token.value)));
    return *value;
  }
  static std::optional<std::uint64_t> whole_number(std::string_view text) {
    std::uint64_t value = 0;
    const char* begin = text.data();
    const char* end = begin + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
  }
  std::uint64_t index_below(const Token& token, std::uint64_t limit, std::string_view what) const {
    const std::uint64_t value = number(token, what);
    if (value >= limit) fail(token.column, fmt::format("{} {} is out of range: the trace declares {}", what, value, limit));
    return value;
  }
  FiberSet fiber_set(const Token& token, std::uint64_t fibers) const {
    const std::string& text = token.value;
    if (text.size() < 2 || text.front() != '{' || text.back() != '}')
      fail(token.column, fmt::format("expected a set of goroutines such as {{0,1}}, found '{}'", shown(text)));
    FiberSet set;
    std::string_view inner = std::string_view(text).substr(1, text.size() - 2);
    while (!inner.empty()) {
      const std::size_t comma = inner.find(',');
      const std::string_view item = inner.substr(0, comma);
      Token part{"", std::string(item), token.column, false};
      const FiberId one{static_cast<std::uint32_t>(
          index_below(part, std::min<std::uint64_t>(fibers, kMaxFibers), "goroutine"))};
      if (set.contains(one)) fail(token.column, fmt::format("goroutine {} is listed twice in '{}'", shown(item), shown(text)));
      set.insert(one);
      if (comma == std::string_view::npos) break;
      inner.remove_prefix(comma + 1);
    }
    if (set.empty()) fail(token.column, "expected a non-empty set of goroutines");
    return set;
  }

 private:
  static std::string shown_token(const Token& token) {
    return shown(token.has_key ? token.key + "=" + token.value : token.value);
  }

  std::vector<Token> tokenize(std::string_view line) const {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < line.size()) {
      if (line[i] == ' ') {
        ++i;
        continue;
      }
      Token token;
      token.column = i + 1;
      if (line[i] != '"') {
        std::size_t j = i;
        while (j < line.size() && line[j] != ' ' && line[j] != '=' && line[j] != '"') ++j;
        std::string_view word = line.substr(i, j - i);
        i = j;
        if (i < line.size() && line[i] == '=') {
          token.key = std::string(word);
          token.has_key = true;
          ++i;
        } else {
          token.value = std::string(word);
          if (i < line.size() && line[i] == '"') fail_at(i + 1, "unexpected '\"' inside a word");
          tokens.push_back(std::move(token));
          continue;
        }
      }
      if (i < line.size() && line[i] == '"') {
        token.value = unquote(line, i);
      } else {
        std::size_t j = i;
        while (j < line.size() && line[j] != ' ') ++j;
        token.value = std::string(line.substr(i, j - i));
        i = j;
      }
      tokens.push_back(std::move(token));
    }
    return tokens;
  }

  /// REQUIRES: line[i] == '"'. Leaves i after the closing quote.
  std::string unquote(std::string_view line, std::size_t& i) const {
    const std::size_t opening = i++;
    std::string out;
    while (i < line.size() && line[i] != '"') {
      char c = line[i++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i == line.size()) break;
      const char e = line[i++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'x': {
          unsigned value = 0;
          auto [ptr, ec] = std::from_chars(line.data() + i, line.data() + std::min(i + 2, line.size()), value, 16);
          if (ec != std::errc{} || ptr != line.data() + i + 2) fail_at(i - 1, "expected two hex digits after \\x");
          out += static_cast<char>(value);
          i += 2;
          break;
        }
        default: {
          // Show the whole character after the backslash, even if it is not ASCII.
          const std::size_t length = std::max<std::size_t>(1, trace_text::utf8_length(line, i - 1));
          fail_at(i - 1, fmt::format("unknown escape '\\{}' in a string: expected \\\", \\\\, \\n, \\t or \\xHH",
                                     shown(line.substr(i - 1, length))));
        }
      }
    }
    if (i >= line.size()) fail_at(opening + 1, "unterminated string: expected a closing '\"'");
    ++i;
    if (i < line.size() && line[i] != ' ') fail_at(i + 1, "expected a space after a closing '\"'");
    return out;
  }

  [[noreturn]] void fail_at(std::size_t column, const std::string& message) const { fail(column, message); }

  const std::string& source_;
  std::vector<std::string_view> lines_;
  std::size_t line_index_ = 0;  ///< lines consumed; the current line's number
  std::string_view current_;
};

std::size_t header_count(Reader& reader, std::string_view keyword) {
  auto tokens = reader.next_line(fmt::format("'{} <count>'", keyword));
  if (tokens.empty()) reader.fail(1, fmt::format("expected '{} <count>', found an empty line", keyword));
  reader.expect_word(tokens[0], keyword);
  reader.expect_count(tokens, 2, fmt::format("{} <count>", keyword));
  return reader.number(tokens[1], "a count");
}

void expect_sequence(Reader& reader, const Token& token, std::uint64_t expected, std::string_view what) {
  if (reader.number(token, what) != expected)
    reader.fail(token.column, fmt::format("expected {} {} here (entries are numbered in order), found '{}'", what,
                                          expected, token.value));
}

/// What a known provenance key's value must look like, if `value` does not;
/// other keys are free text (they describe, they are not replayed).
std::optional<std::string> provenance_problem(std::string_view key, std::string_view value) {
  const auto number = [&]() -> std::optional<std::uint64_t> {
    std::uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc{} || ptr != value.data() + value.size()) return std::nullopt;
    return n;
  };
  constexpr std::uint64_t kU32 = std::numeric_limits<std::uint32_t>::max();
  if (key == "seed" || key == "execution") {
    if (!number()) return "a whole number";
  } else if (key == "max-steps") {
    if (!number() || *number() == 0) return "a whole number of at least 1";
  } else if (key == "depth") {
    if (!number() || *number() == 0 || *number() > kU32) return fmt::format("a whole number from 1 to {}", kU32);
  } else if (key == "preemption-bound") {
    if (value != "none" && (!number() || *number() > kU32)) return fmt::format("'none' or a whole number up to {}", kU32);
  } else if (key == "reduction") {
    if (value != "dpor") return "'dpor'";
  } else if (key == "strategy") {
    const bool word = !value.empty() && value.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string_view::npos;
    if (!word) return "a strategy name such as dfs, random or pct";
  } else if (key == "scenario-hash") {
    if (value.size() != 16 || value.find_first_not_of("0123456789abcdef") != std::string_view::npos)
      return "16 lowercase hexadecimal digits";
  } else if (key == "scenario") {
    bool control = false;
    for (char c : value) control = control || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    if (value.empty() || control) return "the scenario file's path (not empty, no control characters)";
  }
  return std::nullopt;
}

}  // namespace

Trace parse_trace(std::string_view text, const std::string& source) {
  Reader reader(text, source);
  Trace trace;

  auto tokens = reader.next_line("the header line");
  if (tokens.empty() || tokens[0].has_key || tokens[0].value != tf::kMagic)
    reader.fail(1, fmt::format("not an interleave trace: the first line must be '{} {}'", tf::kMagic, tf::kVersion));
  reader.expect_count(tokens, 2, fmt::format("{} <version>", tf::kMagic));
  const std::uint64_t version = reader.number(tokens[1], "a format version");
  if (version < static_cast<std::uint64_t>(tf::kOldestReadVersion) || version > static_cast<std::uint64_t>(tf::kVersion))
    reader.fail(tokens[1].column,
                fmt::format("trace format version {} is not supported: this build reads versions {} to {}", version,
                            tf::kOldestReadVersion, tf::kVersion));
  trace.format_version = static_cast<int>(version);

  tokens = reader.next_line("'program \"<name>\"'");
  reader.expect_count(tokens, 2, "program \"<name>\"");
  reader.expect_word(tokens[0], tf::kProgram);
  trace.program = reader.expect_name(tokens[1], "the program's name");

  if (trace.format_version >= 2) {  // version 1 had no expectation: it reproduces
    tokens = reader.next_line("'expect reproduces' or 'expect fixed'");
    reader.expect_count(tokens, 2, "expect reproduces|fixed");
    reader.expect_word(tokens[0], tf::kExpect);
    const std::string& expected = reader.expect_plain(tokens[1], "'reproduces' or 'fixed'");
    if (expected == tf::kExpectFixed) trace.expect = TraceExpectation::kFixed;
    else if (expected != tf::kExpectReproduces)
      reader.fail(tokens[1].column, fmt::format("expected 'reproduces' or 'fixed', found '{}'", shown(expected)));
  }

  while (reader.peek_keyword() == tf::kProvenance) {
    tokens = reader.next_line("provenance");
    reader.expect_count(tokens, 3, "provenance <key> \"<value>\"");
    const std::string& key = reader.expect_name(tokens[1], "a provenance key");
    const std::string& value = reader.expect_plain(tokens[2], "a provenance value in quotes");
    for (std::size_t i = 0; i < trace.provenance.size(); ++i)
      if (trace.provenance[i].first == key)
        reader.fail(tokens[1].column, fmt::format("provenance '{}' is given twice (also on line {})", shown(key),
                                                  trace.provenance_at[i].line));
    if (std::optional<std::string> problem = provenance_problem(key, value))
      reader.fail(tokens[2].column, fmt::format("provenance {}: expected {}, found '{}'", key, *problem, shown(value)));
    trace.provenance.emplace_back(key, value);
    trace.provenance_at.push_back(reader.position(tokens[2].column));
  }

  const std::size_t fibers = header_count(reader, tf::kFibers);
  if (fibers > kMaxFibers) reader.fail(8, fmt::format("at most {} goroutines, found {}", kMaxFibers, fibers));
  for (std::size_t i = 0; i < fibers; ++i) {
    tokens = reader.next_line("'fiber <id> \"<name>\"'");
    reader.expect_count(tokens, 3, "fiber <id> \"<name>\"");
    reader.expect_word(tokens[0], tf::kFiber);
    expect_sequence(reader, tokens[1], i, "goroutine");
    trace.fibers.push_back(reader.expect_plain(tokens[2], "the goroutine's name in quotes"));
  }

  const std::size_t objects = header_count(reader, tf::kObjects);
  for (std::size_t i = 0; i < objects; ++i) {
    tokens = reader.next_line("'object <id> <kind> \"<name>\"'");
    reader.expect_count(tokens, 4, "object <id> <kind> \"<name>\"");
    reader.expect_word(tokens[0], tf::kObject);
    expect_sequence(reader, tokens[1], i, "object");
    trace.objects.push_back(ObjectInfo{reader.expect_name(tokens[2], "the object's kind"),
                                       reader.expect_plain(tokens[3], "the object's name in quotes")});
  }

  const std::size_t decisions = header_count(reader, tf::kDecisions);
  // Decisions are in the order taken: step numbers never go down, and two
  // scheduling decisions are never for the same step.
  std::uint64_t last_step = 0;
  std::optional<std::uint64_t> last_schedule;
  for (std::size_t i = 0; i < decisions; ++i) {
    tokens = reader.next_line("a 'schedule' or 'data' decision");
    if (tokens.empty()) reader.fail(1, "expected a 'schedule' or 'data' decision, found an empty line");
    Decision decision;
    if (!tokens[0].has_key && tokens[0].value == tf::kSchedule) {
      reader.expect_count(tokens, 4, "schedule step=<n> fiber=<id> runnable={…}");
      decision.kind = Decision::Kind::kSchedule;
      reader.expect_key(tokens[1], "step");
      decision.step = reader.number(tokens[1], "a step number");
      const std::uint64_t earliest = last_schedule ? std::max(last_step, *last_schedule + 1) : last_step;
      if (decision.step < earliest)
        reader.fail(tokens[1].column, fmt::format("decisions are in the order taken: expected step {} or later, found {}",
                                                  earliest, decision.step));
      last_schedule = decision.step;
      reader.expect_key(tokens[2], "fiber");
      decision.value = reader.index_below(tokens[2], fibers, "goroutine");
      reader.expect_key(tokens[3], "runnable");
      decision.runnable = reader.fiber_set(tokens[3], fibers);
      if (!decision.runnable.contains(FiberId{static_cast<std::uint32_t>(decision.value)}))
        reader.fail(tokens[2].column, "the chosen goroutine is not in the runnable set");
    } else if (!tokens[0].has_key && tokens[0].value == tf::kData) {
      reader.expect_count(tokens, 5, "data after=<n> value=<v> options=<n> label=<label>");
      decision.kind = Decision::Kind::kData;
      reader.expect_key(tokens[1], "after");
      decision.step = reader.number(tokens[1], "a step count");
      if (decision.step < last_step)
        reader.fail(tokens[1].column, fmt::format("decisions are in the order taken: expected a step count of at "
                                                  "least {}, found {}",
                                                  last_step, decision.step));
      reader.expect_key(tokens[2], "value");
      decision.value = reader.number(tokens[2], "a value");
      reader.expect_key(tokens[3], "options");
      decision.options = reader.number(tokens[3], "an option count");
      if (decision.value >= decision.options)
        reader.fail(tokens[2].column, fmt::format("value {} is not below options={}", decision.value, decision.options));
      decision.label = reader.expect_key(tokens[4], "label");
      if (decision.label.empty()) reader.fail(tokens[4].column, "expected a label after 'label=', found nothing");
    } else {
      reader.fail(tokens[0].column, fmt::format("expected 'schedule' or 'data', found '{}'", shown(tokens[0].value)));
    }
    last_step = decision.step;
    trace.decisions.push_back(std::move(decision));
  }

  const std::size_t steps = header_count(reader, tf::kSteps);
  for (std::size_t i = 0; i < steps; ++i) {
    tokens = reader.next_line("'step <n> fiber=… op=… object=… access=… runnable=…'");
    if (tokens.size() != 7 && tokens.size() != 8)
      reader.expect_count(tokens, 7, "step <n> fiber=<id> op=<label> object=<id> access=<kind> runnable={…} [detail=\"…\"]");
    reader.expect_word(tokens[0], tf::kStep);
    Event event;
    expect_sequence(reader, tokens[1], i, "step");
    event.step = i;
    reader.expect_key(tokens[2], "fiber");
    event.fiber = FiberId{static_cast<std::uint32_t>(reader.index_below(tokens[2], fibers, "goroutine"))};
    event.label = reader.expect_key(tokens[3], "op");
    if (event.label.empty()) reader.fail(tokens[3].column, "expected an operation label after 'op=', found nothing");
    const std::string& object = reader.expect_key(tokens[4], "object");
    event.object = object == tf::kNoObjectText
                       ? kNoObject
                       : ObjectId{static_cast<std::uint32_t>(reader.index_below(tokens[4], objects, "object"))};
    const auto access = parse_access_kind(reader.expect_key(tokens[5], "access"));
    if (!access) reader.fail(tokens[5].column, fmt::format("unknown access kind '{}'", shown(tokens[5].value)));
    event.access = *access;
    reader.expect_key(tokens[6], "runnable");
    event.runnable = reader.fiber_set(tokens[6], fibers);
    if (!contains(event.runnable, event.fiber))
      reader.fail(tokens[2].column, "the goroutine taking the step is not in the runnable set");
    if (tokens.size() == 8) event.detail = reader.expect_key(tokens[7], "detail");
    trace.events.push_back(std::move(event));
  }

  tokens = reader.next_line("'outcome <kind> \"<message>\"'");
  reader.expect_count(tokens, 3, "outcome <kind> \"<message>\"");
  reader.expect_word(tokens[0], tf::kOutcome);
  const auto kind = tokens[1].has_key ? std::nullopt : parse_outcome_kind(tokens[1].value);
  if (!kind || *kind == OutcomeKind::kPruned)
    reader.fail(tokens[1].column, fmt::format("unknown outcome kind '{}'", shown(tokens[1].value)));
  trace.outcome = Outcome{*kind, reader.expect_plain(tokens[2], "the outcome's message in quotes")};

  tokens = reader.next_line("'end'");
  reader.expect_count(tokens, 1, "end");
  reader.expect_word(tokens[0], tf::kEnd);
  if (!reader.at_end()) {
    reader.next_line("nothing");
    reader.fail(1, "unexpected text after 'end'");
  }
  return trace;
}

Trace load_trace(const std::string& path) {
  std::string text;
  try {
    text = read_file(path, kMaxTraceFileBytes, "a trace file");
  } catch (const FileRefused& error) {
    throw TraceError(path, 0, 0, error.reason());
  } catch (const IoError& error) {
    throw TraceError(path, 0, 0, error.what(), true);
  }
  return parse_trace(text, path);
}

}  // namespace harness
