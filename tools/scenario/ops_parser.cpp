#include "tools/scenario/ops_parser.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "harness/trace/text_escape.hpp"

namespace interleave {
namespace {

struct Token {
  enum class Kind { kWord, kNumber, kSymbol, kEnd } kind = Kind::kEnd;
  std::string text;
  std::size_t offset = 0;
};

class Parser {
 public:
  Parser(std::string_view text, ParseContext& context,
         const std::function<void(std::size_t, const std::string&)>& error)
      : text_(text), context_(context), error_(error) {
    tokenize();
  }

  Statement statement() {
    Statement s = one_statement();
    expect_end();
    return s;
  }

 private:
  // ---- tokens ----
  void tokenize() {
    std::size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      Token t;
      t.offset = i;
      if (std::isdigit(static_cast<unsigned char>(c))) {
        t.kind = Token::Kind::kNumber;
        while (i < text_.size() && std::isalnum(static_cast<unsigned char>(text_[i]))) t.text += text_[i++];
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        t.kind = Token::Kind::kWord;
        // Words may contain '-' (get-or-put) but not end with it.
        while (i < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[i])) || text_[i] == '_' ||
                                    (text_[i] == '-' && i + 1 < text_.size() &&
                                     std::isalpha(static_cast<unsigned char>(text_[i + 1])))))
          t.text += text_[i++];
      } else if (text_.substr(i, 2) == ".." || text_.substr(i, 2) == "->") {
        t.kind = Token::Kind::kSymbol;
        t.text = std::string(text_.substr(i, 2));
        i += 2;
      } else if (std::string_view("+-*():;.").find(c) != std::string_view::npos) {
        t.kind = Token::Kind::kSymbol;
        t.text = std::string(1, c);
        ++i;
      } else {
        // The whole character, even if it is not ASCII.
        const std::size_t length = std::max<std::size_t>(1, harness::trace_text::utf8_length(text_, i));
        fail(i, fmt::format("unexpected character '{}'", harness::trace_text::shown(text_.substr(i, length))));
      }
      tokens_.push_back(std::move(t));
    }
    Token end;
    end.offset = text_.size();
    tokens_.push_back(end);
  }

  const Token& peek(std::size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  Token next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool at_symbol(std::string_view s) const { return peek().kind == Token::Kind::kSymbol && peek().text == s; }
  bool at_word(std::string_view w) const { return peek().kind == Token::Kind::kWord && peek().text == w; }

  [[noreturn]] void fail(std::size_t offset, const std::string& message) const {
    error_(offset, message);
    throw std::logic_error("error callback returned");  // [interleave internal bug]
  }
  static std::string shown(const Token& t) { return t.kind == Token::Kind::kEnd ? "the end" : "'" + t.text + "'"; }

  void expect_symbol(std::string_view s) {
    if (!at_symbol(s)) fail(peek().offset, fmt::format("expected '{}', found {}", s, shown(peek())));
    next();
  }
  void expect_end() {
    if (peek().kind != Token::Kind::kEnd)
      fail(peek().offset, fmt::format("expected the end of the operation, found {}", shown(peek())));
  }
  std::string identifier(const char* what) {
    if (peek().kind != Token::Kind::kWord) fail(peek().offset, fmt::format("expected {}, found {}", what, shown(peek())));
    return next().text;
  }

  // ---- statements ----
  Statement one_statement() {
    const std::size_t start = peek().offset;
    Statement s;
    if (at_word("defer")) {
      next();
      s = simple();
      s.deferred = true;
      // Seen while writing fuzz_scenario_explore (which reports it as an
      // exception escaping a goroutine): the value would arrive only when the
      // goroutine ends, after every later read of the variable (Go has no
      // such form either).
      if (!s.bind.empty())
        fail(start, fmt::format("a deferred operation cannot bind a variable ('-> {}'): its value would arrive only "
                                "when the goroutine ends",
                                s.bind));
    } else if (at_word("for")) {
      s = for_loop();
    } else {
      s = simple();
    }
    s.text = std::string(text_.substr(start, peek().offset - start));
    while (!s.text.empty() && s.text.back() == ' ') s.text.pop_back();
    return s;
  }

  /// Counts one level of nesting ('for', parentheses, unary '-') while it
  /// lives: the parser and the interpreter recurse once per level.
  class Nested {
   public:
    Nested(Parser& parser, std::size_t offset) : parser_(parser) {
      if (++parser_.nesting_ > kMaxNesting)
        parser_.fail(offset, fmt::format("nested too deeply: at most {} levels of 'for', parentheses and '-' in all",
                                         kMaxNesting));
    }
    ~Nested() { --parser_.nesting_; }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;

   private:
    Parser& parser_;
  };

  Statement for_loop() {
    const Nested level(*this, peek().offset);
    next();  // for
    Statement s;
    s.op = OpCode::kFor;
    s.loop_var = identifier("a loop variable");
    if (!at_word("in")) fail(peek().offset, fmt::format("expected 'in', found {}", shown(peek())));
    next();
    s.from = expr();
    expect_symbol("..");
    s.to = expr();
    expect_symbol(":");
    const std::size_t scope = context_.variables ? context_.variables->size() : 0;
    if (context_.variables) context_.variables->push_back(s.loop_var);
    s.body.push_back(one_statement());
    while (at_symbol(";")) {
      next();
      s.body.push_back(one_statement());
    }
    if (context_.variables) context_.variables->resize(scope);  // the loop's own bindings end with it
    return s;
  }

  Statement simple() {
    const Token first = peek();
    if (first.kind != Token::Kind::kWord)
      fail(first.offset, fmt::format("expected an operation ({}), found {}", known_operations(), shown(first)));
    Statement s;
    if (first.text == "lock" || first.text == "unlock" || first.text == "rlock" || first.text == "runlock") {
      next();
      s.op = first.text == "lock"     ? OpCode::kLock
             : first.text == "unlock" ? OpCode::kUnlock
             : first.text == "rlock"  ? OpCode::kRLock
                                      : OpCode::kRUnlock;
      const Token name = peek();
      const std::string mutex = identifier("a mutex name");
      s.target = lookup(context_.mutexes, mutex, name.offset, "mutex");
      return s;
    }
    if (first.text == "recover") {
      next();
      s.op = OpCode::kRecover;
      return s;
    }
    // [MAP '.'] mapop
    if (peek(1).kind == Token::Kind::kSymbol && peek(1).text == ".") {
      s.target = lookup(context_.maps, first.text, first.offset, "map");
      next();
      next();
    } else if (context_.maps.size() > 1) {
      fail(first.offset, fmt::format("this scenario has several maps: name one, as in '{}.{}'", context_.maps[0],
                                     first.text));
    } else if (context_.maps.empty()) {
      // Found by fuzz_scenario_parse: the interpreter would look up map 0.
      fail(first.offset, fmt::format("'{}' is a map operation, but the scenario declares no map: add a [map] table",
                                     first.text));
    }
    const Token op = peek();
    const std::string name = identifier("a map operation");
    struct Shape {
      const char* name;
      OpCode code;
      int args;
      bool binds;
    };
    static constexpr Shape kShapes[] = {
        {"put", OpCode::kPut, 2, false},       {"get", OpCode::kGet, 1, true},
        {"delete", OpCode::kDelete, 1, false}, {"len", OpCode::kLen, 0, true},
        {"range", OpCode::kRange, 0, false},   {"clear", OpCode::kClear, 0, false},
        {"get-or-put", OpCode::kGetOrPut, 2, true}, {"get-and-delete", OpCode::kGetAndDelete, 1, true},
    };
    const Shape* shape = nullptr;
    for (const Shape& candidate : kShapes)
      if (name == candidate.name) shape = &candidate;
    if (shape == nullptr)
      fail(op.offset, fmt::format("unknown operation '{}': expected one of {}", name, known_operations()));
    s.op = shape->code;
    for (int i = 0; i < shape->args; ++i) {
      if (peek().kind == Token::Kind::kEnd || at_symbol("->") || at_symbol(";"))
        fail(peek().offset, fmt::format("'{}' takes {} argument{}: expected {}", name, shape->args,
                                        shape->args == 1 ? "" : "s", i == 0 ? "a key" : "a value"));
      s.args.push_back(expr());
    }
    if (shape->binds && at_symbol("->")) {
      next();
      s.bind = identifier("a variable name after '->'");
      if (context_.variables) context_.variables->push_back(s.bind);
    }
    return s;
  }

  std::size_t lookup(const std::vector<std::string>& names, const std::string& name, std::size_t offset,
                     const char* what) const {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return i;
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    fail(offset, fmt::format("unknown {} '{}': {}", what, name,
                             known.empty() ? fmt::format("the scenario declares no {}", what)
                                           : fmt::format("expected one of {}", known)));
  }

  // ---- expressions ----
  static constexpr const char* kInt64Range = "Go's int64 holds -9223372036854775808 to 9223372036854775807";

  /// A node for `lhs op rhs` (rhs null for '-'): computed now when the
  /// operands are constants, refused if that overflows (as Go's compiler
  /// does); the tree may not grow deeper than kMaxExpressionDepth.
  ExprPtr operation(Expr::Kind kind, ExprPtr lhs, ExprPtr rhs, std::size_t offset) {
    const bool constant = lhs->kind == Expr::Kind::kInt && (!rhs || rhs->kind == Expr::Kind::kInt);
    auto node = std::make_shared<Expr>();
    if (constant) {
      std::int64_t value = 0;
      bool overflow = false;
      switch (kind) {
        case Expr::Kind::kAdd: overflow = __builtin_add_overflow(lhs->value, rhs->value, &value); break;
        case Expr::Kind::kSub: overflow = __builtin_sub_overflow(lhs->value, rhs->value, &value); break;
        case Expr::Kind::kMul: overflow = __builtin_mul_overflow(lhs->value, rhs->value, &value); break;
        case Expr::Kind::kNeg: overflow = __builtin_sub_overflow(std::int64_t{0}, lhs->value, &value); break;
        default: break;
      }
      if (overflow) fail(offset, fmt::format("constant expression overflows int64: {}", kInt64Range));
      node->value = value;
      return node;
    }
    node->kind = kind;
    node->depth = 1 + std::max(lhs->depth, rhs ? rhs->depth : 0);
    if (node->depth > kMaxExpressionDepth)
      fail(offset, fmt::format("expression too deep: at most {} operations nested", kMaxExpressionDepth));
    node->lhs = std::move(lhs);
    node->rhs = std::move(rhs);
    return node;
  }

  ExprPtr expr() {
    ExprPtr left = term();
    while (at_symbol("+") || at_symbol("-")) {
      const Token op = next();
      ExprPtr right = term();
      left = operation(op.text == "+" ? Expr::Kind::kAdd : Expr::Kind::kSub, std::move(left), std::move(right),
                       op.offset);
    }
    return left;
  }
  ExprPtr term() {
    ExprPtr left = factor();
    while (at_symbol("*")) {
      const Token op = next();
      ExprPtr right = factor();
      left = operation(Expr::Kind::kMul, std::move(left), std::move(right), op.offset);
    }
    return left;
  }
  /// An integer constant; `negative` when a '-' comes right before it, so
  /// that -9223372036854775808 can be written.
  ExprPtr number(const Token& t, bool negative) {
    std::uint64_t magnitude = 0;
    auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), magnitude);
    const bool digits = t.text.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || ptr != t.text.data() + t.text.size() || (ec != std::errc{} && ec != std::errc::result_out_of_range))
      fail(t.offset, fmt::format("bad number '{}': expected a whole number", t.text));
    constexpr std::uint64_t kMin = std::uint64_t{1} << 63;  // the magnitude of INT64_MIN
    if (ec == std::errc::result_out_of_range || magnitude > kMin || (!negative && magnitude == kMin))
      fail(t.offset, fmt::format("integer constant '{}{}' overflows int64: {}", negative ? "-" : "", t.text,
                                 kInt64Range));
    auto node = std::make_shared<Expr>();
    // Two's complement: the negation of kMin is INT64_MIN itself.
    node->value = negative ? static_cast<std::int64_t>(std::uint64_t{0} - magnitude) : static_cast<std::int64_t>(magnitude);
    return node;
  }
  ExprPtr factor() {
    const Token t = peek();
    if (t.kind == Token::Kind::kNumber) {
      next();
      return number(t, false);
    }
    if (t.kind == Token::Kind::kWord) {
      next();
      if (context_.variables &&
          std::find(context_.variables->begin(), context_.variables->end(), t.text) == context_.variables->end())
        fail(t.offset, fmt::format("unknown variable '{}': expected a number, a loop variable, or a variable bound "
                                   "earlier with '-> {}'",
                                   t.text, t.text));
      auto node = std::make_shared<Expr>();
      node->kind = Expr::Kind::kVar;
      node->var = t.text;
      return node;
    }
    if (at_symbol("(")) {
      const Nested level(*this, t.offset);
      next();
      ExprPtr inner = expr();
      expect_symbol(")");
      return inner;
    }
    if (at_symbol("-")) {
      const Nested level(*this, t.offset);
      next();
      if (peek().kind == Token::Kind::kNumber) return number(next(), true);
      return operation(Expr::Kind::kNeg, factor(), nullptr, t.offset);
    }
    fail(t.offset, fmt::format("expected a number or a variable, found {}", shown(t)));
  }

  std::string_view text_;
  ParseContext& context_;
  const std::function<void(std::size_t, const std::string&)>& error_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::size_t nesting_ = 0;  ///< levels of 'for', parentheses and '-' open
};

}  // namespace

Statement parse_statement(std::string_view text, ParseContext& context,
                          const std::function<void(std::size_t, const std::string&)>& error) {
  return Parser(text, context, error).statement();
}

std::string known_operations() {
  return "put, get, delete, len, range, clear, get-or-put, get-and-delete, lock, unlock, rlock, runlock, recover, "
         "defer …, for … in …";
}

}  // namespace interleave
