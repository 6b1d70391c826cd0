#include "tools/scenario/ops_parser.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>

#include <fmt/format.h>

#include "harness/trace/text_escape.hpp"

namespace interleave {
namespace {

struct Token {
  enum class Kind { kWord, kNumber, kString, kSymbol, kEnd } kind = Kind::kEnd;
  std::string text;
  std::size_t offset = 0;
  /// A '-' with white space before it and none after: in an argument list
  /// it starts the next argument, a negative one (`get-or-put 0 -1`).
  bool sign = false;
};

/// Two-character symbols, tried before single characters.
constexpr std::string_view kPairs[] = {"..", "->", ":=", "+=", "-=", "*=", "/=", "%=", "==", "!=", "<=", ">="};

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
      } else if (c == '"') {  // a string key: up to the next quote, no escapes
        const std::size_t close = text_.find('"', i + 1);
        if (close == std::string_view::npos) fail(i, "unterminated string: expected a closing '\"'");
        t.kind = Token::Kind::kString;
        t.text = std::string(text_.substr(i + 1, close - i - 1));
        i = close + 1;
      } else if (std::find(std::begin(kPairs), std::end(kPairs), text_.substr(i, 2)) != std::end(kPairs) ||
                 ((text_.substr(i, 2) == "++" || text_.substr(i, 2) == "--") && ends_statement(i + 2))) {
        // `x--` only where the statement ends: `1 --2` is still 1 - (-2).
        t.kind = Token::Kind::kSymbol;
        t.text = std::string(text_.substr(i, 2));
        i += 2;
      } else if (std::string_view("+-*/%():;.[],=<>!").find(c) != std::string_view::npos) {
        t.kind = Token::Kind::kSymbol;
        t.text = std::string(1, c);
        t.sign = c == '-' && i > 0 && std::isspace(static_cast<unsigned char>(text_[i - 1])) &&
                 i + 1 < text_.size() && !std::isspace(static_cast<unsigned char>(text_[i + 1]));
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

  /// Whether only white space, then the end or ';', follows `from`.
  bool ends_statement(std::size_t from) const {
    while (from < text_.size() && std::isspace(static_cast<unsigned char>(text_[from]))) ++from;
    return from == text_.size() || text_[from] == ';';
  }

  const Token& peek(std::size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  Token next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool at_symbol(std::string_view s) const { return peek().kind == Token::Kind::kSymbol && peek().text == s; }
  bool at_word(std::string_view w) const { return peek().kind == Token::Kind::kWord && peek().text == w; }

  [[noreturn]] void fail(std::size_t offset, const std::string& message) const {
    error_(offset, message);
    throw std::logic_error("error callback returned");  // [interleave internal bug]
  }
  static std::string shown(const Token& t) {
    if (t.kind == Token::Kind::kString) return "\"" + t.text + "\"";
    return t.kind == Token::Kind::kEnd ? "the end" : "'" + t.text + "'";
  }

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
      const std::size_t body = peek().offset;
      s = simple();
      s.deferred = true;
      if (!call_)
        fail(body, fmt::format("'defer' takes a call (a map, lock, WaitGroup, atomic or channel operation, or recover), not '{}'",
                               trimmed(text_.substr(body, peek().offset - body))));
      // Seen while writing fuzz_scenario_explore (which reports it as an
      // exception escaping a goroutine): the value would arrive only when the
      // goroutine ends, after every later read of the variable (Go has no
      // such form either).
      if (!s.bind.empty() || !s.ok_bind.empty())
        fail(start, fmt::format("a deferred operation cannot bind a variable ('-> {}'): its value would arrive only "
                                "when the goroutine ends",
                                s.bind.empty() ? s.ok_bind : s.bind));
    } else if (at_word("for")) {
      s = for_loop();
    } else {
      s = simple();
    }
    s.text = trimmed(text_.substr(start, peek().offset - start));
    return s;
  }

