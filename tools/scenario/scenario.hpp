// A scenario: one race story as a scenario file tells it (see
// docs/scenario_format.md). Parsed by schema.cpp, run by program.cpp,
// judged by expectation.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "maps/registry.hpp"

namespace interleave {

/// Where something is in a scenario file (1-based).
struct SourceLocation {
  std::size_t line = 0;
  std::size_t column = 0;
};

/// A mistake in a scenario file: printed as file:line:col: message, exit 2.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(const std::string& file, SourceLocation where, const std::string& message);
};

// ---- The operation language ----

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;
/// Arithmetic is Go's on int64: constant expressions are computed when the
/// file is read and refused if they overflow or divide by zero; at run time,
/// +, - and * on variables wrap around (two's complement), / and % truncate
/// toward zero, and a division by zero panics, as Go's do. No shifts.
struct Expr {
  enum class Kind { kInt, kVar, kShared, kAdd, kSub, kMul, kDiv, kMod, kNeg } kind = Kind::kInt;
  std::int64_t value = 0;  ///< kInt: the number; kShared: the [[var]]'s index
  std::string var;
  ExprPtr lhs, rhs;
  std::size_t depth = 1;  ///< of the tree below (a leaf: 1); bounded by kMaxExpressionDepth
  bool string = false;    ///< kInt: a string literal, `value` its number (Scenario::strings)
};

/// Limits that keep parsing and running a scenario within a small stack:
/// 'for' loops, parentheses and unary '-' nest at most kMaxNesting deep (all
/// together), an expression tree is at most kMaxExpressionDepth deep (so
/// `i+i+…+i` has at most that many terms), and the TOML structure (tables,
/// arrays, dotted keys) at most kMaxTomlNesting deep.
inline constexpr std::size_t kMaxNesting = 32;
inline constexpr std::size_t kMaxExpressionDepth = 100;
inline constexpr std::size_t kMaxTomlNesting = 64;
/// The largest scenario file read.
inline constexpr std::size_t kMaxScenarioFileBytes = std::size_t{1} << 20;
/// The largest --max-steps (and [explore] max_steps): a step-bound trace of
/// that many steps stays well below the largest trace file read (256 MiB).
inline constexpr std::uint64_t kMaxMaxSteps = 1'000'000;

enum class OpCode {
  kPut, kGet, kDelete, kLen, kRange, kClear, kGetOrPut, kGetAndDelete,  // map operations
  kUpdate,                                                              // m[K] op= E, m[K]++
  kLock, kUnlock, kRLock, kRUnlock,                                     // mutex operations
  kWgAdd, kWgDone, kWgWait,                                             // sync.WaitGroup
  kAtomicLoad, kAtomicStore, kAtomicAdd, kAtomicSwap, kAtomicCas,       // sync/atomic
  kSend, kReceive, kClose,                                              // channels
  kSharedStore, kSharedUpdate,                                          // [[var]]: x = E, x op= E, x++
  kGo,                                                                  // go NAME ([main] only)
  kRecover,                                                             // recover()
  kAssign,                                                              // VAR := E, VAR op= E, VAR++
  kAssert,                                                              // assert E [CMP E]
  kFor,                                                                 // for VAR in A..B: …
  kRepeat,                                                              // repeat: …; until COND
  kRangeChannel,                                                        // for v in range CH: …
  kRangeMap,                                                            // for k, v in range M: …
};

/// The arithmetic of `x op= e` and `m[k] op= e` (`x = e` is kSet).
enum class ArithOp { kSet, kAdd, kSub, kMul, kDiv, kMod };
/// The comparison of `assert a CMP b` (`assert e` is `e != 0`).
enum class Comparison { kEq, kNe, kLt, kLe, kGt, kGe };

struct Statement {
  OpCode op = OpCode::kPut;
  bool deferred = false;        ///< `defer …`: runs when the goroutine exits, last first
  std::size_t target = 0;       ///< map index; mutex, WaitGroup or goroutine index for theirs
  std::vector<ExprPtr> args;    ///< key, value; kAssign: the value; kAssert: both sides
  std::string bind;             ///< `get K -> v`, `v := …`: the variable receiving the value (0 when absent)
  std::string ok_bind;          ///< `get K -> v, ok`: receives 1 when the key was there, else 0
  ArithOp arith = ArithOp::kSet;       ///< kUpdate, kAssign
  Comparison compare = Comparison::kNe;  ///< kAssert
  std::string loop_var;         ///< kFor, kRange*; kRangeMap's value variable is `bind` (empty: none, or `_`)
  ExprPtr from, to;             ///< kFor: from <= var < to
  std::vector<Statement> body;  ///< kFor, kRange*, kRepeat (whose condition is in args and compare)
  std::string text;             ///< the source text, for timelines
};

