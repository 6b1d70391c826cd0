// fuzz_scenario_parse: scenario text -> parse_scenario.
//
// Properties: parsing any text ends in a Scenario or a ScenarioError (any
// other exception escapes and is a crash, as are sanitizer reports, hangs
// and unbounded allocation, which libFuzzer's -timeout and -rss_limit_mb
// catch); an error names the file; and a scenario that parses is one the
// interpreter (tools/scenario/program.cpp) can run without further checks:
// 1..32 goroutines, every map, mutex, WaitGroup, atomic, channel and
// goroutine index in range, rlock/runlock only on an rwmutex, each operation
// with its number of arguments.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "fuzz/support.hpp"
#include "tools/scenario/program.hpp"
#include "tools/scenario/scenario.hpp"

namespace {

using interleave::OpCode;
using interleave::Scenario;
using interleave::Statement;

std::size_t argument_count(OpCode op) {
  switch (op) {
    case OpCode::kPut:
    case OpCode::kGetOrPut:
    case OpCode::kUpdate:
    case OpCode::kAtomicCas:
    case OpCode::kAssert:
    case OpCode::kRepeat: return 2;
    case OpCode::kGet:
    case OpCode::kDelete:
    case OpCode::kGetAndDelete:
    case OpCode::kWgAdd:
    case OpCode::kAtomicStore:
    case OpCode::kAtomicAdd:
    case OpCode::kAtomicSwap:
    case OpCode::kSend:
    case OpCode::kSharedStore:
    case OpCode::kSharedUpdate:
    case OpCode::kAssign: return 1;
    default: return 0;
  }
}

void check_statements(const std::vector<Statement>& statements, const Scenario& s, std::string_view text) {
  for (const Statement& st : statements) {
    auto where = [&] { return fmt::format("statement '{}' of\n{}", st.text, text); };
    switch (st.op) {
      case OpCode::kFor:
        fuzz::require(st.from != nullptr && st.to != nullptr && !st.body.empty() && !st.deferred,
                      "a parsed for loop has bounds and a body, and is not deferred", where);
        check_statements(st.body, s, text);
        continue;
      case OpCode::kLock:
      case OpCode::kUnlock:
        fuzz::require(st.target < s.mutexes.size(), "a parsed lock names a declared mutex", where);
        break;
      case OpCode::kRLock:
      case OpCode::kRUnlock:
        fuzz::require(st.target < s.mutexes.size() && s.mutexes[st.target].rw,
                      "a parsed rlock/runlock names a declared rwmutex", where);
        break;
      case OpCode::kRepeat:
        fuzz::require(!st.body.empty() && !st.deferred, "a parsed repeat loop has a body, and is not deferred", where);
        check_statements(st.body, s, text);
        break;
      case OpCode::kRangeChannel:
      case OpCode::kRangeMap:
        fuzz::require(!st.body.empty() && !st.deferred, "a parsed range loop has a body, and is not deferred", where);
        fuzz::require(st.target < (st.op == OpCode::kRangeMap ? s.maps.size() : s.channels.size()),
                      "a parsed range loop names a declared map or channel", where);
        check_statements(st.body, s, text);
        continue;
      case OpCode::kWgAdd:
      case OpCode::kWgDone:
      case OpCode::kWgWait:
        fuzz::require(st.target < s.waitgroups.size(), "a parsed WaitGroup operation names a declared one", where);
        break;
      case OpCode::kAtomicLoad:
      case OpCode::kAtomicStore:
      case OpCode::kAtomicAdd:
      case OpCode::kAtomicSwap:
      case OpCode::kAtomicCas:
        fuzz::require(st.target < s.atomics.size(), "a parsed atomic operation names a declared atomic", where);
        break;
      case OpCode::kSend:
      case OpCode::kReceive:
      case OpCode::kClose:
        fuzz::require(st.target < s.channels.size(), "a parsed channel operation names a declared channel", where);
        break;
      case OpCode::kGo:
        fuzz::require(st.target < s.goroutines.size() && !st.deferred, "a parsed go names a declared goroutine", where);
        break;
      case OpCode::kSharedStore:
      case OpCode::kSharedUpdate:
        fuzz::require(st.target < s.shared.size(), "a parsed shared-variable write names a declared [[var]]", where);
        break;
      case OpCode::kAssign:
      case OpCode::kAssert:
      case OpCode::kRecover: break;
      default: fuzz::require(st.target < s.maps.size(), "a parsed map operation names a declared map", where);
    }
    fuzz::require(st.args.size() == argument_count(st.op), "a parsed operation has its number of arguments", where);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Scenario scenario;
  try {
    scenario = interleave::parse_scenario(text, "fuzz.toml");
  } catch (const interleave::ScenarioError& error) {
    fuzz::require(std::string_view(error.what()).starts_with("fuzz.toml"), "a scenario error names the file",
                  [&] { return std::string(error.what()); });
    return 0;  // a mistake in the input, reported as such: fine
  }
  fuzz::require(scenario.goroutines.size() >= 1 && scenario.goroutines.size() <= 32,
                "a parsed scenario has 1 to 32 goroutines", [&] { return std::string(text); });
  fuzz::require(scenario.content_hash == interleave::content_hash(text), "the content hash is of the text",
                [&] { return std::string(text); });
  for (const interleave::MapDecl& map : scenario.maps) check_statements(map.initial, scenario, text);
  for (const interleave::GoroutineDecl& g : scenario.goroutines) check_statements(g.ops, scenario, text);
  if (scenario.main) check_statements(scenario.main->ops, scenario, text);
  (void)interleave::make_program(scenario, 10000);  // builds nothing until run: must not throw
  return 0;
}