  static std::string trimmed(std::string_view text) {
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return std::string(text);
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
    const LoopLevel loop(*this);
    next();  // for
    Statement s;
    s.op = OpCode::kFor;
    check_not_shared(peek().text, peek().offset);
    s.loop_var = identifier("a loop variable");
    std::vector<std::string> loop_vars{s.loop_var};
    if (at_symbol(",")) {  // for k, v in range m
      next();
      check_not_shared(peek().text, peek().offset);
      s.bind = identifier("a second loop variable (the value)");
      loop_vars.push_back(s.bind);
    }
    if (!at_word("in")) fail(peek().offset, fmt::format("expected 'in', found {}", shown(peek())));
    next();
    if (at_word("range")) {
      // for v in range CHANNEL / for k[, v] in range MAP
      next();
      const Token name = peek();
      const std::string target = identifier("a channel or a map after 'range'");
      if (std::find(context_.channels.begin(), context_.channels.end(), target) != context_.channels.end()) {
        if (!s.bind.empty()) fail(name.offset, fmt::format("a channel gives one value: expected 'for {} in range {}'", s.loop_var, target));
        s.op = OpCode::kRangeChannel;
        s.target = lookup(context_.channels, target, name.offset, "channel");
      } else {
        if (std::find(context_.maps.begin(), context_.maps.end(), target) == context_.maps.end())
          fail(name.offset, fmt::format("unknown channel or map '{}' after 'range'", target));
        s.op = OpCode::kRangeMap;
        s.target = lookup(context_.maps, target, name.offset, "map");
      }
    } else {
      if (!s.bind.empty()) fail(peek().offset, "two loop variables take 'range': expected 'for k, v in range MAP:'");
      s.from = expr();
      expect_symbol("..");
      s.to = expr();
    }
    expect_symbol(":");
    const std::size_t scope = context_.variables ? context_.variables->size() : 0;
    for (const std::string& v : loop_vars) {
      if (context_.variables && v != "_") context_.variables->push_back(v);
      loop_variables_.push_back(v);
    }
    s.body.push_back(one_statement());
    while (at_symbol(";")) {
      next();
      s.body.push_back(one_statement());
    }
    loop_variables_.resize(loop_variables_.size() - loop_vars.size());
    if (context_.variables) context_.variables->resize(scope);  // the loop's own bindings end with it
    if (s.loop_var == "_") s.loop_var.clear();
    if (s.bind == "_") s.bind.clear();
    return s;
  }

  /// Counts the 'for' loops open around the statement being read.
  class LoopLevel {
   public:
    explicit LoopLevel(Parser& parser) : parser_(parser) { ++parser_.loops_; }
    ~LoopLevel() { --parser_.loops_; }
    LoopLevel(const LoopLevel&) = delete;
    LoopLevel& operator=(const LoopLevel&) = delete;

   private:
    Parser& parser_;
  };

  // ---- variables ----
  std::optional<std::size_t> shared_index(const std::string& name) const {
    for (std::size_t i = 0; i < context_.shared.size(); ++i)
      if (context_.shared[i] == name) return i;
    return std::nullopt;
  }
  /// A local or a binding may not take a shared [[var]]'s name.
  void check_not_shared(const std::string& name, std::size_t offset) const {
    if (shared_index(name))
      fail(offset, fmt::format("'{}' is a shared [[var]]: a local of that name would hide it", name));
  }

  bool declared(const std::string& name) const {
    return context_.variables == nullptr ||
           std::find(context_.variables->begin(), context_.variables->end(), name) != context_.variables->end();
  }
  void declare(const std::string& name) {
    if (context_.variables && name != "_") context_.variables->push_back(name);
  }
  /// A variable an assignment writes: declared before, and not a loop's own.
  void check_assignable(const Token& name) const {
    if (name.text == "_") return;
    if (std::find(loop_variables_.begin(), loop_variables_.end(), name.text) != loop_variables_.end())
      fail(name.offset, fmt::format("cannot assign to the loop variable '{}': the loop sets it", name.text));
    if (!declared(name.text))
      fail(name.offset, fmt::format("unknown variable '{}': declare it first, as in '{} := 0'", name.text, name.text));
  }
  /// `v := …`/`v, ok := …` declares (at least one name new, as Go asks);
  /// `=` assigns to names declared before.
  void bind_names(const Token& op, const std::vector<Token>& names) {
    for (const Token& n : names) check_not_shared(n.text, n.offset);
    if (op.text == ":=") {
      bool fresh = false;
      for (const Token& n : names) fresh |= n.text != "_" && !declared(n.text);
      if (!fresh) fail(op.offset, "no new variables on the left of ':=': use '=' to assign");
      for (const Token& n : names)
        if (std::find(loop_variables_.begin(), loop_variables_.end(), n.text) != loop_variables_.end())
          fail(n.offset, fmt::format("cannot assign to the loop variable '{}': the loop sets it", n.text));
      for (const Token& n : names)
        if (!declared(n.text)) declare(n.text);
    } else {
      for (const Token& n : names) check_assignable(n);
    }
  }
  static std::string bound(const Token& name) { return name.text == "_" ? std::string() : name.text; }