// ---- The scenario ----

/// `hash_seed = "explore"`: the seeds 0 .. kExploredHashSeeds-1 are a data choice.
inline constexpr std::uint64_t kExploredHashSeeds = 8;

struct MapDecl {
  std::string kind;
  maps::MapParams params;
  bool explore_hash_seed = false;  ///< params.hash_seed is chosen per execution
  std::vector<Statement> initial;  ///< run before the goroutines start
};

struct MutexDecl {
  std::string name;
  bool rw = false;
};

struct WaitGroupDecl {
  std::string name;
};

/// A channel: make(chan int64, capacity); 0 is unbuffered.
struct ChannelDecl {
  std::string name;
  std::size_t capacity = 0;
};

/// A shared plain variable (a package-level `var x int64`): every read and
/// every write is a step of its own, unsynchronised.
struct SharedVarDecl {
  std::string name;
  std::int64_t initial = 0;
};

/// An atomic.Int64 (or an atomic.Pointer / atomic.Value whose value is a
/// number standing for the pointer).
struct AtomicDecl {
  std::string name;
  std::int64_t initial = 0;
};

struct GoroutineDecl {
  std::string name;
  std::vector<Statement> ops;
};

struct Expectation {
  std::vector<std::string> reach;  ///< outcome patterns that must each be reached
  std::vector<std::string> never;  ///< outcome patterns that must not be reached
  bool every_ok = false;           ///< every schedule passes
  std::optional<std::map<maps::Key, maps::Value>> final_contents;  ///< of the first map, after a clean run
  std::optional<std::int64_t> final_len;
  /// `linearizable = true|false`: every map's history is checked at the end
  /// of each execution in which every goroutine finished; one that is not
  /// linearizable ends it as "wrong-result: not linearizable"
  /// (kNotLinearizable), which `never` (true) or `reach` (false) then names.
  bool check_linearizable = false;
};

/// The outcome message of an execution whose map history is not linearizable.
inline constexpr const char* kNotLinearizable = "not linearizable";

struct ExploreDefaults {
  std::optional<std::string> strategy;  ///< dfs | random | pct
  std::optional<std::uint32_t> preemption_bound;
  std::optional<bool> dpor;  ///< dfs with partial-order reduction
  std::optional<bool> stateful;  ///< dfs that explores each state once (--stateful)
  std::optional<std::uint64_t> executions;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> depth;
  std::optional<std::uint64_t> max_steps;
  /// Detect data races (harness/race/race_detector.hpp); also on when the
  /// expectations name the `race` outcome.
  bool races = false;
};

struct Scenario {
  std::string path;         ///< as given
  std::string name;         ///< file stem: the program name in traces
  std::string content_hash;  ///< of the file's bytes: a trace names the scenario it came from
  std::string description;
  std::optional<std::int64_t> story;
  std::vector<MapDecl> maps;
  std::vector<MutexDecl> mutexes;
  std::vector<WaitGroupDecl> waitgroups;
  std::vector<AtomicDecl> atomics;
  std::vector<ChannelDecl> channels;
  std::vector<SharedVarDecl> shared;
  /// [main]: the goroutine that starts the others with `go NAME`; without
  /// it every [[goroutine]] starts at once, in the order declared.
  std::optional<GoroutineDecl> main;
  /// String keys (`m["apple"]`): the string numbered k is strings[k - 1], in
  /// order of first appearance; a scenario's keys are all strings or all numbers.
  std::vector<std::string> strings;
  bool string_keys = false;  ///< the keys are strings: reports show them quoted
  std::vector<GoroutineDecl> goroutines;
  Expectation expect;
  ExploreDefaults explore;
};

/// Parses a scenario file; throws ScenarioError.
Scenario load_scenario(const std::string& path);
/// Parses a scenario file's text, as load_scenario does once it has read
/// the file: `path` names it in errors, traces and the scenario's name.
/// Throws ScenarioError. (The fuzz targets parse text without a file.)
Scenario parse_scenario(std::string_view contents, const std::string& path);

/// The hash load_scenario records for a file's contents.
std::string content_hash(std::string_view contents);

}  // namespace interleave
