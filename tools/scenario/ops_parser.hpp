// The small operation language inside scenario files:
//
//   stmt   := ['defer'] call
//           | 'for' VAR 'in' expr '..' expr ':' stmt {';' stmt}
//           | MAP '[' expr ']' ('=' expr | '++' | '--' | ('+='|'-='|'*='|'/='|'%=') expr)
//           | VAR [',' VAR] (':='|'=') MAP '[' expr ']'      (the comma-ok form needs two)
//           | VAR (':='|'='|'+='|'-='|'*='|'/='|'%=') expr | VAR ('++'|'--')   (a [[var]]: no ':=')
//           | 'assert' (expr [CMP expr] | '!' expr)       CMP := '=='|'!='|'<'|'<='|'>'|'>='
//           | 'go' GOROUTINE                               ([main] only, not in a loop)
//           | 'repeat' ':' stmt {';' stmt} ';' 'until' COND  (COND as assert's)
//   call   := [MAP '.'] mapop | lockop MUTEX | wgop | atomicop | chanop | 'recover'
//   mapop  := 'put' arg arg | 'get' arg [binds] | 'delete' arg | 'len' ['->' VAR]
//           | 'range' | 'clear' | 'get-or-put' arg arg [binds] | 'get-and-delete' arg [binds]
//   binds  := '->' VAR [',' VAR]
//   lockop := 'lock' | 'unlock' | 'rlock' | 'runlock'
//   wgop   := 'add' WAITGROUP arg | 'done' WAITGROUP | 'wait' WAITGROUP
//   atomicop := 'load' ATOMIC ['->' VAR] | 'store' ATOMIC arg | ('add'|'swap') ATOMIC arg ['->' VAR]
//             | 'cas' ATOMIC arg arg ['->' VAR]
//   chanop := 'send' CHANNEL arg | 'recv' CHANNEL [binds] | 'close' CHANNEL
//   arg    := expr, in which a '-' with a space before it and none after
//             starts the next argument (`put 0 -1` is two arguments)
//   expr   := term {('+'|'-') term};  term := factor {('*'|'/'|'%') factor}
//   factor := INTEGER | STRING | VAR | '(' expr ')' | '-' factor     (STRING: "…", a key)
//
// `a..b` counts from a up to b-1. `_` receives a value and drops it. Errors
// point at the column of the token.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/scenario/scenario.hpp"

namespace interleave {

/// Names the parser resolves: maps and mutexes declared by the scenario.
struct ParseContext {
  std::vector<std::string> maps;        ///< index = map index
  std::vector<std::string> map_kinds;   ///< index = map index
  std::vector<std::string> mutexes;     ///< index = mutex index
  std::vector<std::string> waitgroups;  ///< index = WaitGroup index
  std::vector<std::string> atomics;     ///< index = atomic index
  std::vector<std::string> channels;    ///< index = channel index
  std::vector<std::string> shared;      ///< [[var]] names, index = shared variable index
  std::vector<std::string> goroutines;  ///< index = goroutine index ([[goroutine]] order)
  bool in_main = false;                 ///< parsing [main]: `go` is allowed
  /// String literals seen so far (numbered from 1, in order); null: none allowed.
  std::vector<std::string>* strings = nullptr;
  /// What the scenario's map keys are so far, for "all strings or all numbers".
  enum class Keys { kUnknown, kNumbers, kStrings } keys = Keys::kUnknown;
  std::string first_key;  ///< the key that decided `keys`, for messages
  /// Variables in scope: bound earlier in the goroutine (`-> v`); the parser
  /// adds new bindings and checks every variable it reads against it.
  std::vector<std::string>* variables = nullptr;
};

/// Parses one statement. On a mistake calls `error(offset, message)` with the
/// byte offset in `text`, which must throw.
Statement parse_statement(std::string_view text, ParseContext& context,
                          const std::function<void(std::size_t, const std::string&)>& error);

/// The operation names, for "expected one of" messages.
std::string known_operations();

}  // namespace interleave