  static bool is_assignment(const Token& t) {
    static constexpr std::string_view kOps[] = {":=", "=", "+=", "-=", "*=", "/=", "%=", "++", "--", ","};
    return t.kind == Token::Kind::kSymbol && std::find(std::begin(kOps), std::end(kOps), t.text) != std::end(kOps);
  }
  static ArithOp arith_of(const std::string& op) {
    if (op == "+=" || op == "++") return ArithOp::kAdd;
    if (op == "-=" || op == "--") return ArithOp::kSub;
    if (op == "*=") return ArithOp::kMul;
    if (op == "/=") return ArithOp::kDiv;
    if (op == "%=") return ArithOp::kMod;
    return ArithOp::kSet;
  }
  static ExprPtr one() {
    auto node = std::make_shared<Expr>();
    node->value = 1;
    return node;
  }

  /// `MAP[` … `]`, the map's index returned; the key in `s.args`.
  std::size_t index_expression(Statement& s) {
    const Token map = next();
    const std::size_t target = lookup(context_.maps, map.text, map.offset, "map");
    expect_symbol("[");
    s.args.push_back(key(false));
    expect_symbol("]");
    return target;
  }

  /// A map key: a scenario's keys are all strings (map[string]int64) or all
  /// numbers, as Go's type checker wants; a variable may hold either.
  ExprPtr key(bool in_arguments) {
    const Token first = peek();
    ExprPtr k = in_arguments ? argument() : expr();
    if (k->kind != Expr::Kind::kInt) return k;
    using Keys = ParseContext::Keys;
    const Keys kind = k->string ? Keys::kStrings : Keys::kNumbers;
    const std::string text = k->string ? "\"" + context_.strings->at(static_cast<std::size_t>(k->value - 1)) + "\""
                                       : std::to_string(k->value);
    if (context_.keys == Keys::kUnknown) {
      context_.keys = kind;
      context_.first_key = text;
    } else if (context_.keys != kind) {
      fail(first.offset, kind == Keys::kStrings
                             ? fmt::format("the keys of this scenario are numbers (first: {}): a string key {} cannot "
                                           "be one of them",
                                           context_.first_key, text)
                             : fmt::format("the keys of this scenario are strings (first: {}), as in map[string]int64: "
                                           "{} is a number",
                                           context_.first_key, text));
    }
    return k;
  }

  /// A map value (or any number the scenario computes with): not a string.
  ExprPtr value(bool in_arguments) {
    const Token first = peek();
    ExprPtr v = in_arguments ? argument() : expr();
    if (v->string) fail(first.offset, "a string here: strings are map keys only, values are int64");
    return v;
  }

  /// `m[k] = v`, `m[k]++`, `m[k] op= x`.
  Statement index_statement() {
    call_ = false;
    Statement s;
    const Token map = peek();
    s.target = index_expression(s);
    const Token op = peek();
    if (op.kind == Token::Kind::kSymbol && op.text == "=") {
      next();
      s.op = OpCode::kPut;
      s.args.push_back(value(false));
      return s;
    }
    if (op.kind != Token::Kind::kSymbol || (op.text != "++" && op.text != "--" && op.text != "+=" && op.text != "-=" &&
                                            op.text != "*=" && op.text != "/=" && op.text != "%="))
      fail(op.offset, fmt::format("expected '=', '++', '--', '+=', '-=', '*=', '/=' or '%=' after '{}[…]', found {} (to read "
                                  "it, write 'v := {}[…]')",
                                  map.text, shown(op), map.text));
    if (s.target < context_.map_kinds.size() && context_.map_kinds[s.target] == "sync")
      fail(map.offset, fmt::format("'{}' is a sync.Map, which has no index expression: write 'get K -> v' then "
                                   "'put K v+1' (Load, then Store), as Go code must",
                                   map.text));
    next();
    s.op = OpCode::kUpdate;
    s.arith = arith_of(op.text);
    s.args.push_back(op.text == "++" || op.text == "--" ? one() : value(false));
    return s;
  }

