#include "tools/scenario/program.hpp"

#include <map>
#include <memory>

#include <fmt/format.h>

#include "harness/harness.hpp"
#include "harness/sync/atomic.hpp"
#include "harness/sync/mutex.hpp"
#include "harness/sync/rwmutex.hpp"
#include "harness/sync/wait_group.hpp"
#include "maps/history/map_history.hpp"
#include "tools/scenario/channel.hpp"

namespace interleave {
namespace {

/// The shared state of one execution. For stateful search it reports what
/// no object holds (the work counter, the WaitGroup counters); each object
/// reports its own.
struct World final : harness::StateSource {
  std::vector<std::shared_ptr<maps::ConcurrentMap>> maps;
  std::vector<std::unique_ptr<harness::Mutex>> mutexes;      ///< null where the mutex is an rwmutex
  std::vector<std::unique_ptr<harness::RWMutex>> rwmutexes;  ///< null where it is a plain mutex
  std::vector<std::unique_ptr<harness::WaitGroup>> waitgroups;
  /// Each WaitGroup's counter as Go keeps it (an int32 in the state word),
  /// so that `add` can wrap as Go's does before harness::WaitGroup sees it.
  std::vector<std::int32_t> waitgroup_counters;
  /// sync/atomic values, as the bits of an int64 (unsigned: Add wraps).
  std::vector<std::unique_ptr<harness::Atomic<std::uint64_t>>> atomics;
  std::vector<std::unique_ptr<Channel>> channels;
  /// Shared plain variables: read and written by plain steps.
  struct Shared final : harness::StateSource {
    Shared(std::string name, std::int64_t initial) : ref("var", std::move(name), this), value(initial) {}
    Shared(const Shared&) = delete;
    Shared& operator=(const Shared&) = delete;
    void hash_state(harness::StateHasher& hasher) const override { hasher.add(static_cast<std::uint64_t>(value)); }
    harness::ObjectRef ref;
    std::int64_t value;
  };
  std::vector<std::unique_ptr<Shared>> shared;
  const Scenario* scenario = nullptr;  ///< for `go NAME`
  /// The interpreter's own work in this execution (statements run, loop
  /// iterations, deferred calls), held to the execution's step bound: a loop
  /// that reaches no preemption point (`for …: recover`, `initial`
  /// operations, `defer` in a loop) must end too, and so must its memory.
  std::uint64_t work = 0;
  std::uint64_t max_work = 0;
  std::weak_ptr<World> self;  ///< what a goroutine started by `go` holds

