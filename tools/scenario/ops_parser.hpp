// The small operation language inside scenario files:
//
//   stmt   := ['defer'] simple
//           | 'for' VAR 'in' expr '..' expr ':' stmt {';' stmt}
//   simple := [MAP '.'] mapop | lockop NAME | 'recover'
//   mapop  := 'put' expr expr | 'get' expr ['->' VAR] | 'delete' expr | 'len' ['->' VAR]
//           | 'range' | 'clear' | 'get-or-put' expr expr | 'get-and-delete' expr ['->' VAR]
//   lockop := 'lock' | 'unlock' | 'rlock' | 'runlock'
//   expr   := term {('+'|'-') term};  term := factor {'*' factor}
//   factor := INTEGER | VAR | '(' expr ')' | '-' factor
//
// `a..b` counts from a up to b-1. Errors point at the column of the token.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/scenario/scenario.hpp"

namespace interleave {

/// Names the parser resolves: maps and mutexes declared by the scenario.
struct ParseContext {
  std::vector<std::string> maps;     ///< index = map index
  std::vector<std::string> mutexes;  ///< index = mutex index
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