  /// `x := e`, `x = e`, `x op= e`, `x++`, and the reads `v := m[k]`,
  /// `v, ok := m[k]`.
  Statement assignment() {
    call_ = false;
    std::vector<Token> names{next()};
    if (at_symbol(",")) {
      next();
      if (peek().kind != Token::Kind::kWord) fail(peek().offset, fmt::format("expected a variable name, found {}", shown(peek())));
      names.push_back(next());
    }
    const Token op = next();
    Statement s;
    const bool declares = op.text == ":=" || op.text == "=";
    if (declares && peek().kind == Token::Kind::kWord && peek(1).kind == Token::Kind::kSymbol && peek(1).text == "[") {
      // A map read: mapaccess1 (one value) or mapaccess2 (comma-ok).
      s.op = OpCode::kGet;
      s.target = index_expression(s);
      bind_names(op, names);
      s.bind = bound(names[0]);
      if (names.size() == 2) s.ok_bind = bound(names[1]);
      return s;
    }
    if (names.size() == 2)
      fail(names[1].offset, fmt::format("two variables take a map read: expected '{}, {} := MAP[KEY]'", names[0].text,
                                        names[1].text));
    if (op.kind != Token::Kind::kSymbol || !is_assignment(op) || op.text == ",")
      fail(op.offset, fmt::format("expected ':=', '=', '+=', '-=', '*=', '/=', '%=', '++' or '--' after '{}', found {}",
                                  names[0].text, shown(op)));
    if (const auto shared = shared_index(names[0].text)) {
      // A plain shared variable: x = e is one store; x op= e and x++ a load,
      // then a store (Go's INCQ on memory without LOCK reads, then writes).
      if (op.text == ":=")
        fail(op.offset, fmt::format("'{}' is a shared [[var]], declared already: assign it with '='", names[0].text));
      s.op = op.text == "=" ? OpCode::kSharedStore : OpCode::kSharedUpdate;
      s.target = *shared;
      s.arith = arith_of(op.text);
      s.args.push_back(op.text == "++" || op.text == "--" ? one() : value(false));
      return s;
    }
    s.op = OpCode::kAssign;
    s.arith = arith_of(op.text);
    s.args.push_back(op.text == "++" || op.text == "--" ? one() : expr());
    if (declares) {
      bind_names(op, names);
    } else {
      check_assignable(names[0]);
    }
    s.bind = bound(names[0]);
    return s;
  }

  /// `assert a CMP b`, `assert e` (e != 0), `assert !e` (e == 0).
  Statement assertion() {
    call_ = false;
    next();  // assert
    Statement s;
    s.op = OpCode::kAssert;
    if (peek().kind == Token::Kind::kEnd || at_symbol(";"))
      fail(peek().offset, "'assert' takes a condition, as in 'assert total == 10'");
    condition(s);
    return s;
  }

  /// `repeat: STMT; …; until COND`: Go's `for { …; if COND { break } }`
  /// (a CompareAndSwap retry loop). The body's variables are seen by COND.
  Statement repeat_loop() {
    const Nested level(*this, peek().offset);
    const LoopLevel loop(*this);
    call_ = false;
    next();  // repeat
    expect_symbol(":");
    Statement s;
    s.op = OpCode::kRepeat;
    const std::size_t scope = context_.variables ? context_.variables->size() : 0;
    for (;;) {
      if (at_word("until")) break;
      s.body.push_back(one_statement());
      if (!at_symbol(";"))
        fail(peek().offset, fmt::format("expected ';' then more of the loop, or '; until CONDITION', found {}",
                                        shown(peek())));
      next();
    }
    if (s.body.empty()) fail(peek().offset, "'repeat:' needs a statement before 'until'");
    next();  // until
    if (peek().kind == Token::Kind::kEnd || at_symbol(";"))
      fail(peek().offset, "'until' takes a condition, as in 'until ok'");
    condition(s);
    if (context_.variables) context_.variables->resize(scope);
    call_ = false;
    return s;
  }