  void hash_state(harness::StateHasher& hasher) const override {
    hasher.add(work);
    for (std::int32_t counter : waitgroup_counters) hasher.add(static_cast<std::uint32_t>(counter));
  }
};

/// Go's int64 arithmetic: wraps around, two's complement (well defined on
/// unsigned integers; the conversion back is modular since C++20).
std::int64_t wrap(std::uint64_t value) { return static_cast<std::int64_t>(value); }
std::uint64_t bits(std::int64_t value) { return static_cast<std::uint64_t>(value); }

/// The map's contents as the report shows them: string keys quoted.
std::string format_contents(const std::vector<std::pair<maps::Key, maps::Value>>& contents, const Scenario& scenario) {
  auto key = [&](maps::Key k) {
    if (scenario.string_keys && k >= 1 && static_cast<std::uint64_t>(k) <= scenario.strings.size())
      return fmt::format("\"{}\"", scenario.strings[static_cast<std::size_t>(k - 1)]);
    return fmt::format("{}", k);
  };
  std::string text = "{";
  for (std::size_t i = 0; i < contents.size(); ++i)
    text += fmt::format("{}{}: {}", i == 0 ? "" : ", ", key(contents[i].first), contents[i].second);
  return text + "}";
}

constexpr const char* kDivideByZero = "runtime error: integer divide by zero";

/// Go's / and %: truncated toward zero; INT64_MIN / -1 wraps to INT64_MIN
/// and its remainder is 0 (both undefined in C++, hence the -1 case).
/// REQUIRES: b != 0 (the caller panics first, as Go does).
std::int64_t divide(std::int64_t a, std::int64_t b, bool remainder) {
  if (b == -1) return remainder ? 0 : wrap(std::uint64_t{0} - bits(a));
  return remainder ? a % b : a / b;
}

std::int64_t arith(ArithOp op, std::int64_t old, std::int64_t operand) {
  switch (op) {
    case ArithOp::kSet: return operand;
    case ArithOp::kAdd: return wrap(bits(old) + bits(operand));
    case ArithOp::kSub: return wrap(bits(old) - bits(operand));
    case ArithOp::kMul: return wrap(bits(old) * bits(operand));
    case ArithOp::kDiv:
    case ArithOp::kMod:
      if (operand == 0) harness::panic(kDivideByZero);
      return divide(old, operand, op == ArithOp::kMod);
  }
  return operand;
}

bool holds(Comparison c, std::int64_t a, std::int64_t b) {
  switch (c) {
    case Comparison::kEq: return a == b;
    case Comparison::kNe: return a != b;
    case Comparison::kLt: return a < b;
    case Comparison::kLe: return a <= b;
    case Comparison::kGt: return a > b;
    case Comparison::kGe: return a >= b;
  }
  return false;
}

std::string_view symbol(Comparison c) {
  switch (c) {
    case Comparison::kEq: return "==";
    case Comparison::kNe: return "!=";
    case Comparison::kLt: return "<";
    case Comparison::kLe: return "<=";
    case Comparison::kGt: return ">";
    case Comparison::kGe: return ">=";
  }
  return "?";
}

void run_goroutine(const std::shared_ptr<World>& world, const GoroutineDecl& g);

/// One goroutine's interpreter: its variables and its deferred calls.
class Interpreter {
 public:
  explicit Interpreter(World& world) : world_(world) {}

  /// Runs the operations, then the deferred ones (last first). A panic
  /// unwinds to the deferred calls; a deferred `recover` stops it; if it is
  /// still going after the last one, it leaves the goroutine.
  void run(const std::vector<Statement>& ops, std::string_view goroutine = {}) {
    std::optional<std::string> panicking;
    try {
      for (std::size_t i = 0; i < ops.size(); ++i) {
        declare_local_state(goroutine, i);
        execute(ops[i]);
      }
      declare_local_state(goroutine, ops.size());
    } catch (const harness::Panic& panic) {
      panicking = panic.message;
    }
    while (!deferred_.empty()) {
      count_work();
      const Deferred call = std::move(deferred_.back());
      deferred_.pop_back();
      if (call.statement->op == OpCode::kRecover) {
        if (panicking) harness::recovered(*panicking);
        panicking.reset();  // recover() called by a deferred function
        continue;
      }
      try {
        perform(*call.statement, call.args);
      } catch (const harness::Panic& panic) {
        panicking = panic.message;  // a new panic replaces the old one
      }
    }
    if (panicking) throw harness::Panic{*panicking};
  }

 private:
  struct Deferred {
    const Statement* statement;
    std::vector<std::int64_t> args;  ///< evaluated when deferred, as Go does
  };

  /// Stateful search: between two top-level statements of a goroutine with
  /// nothing deferred, what it does next depends only on which statement
  /// comes and on its variables (and on shared objects): say so, so that
  /// schedules that brought it here along different paths merge.
  void declare_local_state(std::string_view goroutine, std::size_t next) const {
    if (goroutine.empty() || !deferred_.empty() || !harness::tracking_state()) return;
    harness::StateHasher hasher;
    hasher.add_text(goroutine);
    hasher.add(next);
    hasher.add(variables_.size());
    for (const auto& [name, value] : variables_) {
      hasher.add_text(name);
      hasher.add(bits(value));
    }
    harness::goroutine_state_is(hasher.digest());
  }

