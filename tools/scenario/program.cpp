#include "tools/scenario/program.hpp"

#include <map>
#include <memory>

#include <fmt/format.h>

#include "harness/harness.hpp"
#include "harness/sync/mutex.hpp"
#include "harness/sync/rwmutex.hpp"

namespace interleave {
namespace {

/// The shared state of one execution.
struct World {
  std::vector<std::shared_ptr<maps::ConcurrentMap>> maps;
  std::vector<std::unique_ptr<harness::Mutex>> mutexes;      ///< null where the mutex is an rwmutex
  std::vector<std::unique_ptr<harness::RWMutex>> rwmutexes;  ///< null where it is a plain mutex
};

std::string format_contents(const std::vector<std::pair<maps::Key, maps::Value>>& contents) {
  std::string text = "{";
  for (std::size_t i = 0; i < contents.size(); ++i)
    text += fmt::format("{}{}: {}", i == 0 ? "" : ", ", contents[i].first, contents[i].second);
  return text + "}";
}

/// One goroutine's interpreter: its variables and its deferred calls.
class Interpreter {
 public:
  explicit Interpreter(World& world) : world_(world) {}

  /// Runs the operations, then the deferred ones (last first). A panic
  /// unwinds to the deferred calls; a deferred `recover` stops it; if it is
  /// still going after the last one, it leaves the goroutine.
  void run(const std::vector<Statement>& ops) {
    std::optional<std::string> panicking;
    try {
      for (const Statement& s : ops) execute(s);
    } catch (const harness::Panic& panic) {
      panicking = panic.message;
    }
    while (!deferred_.empty()) {
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

  /// Arithmetic wraps around, as Go's int64 does. (Seen while writing
  /// fuzz_scenario_explore, whose UBSan build reports it: `put
  /// 9223372036854775807+1 0` overflowed, which is undefined in C++.)
  /// Unsigned arithmetic wraps, and converting back is modulo 2^64 since C++20.
  std::int64_t eval(const Expr& e) const {
    auto wrap = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
    auto u = [this](const ExprPtr& x) { return static_cast<std::uint64_t>(eval(*x)); };
    switch (e.kind) {
      case Expr::Kind::kInt: return e.value;
      case Expr::Kind::kVar: return variables_.at(e.var);
      case Expr::Kind::kAdd: return wrap(u(e.lhs) + u(e.rhs));
      case Expr::Kind::kSub: return wrap(u(e.lhs) - u(e.rhs));
      case Expr::Kind::kMul: return wrap(u(e.lhs) * u(e.rhs));
      case Expr::Kind::kNeg: return wrap(0 - u(e.lhs));
    }
    return 0;
  }

  void execute(const Statement& s) {
    if (s.op == OpCode::kFor) {
      const std::int64_t from = eval(*s.from), to = eval(*s.to);
      for (std::int64_t i = from; i < to; ++i) {
        variables_[s.loop_var] = i;
        for (const Statement& inner : s.body) execute(inner);
      }
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
    switch (s.op) {
      case OpCode::kPut: map(s).put(a[0], a[1]); break;
      case OpCode::kGet: bind(map(s).get(a[0]).value_or(0)); break;  // a missing key reads as Go's zero value
      case OpCode::kDelete: map(s).erase(a[0]); break;
      case OpCode::kLen: bind(map(s).len()); break;
      case OpCode::kRange: map(s).range([](maps::Key, maps::Value) { return true; }); break;
      case OpCode::kClear: map(s).clear(); break;
      case OpCode::kGetOrPut: bind(map(s).get_or_put(a[0], a[1]).first); break;
      case OpCode::kGetAndDelete: bind(map(s).get_and_delete(a[0]).value_or(0)); break;
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
      case OpCode::kFor: break;      // handled in execute
    }
  }

  maps::ConcurrentMap& map(const Statement& s) { return *world_.maps.at(s.target); }

  World& world_;
  std::map<std::string, std::int64_t> variables_;
  std::vector<Deferred> deferred_;
};

}  // namespace

harness::Program make_program(const Scenario& scenario) {
  return harness::Program{scenario.name, [&scenario] {
                            auto world = std::make_shared<World>();
                            for (const MapDecl& decl : scenario.maps)
                              world->maps.push_back(maps::MapRegistry::global().find(decl.kind)->make(decl.params));
                            for (const MutexDecl& decl : scenario.mutexes) {
                              if (decl.rw) {
                                world->mutexes.push_back(nullptr);
                                world->rwmutexes.push_back(std::make_unique<harness::RWMutex>(decl.name));
                              } else {
                                world->mutexes.push_back(std::make_unique<harness::Mutex>(decl.name));
                                world->rwmutexes.push_back(nullptr);
                              }
                            }
                            // Initial contents: built before any goroutine runs.
                            for (const MapDecl& decl : scenario.maps) Interpreter(*world).run(decl.initial);
                            for (const GoroutineDecl& g : scenario.goroutines)
                              harness::go(g.name, [world, &g] { Interpreter(*world).run(g.ops); });
                            for (const auto& map : world->maps) maps::check_invariants_at_end(map);
                            const Expectation& expect = scenario.expect;
                            if (!scenario.maps.empty() && (expect.final_contents || expect.final_len)) {
                              harness::at_end([world, &expect] {
                                maps::ConcurrentMap& first = *world->maps.front();
                                const auto contents = first.snapshot();
                                if (expect.final_contents) {
                                  const std::vector<std::pair<maps::Key, maps::Value>> wanted(
                                      expect.final_contents->begin(), expect.final_contents->end());
                                  if (contents != wanted)
                                    harness::report_failure(harness::OutcomeKind::kWrongResult,
                                                            fmt::format("final contents {}, expected {}",
                                                                        format_contents(contents),
                                                                        format_contents(wanted)));
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