  /// `a CMP b`, `e` (e != 0) or `!e` (e == 0), into s.args and s.compare.
  void condition(Statement& s) {
    auto zero = [] { return std::make_shared<Expr>(); };
    if (at_symbol("!")) {
      next();
      s.args = {expr(), zero()};
      s.compare = Comparison::kEq;
      return;
    }
    s.args.push_back(expr());
    static constexpr std::pair<std::string_view, Comparison> kComparisons[] = {
        {"==", Comparison::kEq}, {"!=", Comparison::kNe}, {"<", Comparison::kLt},
        {"<=", Comparison::kLe}, {">", Comparison::kGt},  {">=", Comparison::kGe}};
    for (const auto& [symbol, comparison] : kComparisons) {
      if (!at_symbol(symbol)) continue;
      next();
      s.compare = comparison;
      s.args.push_back(expr());
      return;
    }
    if (peek().kind != Token::Kind::kEnd && !at_symbol(";"))
      fail(peek().offset, fmt::format("expected ==, !=, <, <=, > or >= in the condition, found {}", shown(peek())));
    s.compare = Comparison::kNe;
    s.args.push_back(zero());
  }

  /// sync/atomic on an [[atomic]] (atomic.Int64; atomic.Pointer and
  /// atomic.Value hold a number that stands for the pointer): each call one
  /// step. `load A -> v`, `store A E`, `add A E [-> new]`, `swap A E [-> old]`,
  /// `cas A OLD NEW [-> swapped]`.
  Statement atomic_operation() {
    const Token verb = next();
    Statement s;
    s.op = verb.text == "load"    ? OpCode::kAtomicLoad
           : verb.text == "store" ? OpCode::kAtomicStore
           : verb.text == "add"   ? OpCode::kAtomicAdd
           : verb.text == "swap"  ? OpCode::kAtomicSwap
                                  : OpCode::kAtomicCas;
    const Token name = peek();
    s.target = lookup(context_.atomics, identifier("an atomic's name"), name.offset, "atomic");
    const int args = s.op == OpCode::kAtomicLoad ? 0 : s.op == OpCode::kAtomicCas ? 2 : 1;
    for (int i = 0; i < args; ++i) {
      if (peek().kind == Token::Kind::kEnd || at_symbol("->") || at_symbol(";"))
        fail(peek().offset, fmt::format("'{}' takes an atomic and {}: expected {}", verb.text,
                                        args == 2 ? "two values (old, new)" : "a value",
                                        args == 2 && i == 0 ? "the old value" : args == 2 ? "the new value" : "a value"));
      s.args.push_back(argument());
    }
    if (peek().sign)
      fail(peek().offset, fmt::format("'{}' takes {} value{}; this '-' starts another (to subtract, put a space "
                                      "after it, or none before it)",
                                      verb.text, args, args == 1 ? "" : "s"));
    if (at_symbol("->")) {
      if (s.op == OpCode::kAtomicStore) fail(peek().offset, "'store' gives no value");
      next();
      check_not_shared(peek().text, peek().offset);
      s.bind = identifier("a variable name after '->'");
      declare(s.bind);
      if (s.bind == "_") s.bind.clear();
    }
    return s;
  }

  /// `send c E` (c <- E), `recv c [-> v[, ok]]` (v, ok := <-c), `close c`.
  Statement channel_operation() {
    const Token verb = next();
    Statement s;
    s.op = verb.text == "send" ? OpCode::kSend : verb.text == "recv" ? OpCode::kReceive : OpCode::kClose;
    const Token name = peek();
    s.target = lookup(context_.channels, identifier("a channel name"), name.offset, "channel");
    if (s.op == OpCode::kSend) {
      if (peek().kind == Token::Kind::kEnd || at_symbol(";") || at_symbol("->"))
        fail(peek().offset, "'send' takes a channel and a value, as in 'send c 1'");
      s.args.push_back(argument());
      if (peek().sign)
        fail(peek().offset, "'send' takes one value; this '-' starts another (to subtract, put a space after it, or "
                            "none before it)");
    }
    if (at_symbol("->")) {
      if (s.op != OpCode::kReceive) fail(peek().offset, fmt::format("'{}' gives no value", verb.text));
      next();
      check_not_shared(peek().text, peek().offset);
      s.bind = identifier("a variable name after '->'");
      if (at_symbol(",")) {
        next();
        check_not_shared(peek().text, peek().offset);
        s.ok_bind = identifier("a second variable name (ok) after ','");
      }
      declare(s.bind);
      if (!s.ok_bind.empty()) declare(s.ok_bind);
      if (s.bind == "_") s.bind.clear();
      if (s.ok_bind == "_") s.ok_bind.clear();
    }
    return s;
  }