  /// Recursion bounded by the parser: an expression is at most
  /// kMaxExpressionDepth deep.
  std::int64_t eval(const Expr& e) const {
    switch (e.kind) {
      case Expr::Kind::kInt: return e.value;
      case Expr::Kind::kVar: return variables_.at(e.var);
      case Expr::Kind::kShared: return load_shared(static_cast<std::size_t>(e.value));
      case Expr::Kind::kAdd: return wrap(bits(eval(*e.lhs)) + bits(eval(*e.rhs)));
      case Expr::Kind::kSub: return wrap(bits(eval(*e.lhs)) - bits(eval(*e.rhs)));
      case Expr::Kind::kMul: return wrap(bits(eval(*e.lhs)) * bits(eval(*e.rhs)));
      case Expr::Kind::kDiv:
      case Expr::Kind::kMod: {
        const std::int64_t a = eval(*e.lhs), b = eval(*e.rhs);
        if (b == 0) harness::panic(kDivideByZero);
        return divide(a, b, e.kind == Expr::Kind::kMod);
      }
      case Expr::Kind::kNeg: return wrap(std::uint64_t{0} - bits(eval(*e.lhs)));
    }
    return 0;
  }

  /// One unit of the interpreter's work; past the bound the execution ends
  /// as step-bound (from a goroutine it does not return; from `initial`, on
  /// the host, it throws to the engine).
  void count_work() {
    harness::interruption_point();  // Ctrl-C ends even a loop with no preemption point
    if (++world_.work <= world_.max_work) return;
    harness::fail(harness::OutcomeKind::kStepBound,
                  fmt::format("no end after {} operations of the scenario (a loop too long? raise --max-steps)",
                              world_.max_work));
  }

  /// Recursion bounded by the parser: 'for' loops nest at most kMaxNesting deep.
  void execute(const Statement& s) {
    count_work();
    if (s.op == OpCode::kFor) {
      const std::int64_t from = eval(*s.from), to = eval(*s.to);
      for (std::int64_t i = from; i < to; ++i) {  // i < to <= INT64_MAX: ++i never overflows
        count_work();
        variables_[s.loop_var] = i;
        for (const Statement& inner : s.body) execute(inner);
      }
      return;
    }
    if (s.op == OpCode::kRangeChannel) {  // for v := range ch: until closed and drained
      for (;;) {
        count_work();
        const auto [value, received] = world_.channels.at(s.target)->receive();
        if (!received) return;
        if (!s.loop_var.empty()) variables_[s.loop_var] = value;
        for (const Statement& inner : s.body) execute(inner);
      }
    }
    if (s.op == OpCode::kRangeMap) {  // for k, v := range m, the body between mapiternext's steps
      map(s).range([&](maps::Key key, maps::Value value) {
        count_work();
        if (!s.loop_var.empty()) variables_[s.loop_var] = key;
        if (!s.bind.empty()) variables_[s.bind] = value;
        for (const Statement& inner : s.body) execute(inner);
        return true;
      });
      return;
    }
    if (s.op == OpCode::kRepeat) {
      do {
        count_work();
        for (const Statement& inner : s.body) execute(inner);
      } while (!holds(s.compare, eval(*s.args[0]), eval(*s.args[1])));
      return;
    }
    std::vector<std::int64_t> args;
    for (const ExprPtr& a : s.args) args.push_back(eval(*a));
    if (s.deferred) {
      deferred_.push_back(Deferred{&s, std::move(args)});
      return;
    }
    perform(s, args);
  }

