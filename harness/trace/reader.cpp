// Parses the text format of docs/trace_format.md. Every error names the line
// and column and says what was expected; nothing in a damaged file can crash
// the reader or reach a replay unchecked (ids are checked against the counts).
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "harness/trace/atomic_file.hpp"
#include "harness/trace/format.hpp"
#include "harness/trace/trace.hpp"

namespace harness {

TraceError::TraceError(std::string source, std::size_t line, std::size_t column, std::string message)
    : std::runtime_error(fmt::format("{}:{}:{}: {}", source, line, column, message)), line_(line), column_(column) {}

namespace {
namespace tf = trace_format;

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

  [[noreturn]] void fail(std::size_t column, const std::string& message) const {
    throw TraceError(source_, line_index_, column, message);
  }

  void expect_count(const std::vector<Token>& tokens, std::size_t count, std::string_view shape) const {
    if (tokens.size() != count)
      fail(tokens.size() > count ? tokens[count].column : current_.size() + 1,
           fmt::format("expected '{}' ({} fields), found {} field(s)", shape, count, tokens.size()));
  }
  void expect_word(const Token& token, std::string_view word) const {
    if (token.has_key || token.value != word)
      fail(token.column, fmt::format("expected '{}', found '{}'", word, shown(token)));
  }
  const std::string& expect_key(const Token& token, std::string_view key) const {
    if (!token.has_key || token.key != key)
      fail(token.column, fmt::format("expected '{}=…', found '{}'", key, shown(token)));
    return token.value;
  }
  std::uint64_t number(const Token& token, std::string_view what) const {
    std::uint64_t value = 0;
    const char* begin = token.value.data();
    const char* end = begin + token.value.size();
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (token.value.empty() || ec != std::errc{} || ptr != end)
      fail(token.column, fmt::format("expected {} (a whole number), found '{}'", what, token.value));
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
      fail(token.column, fmt::format("expected a set of goroutines such as {{0,1}}, found '{}'", text));
    FiberSet set = 0;
    std::string_view inner = std::string_view(text).substr(1, text.size() - 2);
    while (!inner.empty()) {
      const std::size_t comma = inner.find(',');
      const std::string_view item = inner.substr(0, comma);
      Token part{"", std::string(item), token.column, false};
      set |= FiberSet{1} << index_below(part, std::min<std::uint64_t>(fibers, kMaxFibers), "goroutine");
      if (comma == std::string_view::npos) break;
      inner.remove_prefix(comma + 1);
    }
    if (set == 0) fail(token.column, "expected a non-empty set of goroutines");
    return set;
  }

 private:
  static std::string shown(const Token& token) { return token.has_key ? token.key + "=" + token.value : token.value; }

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
        default: fail_at(i - 1, fmt::format("unknown escape '\\{}' in a string", e));
      }
    }
    if (i >= line.size()) fail_at(opening + 1, "unterminated string: expected a closing '\"'");
    ++i;
    if (i < line.size() && line[i] != ' ') fail_at(i + 1, "expected a space after a closing '\"'");
    return out;
  }

  [[noreturn]] void fail_at(std::size_t column, const std::string& message) const {
    throw TraceError(source_, line_index_, column, message);
  }

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

}  // namespace