  /// `go NAME`: [main] starts a declared goroutine, once.
  Statement go_statement() {
    call_ = false;
    const Token go = next();
    if (!context_.in_main)
      fail(go.offset, "'go' starts a goroutine from [main]: without a [main] table every [[goroutine]] starts at once");
    if (loops_ > 0) fail(go.offset, "'go' inside a loop: each [[goroutine]] is started once, by one 'go'");
    Statement s;
    s.op = OpCode::kGo;
    const Token name = peek();
    s.target = lookup(context_.goroutines, identifier("a goroutine name"), name.offset, "goroutine");
    return s;
  }

  Statement simple() {
    call_ = true;
    const Token first = peek();
    if (first.kind != Token::Kind::kWord)
      fail(first.offset, fmt::format("expected an operation ({}), found {}", known_operations(), shown(first)));
    if (is_assignment(peek(1))) return assignment();
    if (peek(1).kind == Token::Kind::kSymbol && peek(1).text == "[") return index_statement();
    if (first.text == "assert") return assertion();
    if (first.text == "go") return go_statement();
    if (first.text == "repeat") return repeat_loop();
    Statement s;
    const bool atomic_add = first.text == "add" && peek(1).kind == Token::Kind::kWord &&
                            std::find(context_.atomics.begin(), context_.atomics.end(), peek(1).text) !=
                                context_.atomics.end();
    if (!atomic_add && (first.text == "add" || first.text == "done" || first.text == "wait")) {
      next();
      s.op = first.text == "add" ? OpCode::kWgAdd : first.text == "done" ? OpCode::kWgDone : OpCode::kWgWait;
      const Token name = peek();
      const std::string group = identifier("a WaitGroup name");
      s.target = lookup(context_.waitgroups, group, name.offset, "waitgroup");
      if (s.op == OpCode::kWgAdd) {
        if (peek().kind == Token::Kind::kEnd || at_symbol(";"))
          fail(peek().offset, "'add' takes a WaitGroup and a number, as in 'add wg 2'");
        s.args.push_back(argument());
      }
      return s;
    }
    if (first.text == "load" || first.text == "store" || first.text == "add" || first.text == "swap" ||
        first.text == "cas")
      return atomic_operation();
    if (first.text == "send" || first.text == "recv" || first.text == "close") return channel_operation();
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
      s.args.push_back(i == 0 ? key(true) : value(true));
    }
    if (peek().sign)
      fail(peek().offset, fmt::format("'{}' takes {} argument{}; this '-' starts another (to subtract, put a space "
                                      "after it, or none before it)",
                                      name, shape->args, shape->args == 1 ? "" : "s"));
    if (shape->binds && at_symbol("->")) {
      next();
      check_not_shared(peek().text, peek().offset);
      s.bind = identifier("a variable name after '->'");
      if (at_symbol(",")) {
        const Token comma = next();
        if (s.op == OpCode::kLen) fail(comma.offset, "'len' gives one value: expected 'len -> n'");
        check_not_shared(peek().text, peek().offset);
        s.ok_bind = identifier("a second variable name (ok) after ','");
      }
      declare(s.bind);
      if (!s.ok_bind.empty()) declare(s.ok_bind);
      if (s.bind == "_") s.bind.clear();
      if (s.ok_bind == "_") s.ok_bind.clear();
    }
    return s;
  }

  /// One argument of an operation: a '-' that starts a new argument ends it.
  ExprPtr argument() {
    arguments_ = true;
    ExprPtr e = expr();
    arguments_ = false;
    return e;
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
    if (lhs->string || (rhs && rhs->string)) fail(offset, "strings take no arithmetic: they are map keys only");
    const bool constant = lhs->kind == Expr::Kind::kInt && (!rhs || rhs->kind == Expr::Kind::kInt);
    auto node = std::make_shared<Expr>();
    if (constant) {
      std::int64_t value = 0;
      bool overflow = false;
      switch (kind) {
        case Expr::Kind::kAdd: overflow = __builtin_add_overflow(lhs->value, rhs->value, &value); break;
        case Expr::Kind::kSub: overflow = __builtin_sub_overflow(lhs->value, rhs->value, &value); break;
        case Expr::Kind::kMul: overflow = __builtin_mul_overflow(lhs->value, rhs->value, &value); break;
        case Expr::Kind::kDiv:
        case Expr::Kind::kMod:
          if (rhs->value == 0) fail(offset, "invalid operation: division by zero");  // Go's compiler says so too
          if (rhs->value == -1) {
            // INT64_MIN / -1 is 2^63, which overflows as Go's exact constants
            // do (and is undefined in C++); any remainder by -1 is 0.
            if (kind == Expr::Kind::kMod) value = 0;
            else overflow = __builtin_sub_overflow(std::int64_t{0}, lhs->value, &value);
          } else {
            value = kind == Expr::Kind::kDiv ? lhs->value / rhs->value : lhs->value % rhs->value;
          }
          break;
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
    while (at_symbol("+") || (at_symbol("-") && !(arguments_ && peek().sign))) {
      const Token op = next();
      ExprPtr right = term();
      left = operation(op.text == "+" ? Expr::Kind::kAdd : Expr::Kind::kSub, std::move(left), std::move(right),
                       op.offset);
    }
    return left;
  }
  ExprPtr term() {
    ExprPtr left = factor();
    while (at_symbol("*") || at_symbol("/") || at_symbol("%")) {
      const Token op = next();
      ExprPtr right = factor();
      left = operation(op.text == "*"   ? Expr::Kind::kMul
                       : op.text == "/" ? Expr::Kind::kDiv
                                        : Expr::Kind::kMod,
                       std::move(left), std::move(right), op.offset);
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
    if (t.kind == Token::Kind::kString) {
      next();
      if (context_.strings == nullptr) fail(t.offset, "a string here: strings are map keys only");
      auto node = std::make_shared<Expr>();
      node->string = true;
      auto known = std::find(context_.strings->begin(), context_.strings->end(), t.text);
      if (known == context_.strings->end()) known = context_.strings->insert(context_.strings->end(), t.text);
      node->value = static_cast<std::int64_t>(known - context_.strings->begin()) + 1;
      return node;
    }
    if (t.kind == Token::Kind::kWord) {
      next();
      if (const auto shared = shared_index(t.text)) {  // each read of a shared [[var]] is a step
        auto node = std::make_shared<Expr>();
        node->kind = Expr::Kind::kShared;
        node->value = static_cast<std::int64_t>(*shared);
        node->var = t.text;
        return node;
      }
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
      const bool arguments = std::exchange(arguments_, false);  // inside parentheses '-' subtracts
      ExprPtr inner = expr();
      arguments_ = arguments;
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
  std::size_t loops_ = 0;    ///< 'for' loops open
  std::vector<std::string> loop_variables_;  ///< of the loops open: not assignable
  bool arguments_ = false;   ///< reading an operation's argument: a sign '-' ends it
  bool call_ = true;         ///< the statement just read is a call (it may be deferred)
};

}  // namespace

Statement parse_statement(std::string_view text, ParseContext& context,
                          const std::function<void(std::size_t, const std::string&)>& error) {
  return Parser(text, context, error).statement();
}

std::string known_operations() {
  return "put, get, delete, len, range, clear, get-or-put, get-and-delete, lock, unlock, rlock, runlock, add, done, "
         "wait, load, store, swap, cas, send, recv, close, recover, go, assert, defer …, for … in …, repeat: … until …, m[k] = v, m[k]++, m[k] += x, v, ok := m[k], x := e, x += e";
}

}  // namespace interleave