  void perform(const Statement& s, const std::vector<std::int64_t>& a) {
    auto bind = [&](std::int64_t value) {
      if (!s.bind.empty()) variables_[s.bind] = value;
    };
    // The comma-ok form: ok is 1 when the key was there (loaded, for get-or-put).
    auto bind_ok = [&](std::optional<maps::Value> found) {
      bind(found.value_or(0));  // a missing key reads as Go's zero value
      if (!s.ok_bind.empty()) variables_[s.ok_bind] = found ? 1 : 0;
    };
    switch (s.op) {
      case OpCode::kPut: map(s).put(a[0], a[1]); break;
      case OpCode::kGet: bind_ok(map(s).get(a[0])); break;
      case OpCode::kDelete: map(s).erase(a[0]); break;
      case OpCode::kLen: bind(map(s).len()); break;
      case OpCode::kRange: map(s).range([](maps::Key, maps::Value) { return true; }); break;
      case OpCode::kClear: map(s).clear(); break;
      case OpCode::kGetOrPut: {
        const auto [value, loaded] = map(s).get_or_put(a[0], a[1]);
        bind(value);
        if (!s.ok_bind.empty()) variables_[s.ok_bind] = loaded ? 1 : 0;
        break;
      }
      case OpCode::kGetAndDelete: bind_ok(map(s).get_and_delete(a[0])); break;
      case OpCode::kUpdate: {
        const ArithOp op = s.arith;
        const std::int64_t operand = a[1];
        auto next = [op, operand](maps::Value old) { return arith(op, old, operand); };
        if (op != ArithOp::kDiv && op != ArithOp::kMod) {
          map(s).update(a[0], next);  // one mapassign, then load and store through its pointer
        } else if (operand == 0) {
          (void)map(s).get(a[0]);  // mapaccess1, then the division panics before any mapassign
          harness::panic(kDivideByZero);
        } else {
          map(s).read_then_write(a[0], next);  // m[k] = m[k] / x: mapaccess1, then mapassign
        }
        break;
      }
      case OpCode::kWgAdd: add(s.target, a[0]); break;
      case OpCode::kWgDone: add(s.target, -1); break;
      case OpCode::kWgWait: world_.waitgroups[s.target]->wait(); break;
      case OpCode::kAtomicLoad: bind(wrap(atomic(s).load())); break;
      case OpCode::kAtomicStore: atomic(s).store(bits(a[0])); break;
      case OpCode::kAtomicAdd: bind(wrap(atomic(s).fetch_add(bits(a[0])) + bits(a[0]))); break;  // Add returns the new value
      case OpCode::kAtomicSwap: bind(wrap(atomic(s).exchange(bits(a[0])))); break;
      case OpCode::kAtomicCas: {
        std::uint64_t expected = bits(a[0]);
        bind(atomic(s).compare_exchange(expected, bits(a[1])) ? 1 : 0);
        break;
      }
      case OpCode::kSharedStore: store_shared(s.target, a[0]); break;
      case OpCode::kSharedUpdate: store_shared(s.target, arith(s.arith, load_shared(s.target), a[0])); break;
      case OpCode::kSend: world_.channels.at(s.target)->send(a[0]); break;
      case OpCode::kReceive: {
        const auto [value, received] = world_.channels.at(s.target)->receive();
        bind(value);
        if (!s.ok_bind.empty()) variables_[s.ok_bind] = received ? 1 : 0;
        break;
      }
      case OpCode::kClose: world_.channels.at(s.target)->close(); break;
      case OpCode::kGo: {
        const GoroutineDecl& g = world_.scenario->goroutines[s.target];
        harness::go(g.name, [world = world_.self.lock(), &g] { run_goroutine(world, g); });
        break;
      }
      case OpCode::kAssign:
        if (!s.bind.empty()) {
          const std::int64_t old = s.arith == ArithOp::kSet ? 0 : variables_.at(s.bind);
          variables_[s.bind] = arith(s.arith, old, a[0]);
        }
        break;
      case OpCode::kAssert:
        if (!holds(s.compare, a[0], a[1]))
          harness::report_failure(harness::OutcomeKind::kAssertion,
                                  fmt::format("{} is false ({} {} {})", s.text.substr(s.text.find(' ') + 1), a[0],
                                              symbol(s.compare), a[1]));
        break;
      case OpCode::kLock:
        if (auto& m = world_.mutexes[s.target]) m->lock();
        else world_.rwmutexes[s.target]->lock();
        break;
      case OpCode::kUnlock:
        if (auto& m = world_.mutexes[s.target]) m->unlock();
        else world_.rwmutexes[s.target]->unlock();
        break;
      case OpCode::kRLock: world_.rwmutexes[s.target]->rlock(); break;
      case OpCode::kRUnlock: world_.rwmutexes[s.target]->runlock(); break;
      case OpCode::kRecover: break;  // not called by a deferred function: returns nil, stops nothing
      case OpCode::kFor:
      case OpCode::kRangeChannel:
      case OpCode::kRangeMap:
      case OpCode::kRepeat: break;  // handled in execute
    }
  }