Trace parse_trace(std::string_view text, const std::string& source) {
  Reader reader(text, source);
  Trace trace;

  auto tokens = reader.next_line("the header line");
  if (tokens.empty() || tokens[0].has_key || tokens[0].value != tf::kMagic)
    reader.fail(1, fmt::format("not an interleave trace: the first line must be '{} {}'", tf::kMagic, tf::kVersion));
  reader.expect_count(tokens, 2, fmt::format("{} <version>", tf::kMagic));
  const std::uint64_t version = reader.number(tokens[1], "a format version");
  if (version != static_cast<std::uint64_t>(tf::kVersion))
    reader.fail(tokens[1].column, fmt::format("trace format version {} is not supported: this build reads version {}",
                                              version, tf::kVersion));

  tokens = reader.next_line("'program \"<name>\"'");
  reader.expect_count(tokens, 2, "program \"<name>\"");
  reader.expect_word(tokens[0], tf::kProgram);
  trace.program = tokens[1].value;

  while (reader.peek_keyword() == tf::kProvenance) {
    tokens = reader.next_line("provenance");
    reader.expect_count(tokens, 3, "provenance <key> \"<value>\"");
    trace.provenance.emplace_back(tokens[1].value, tokens[2].value);
  }

  const std::size_t fibers = header_count(reader, tf::kFibers);
  if (fibers > kMaxFibers) reader.fail(8, fmt::format("at most {} goroutines, found {}", kMaxFibers, fibers));
  for (std::size_t i = 0; i < fibers; ++i) {
    tokens = reader.next_line("'fiber <id> \"<name>\"'");
    reader.expect_count(tokens, 3, "fiber <id> \"<name>\"");
    reader.expect_word(tokens[0], tf::kFiber);
    expect_sequence(reader, tokens[1], i, "goroutine");
    trace.fibers.push_back(tokens[2].value);
  }

  const std::size_t objects = header_count(reader, tf::kObjects);
  for (std::size_t i = 0; i < objects; ++i) {
    tokens = reader.next_line("'object <id> <kind> \"<name>\"'");
    reader.expect_count(tokens, 4, "object <id> <kind> \"<name>\"");
    reader.expect_word(tokens[0], tf::kObject);
    expect_sequence(reader, tokens[1], i, "object");
    trace.objects.push_back(ObjectInfo{tokens[2].value, tokens[3].value});
  }

  const std::size_t decisions = header_count(reader, tf::kDecisions);
  for (std::size_t i = 0; i < decisions; ++i) {
    tokens = reader.next_line("a 'schedule' or 'data' decision");
    if (tokens.empty()) reader.fail(1, "expected a 'schedule' or 'data' decision, found an empty line");
    Decision decision;
    if (!tokens[0].has_key && tokens[0].value == tf::kSchedule) {
      reader.expect_count(tokens, 4, "schedule step=<n> fiber=<id> runnable={…}");
      decision.kind = Decision::Kind::kSchedule;
      reader.expect_key(tokens[1], "step");
      decision.step = reader.number(tokens[1], "a step number");
      reader.expect_key(tokens[2], "fiber");
      decision.value = reader.index_below(tokens[2], fibers, "goroutine");
      reader.expect_key(tokens[3], "runnable");
      decision.options = reader.fiber_set(tokens[3], fibers);
      if ((decision.options >> decision.value & 1) == 0)
        reader.fail(tokens[2].column, "the chosen goroutine is not in the runnable set");
    } else if (!tokens[0].has_key && tokens[0].value == tf::kData) {
      reader.expect_count(tokens, 5, "data after=<n> value=<v> options=<n> label=<label>");
      decision.kind = Decision::Kind::kData;
      reader.expect_key(tokens[1], "after");
      decision.step = reader.number(tokens[1], "a step count");
      reader.expect_key(tokens[2], "value");
      decision.value = reader.number(tokens[2], "a value");
      reader.expect_key(tokens[3], "options");
      decision.options = reader.number(tokens[3], "an option count");
      if (decision.value >= decision.options)
        reader.fail(tokens[2].column, fmt::format("value {} is not below options={}", decision.value, decision.options));
      decision.label = reader.expect_key(tokens[4], "label");
    } else {
      reader.fail(tokens[0].column, fmt::format("expected 'schedule' or 'data', found '{}'", tokens[0].value));
    }
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
    const std::string& object = reader.expect_key(tokens[4], "object");
    event.object = object == tf::kNoObjectText
                       ? kNoObject
                       : ObjectId{static_cast<std::uint32_t>(reader.index_below(tokens[4], objects, "object"))};
    const auto access = parse_access_kind(reader.expect_key(tokens[5], "access"));
    if (!access) reader.fail(tokens[5].column, fmt::format("unknown access kind '{}'", tokens[5].value));
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
  const auto kind = parse_outcome_kind(tokens[1].value);
  if (!kind) reader.fail(tokens[1].column, fmt::format("unknown outcome kind '{}'", tokens[1].value));
  trace.outcome = Outcome{*kind, tokens[2].value};

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
    text = read_file(path);
  } catch (const std::runtime_error& error) {
    throw TraceError(path, 0, 0, error.what());
  }
  return parse_trace(text, path);
}

}  // namespace harness