  maps::ConcurrentMap& map(const Statement& s) { return *world_.maps.at(s.target); }

  /// A plain load of a shared [[var]]: one step, a read.
  std::int64_t load_shared(std::size_t index) const {
    World::Shared& v = *world_.shared.at(index);
    harness::point("var.load", v.ref.id(), harness::AccessKind::kRead);
    if (harness::recording()) harness::note(fmt::format("read {} = {}", v.ref.name(), v.value));
    return v.value;
  }
  /// A plain store: one step, a write.
  void store_shared(std::size_t index, std::int64_t value) {
    World::Shared& v = *world_.shared.at(index);
    harness::point("var.store", v.ref.id(), harness::AccessKind::kWrite);
    if (harness::recording()) harness::note(fmt::format("wrote {} = {}", v.ref.name(), value));
    v.value = value;
  }
  harness::Atomic<std::uint64_t>& atomic(const Statement& s) { return *world_.atomics.at(s.target); }

  /// wg.Add(delta): Go adds delta to an int32 counter, wrapping, and panics
  /// when the result is negative (Done is Add(-1)).
  void add(std::size_t group, std::int64_t delta) {
    const std::int32_t old = world_.waitgroup_counters[group];
    const auto counter = static_cast<std::int32_t>(static_cast<std::uint32_t>(old) + static_cast<std::uint32_t>(bits(delta)));
    // harness::WaitGroup panics ("sync: negative WaitGroup counter") below zero.
    const std::int64_t step = counter < 0 ? -std::int64_t{old} - 1 : std::int64_t{counter} - old;
    if (counter >= 0) world_.waitgroup_counters[group] = counter;
    world_.waitgroups[group]->add(static_cast<int>(step));
  }

  World& world_;
  std::map<std::string, std::int64_t> variables_;
  std::vector<Deferred> deferred_;
};

void run_goroutine(const std::shared_ptr<World>& world, const GoroutineDecl& g) { Interpreter(*world).run(g.ops, g.name); }

/// `linearizable = true|false`: each map is wrapped to record its history
/// from here (its initial contents are the sequential map's start); at the
/// end of an execution in which every goroutine finished, each history is
/// checked (maps/history/map_history.hpp). One that is not linearizable
/// ends the execution as "wrong-result: not linearizable", and its table
/// goes to `explanation` when one is given.
void record_histories(World& world, const Scenario& scenario, const std::shared_ptr<std::string>& explanation) {
  harness::state_untracked("the linearizability history (linearizable = true)");
  for (std::size_t i = 0; i < world.maps.size(); ++i) {
    auto history = std::make_shared<maps::MapHistory>();
    auto initial = world.maps[i]->snapshot();
    std::vector<maps::Key> initial_keys;
    for (const auto& [key, value] : initial) initial_keys.push_back(key);
    const std::shared_ptr<maps::ConcurrentMap> inner = world.maps[i];
    world.maps[i] = std::make_shared<maps::RecordingMap>(inner, history);
    const std::string name = scenario.maps[i].params.name;
    harness::at_end([inner, history, initial, initial_keys, name, explanation] {
      history->final_contents(inner->snapshot(), initial_keys);
      const maps::LinearizabilityVerdict verdict = maps::check_history(*history, initial, name);
      if (verdict.linearizable) return;
      if (explanation) *explanation = fmt::format("map '{}':\n{}", name, verdict.table);
      harness::report_failure(harness::OutcomeKind::kWrongResult, kNotLinearizable);
    });
  }
}

}  // namespace

std::vector<std::string> goroutine_names(const Scenario& scenario) {
  std::vector<std::string> names;
  if (!scenario.main) {
    for (const GoroutineDecl& g : scenario.goroutines) names.push_back(g.name);
    return names;
  }
  names.push_back(scenario.main->name);
  for (const Statement& s : scenario.main->ops)  // `go` is never in a loop
    if (s.op == OpCode::kGo) names.push_back(scenario.goroutines[s.target].name);
  return names;
}

harness::Program make_program(const Scenario& scenario, std::uint64_t max_steps,
                              std::shared_ptr<std::string> explanation) {
  return harness::Program{scenario.name, [&scenario, max_steps, explanation] {
                            auto world = std::make_shared<World>();
                            world->self = world;
                            world->scenario = &scenario;
                            world->max_work = max_steps;
                            // Stateful search: a goroutine's variables die with it.
                            harness::expose_state(*world);
                            harness::goroutines_leave_no_state();
                            for (const MapDecl& decl : scenario.maps) {
                              maps::MapParams params = decl.params;
                              // Go's random hash0, as a data choice among a sample of seeds.
                              if (decl.explore_hash_seed)
                                params.hash_seed = static_cast<std::uint32_t>(harness::choose(kExploredHashSeeds, "hash_seed"));
                              world->maps.push_back(maps::MapRegistry::global().find(decl.kind)->make(params));
                            }
                            for (const MutexDecl& decl : scenario.mutexes) {
                              if (decl.rw) {
                                world->mutexes.push_back(nullptr);
                                world->rwmutexes.push_back(std::make_unique<harness::RWMutex>(decl.name));
                              } else {
                                world->mutexes.push_back(std::make_unique<harness::Mutex>(decl.name));
                                world->rwmutexes.push_back(nullptr);
                              }
                            }
                            for (const AtomicDecl& decl : scenario.atomics)
                              world->atomics.push_back(
                                  std::make_unique<harness::Atomic<std::uint64_t>>(bits(decl.initial), decl.name));
                            for (const SharedVarDecl& decl : scenario.shared)
                              world->shared.push_back(std::make_unique<World::Shared>(decl.name, decl.initial));
                            for (const ChannelDecl& decl : scenario.channels)
                              world->channels.push_back(std::make_unique<Channel>(decl.name, decl.capacity));
                            for (const WaitGroupDecl& decl : scenario.waitgroups) {
                              world->waitgroups.push_back(std::make_unique<harness::WaitGroup>(decl.name));
                              world->waitgroup_counters.push_back(0);
                            }
                            // Initial contents: built before any goroutine runs.
                            for (const MapDecl& decl : scenario.maps) Interpreter(*world).run(decl.initial);
                            if (scenario.expect.check_linearizable) record_histories(*world, scenario, explanation);
                            if (scenario.main) {
                              // main starts the others with `go`.
                              harness::go(scenario.main->name, [world, &scenario] { run_goroutine(world, *scenario.main); });
                            } else {
                              for (const GoroutineDecl& g : scenario.goroutines)
                                harness::go(g.name, [world, &g] { run_goroutine(world, g); });
                            }
                            for (const auto& map : world->maps) maps::check_invariants_at_end(map);
                            const Expectation& expect = scenario.expect;
                            if (!scenario.maps.empty() && (expect.final_contents || expect.final_len)) {
                              harness::at_end([world, &expect, &scenario] {
                                maps::ConcurrentMap& first = *world->maps.front();
                                const auto contents = first.snapshot();
                                if (expect.final_contents) {
                                  const std::vector<std::pair<maps::Key, maps::Value>> wanted(
                                      expect.final_contents->begin(), expect.final_contents->end());
                                  if (contents != wanted)
                                    harness::report_failure(harness::OutcomeKind::kWrongResult,
                                                            fmt::format("final contents {}, expected {}",
                                                                        format_contents(contents, scenario),
                                                                        format_contents(wanted, scenario)));
                                }
                                if (expect.final_len && static_cast<std::int64_t>(contents.size()) != *expect.final_len)
                                  harness::report_failure(harness::OutcomeKind::kWrongResult,
                                                          fmt::format("final len is {}, expected {}", contents.size(),
                                                                      *expect.final_len));
                              });
                            }
                          }};
}

}  // namespace interleave
