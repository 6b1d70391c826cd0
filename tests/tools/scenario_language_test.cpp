// The constructs of the scenario language a Go developer needs
// (docs/scenario_format.md, docs/go_to_scenario.md): each one read, refused
// where it is wrong (file:line:col), and explored, with dfs and with dpor,
// which must reach the same outcome classes (the constructs carry object and
// access kinds on their points, or nothing shared at all).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "harness/explore.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "tests/support/explore_helpers.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/scenario/program.hpp"
#include "tools/scenario/scenario.hpp"

using namespace interleave;
using harness::testing::outcome_set;
using Catch::Matchers::Contains;

namespace {

std::string write(const std::string& text) {
  static int counter = 0;
  const std::string path = harness::testing::temp_dir("language") + "/s" + std::to_string(++counter) + ".toml";
  std::ofstream(path) << text;
  return path;
}

/// A scenario with one go map (or `kind`), the goroutines' ops as given.
std::string scenario(const std::vector<std::string>& goroutines, const std::string& expect = "never = [\"exception\"]",
                     const std::string& extra = "", const std::string& kind = "go") {
  std::string text = "description = \"x\"\n[map]\nkind = \"" + kind + "\"\n" + extra + "\n";
  for (std::size_t i = 0; i < goroutines.size(); ++i)
    text += "[[goroutine]]\nname = \"g" + std::to_string(i) + "\"\nops = [" + goroutines[i] + "]\n";
  return text + "[expect]\n" + expect + "\n";
}

/// The error loading `text` gives, without the file name; "no error" if none.
std::string error_for(const std::string& text) {
  const std::string path = write(text);
  try {
    load_scenario(path);
  } catch (const ScenarioError& error) {
    const std::string message = error.what();
    REQUIRE(message.rfind(path, 0) == 0);
    return message.substr(path.size());
  }
  return "no error";
}

struct Explored {
  harness::Report dfs;
  harness::Report dpor;
};

/// Explores the scenario exhaustively (within the preemption bound) with dfs
/// and with dpor; dpor must reach the same outcome classes.
Explored explore(const std::string& text, std::optional<std::uint32_t> bound = std::nullopt) {
  const Scenario s = load_scenario(write(text));
  const harness::Program program = make_program(s, harness::ExploreSettings{}.max_steps);
  harness::StackPool stacks;
  harness::DfsStrategy dfs(harness::DfsSettings{bound, 200000});
  Explored e{harness::explore(program, dfs, stacks, harness::ExploreSettings{}), {}};
  REQUIRE(e.dfs.exhausted);
  harness::DporStrategy dpor(harness::DporSettings{bound, UINT64_MAX});
  e.dpor = harness::explore(program, dpor, stacks, harness::ExploreSettings{});
  REQUIRE(e.dpor.exhausted);
  CHECK(outcome_set(e.dpor) == outcome_set(e.dfs));
  return e;
}

harness::Outcome ok() { return harness::Outcome{}; }
harness::Outcome outcome(harness::OutcomeKind kind, std::string message) { return harness::Outcome{kind, std::move(message)}; }
using harness::OutcomeKind;

}  // namespace

// ---- 1. negative arguments; run DIR looks into subfolders ----

TEST_CASE("a '-' with a space before it and none after starts a negative argument", "[scenario][language]") {
  // Line 7 holds the ops; its first character is column 9.
  const Explored e = explore(scenario({R"~("get-or-put 0 -1 -> v", "put 1 v - 2", "put 2 5-3", "put -3 (1 -3)", "put -4 -v")~"},
                                      "final = { 0 = -1, 1 = -3, 2 = 2, -3 = -2, -4 = 1 }"));
  CHECK(outcome_set(e.dfs) == std::set{ok()});
  CHECK(e.dfs.executions == 1);
  CHECK_THAT(error_for(scenario({R"("put 1 2 -3")"})),
             Contains(":7:17: 'put' takes 2 arguments; this '-' starts another (to subtract, put a space after it, "
                      "or none before it)"));
  CHECK_THAT(error_for(scenario({R"("put 1 - 3")"})), Contains(":7:18: 'put' takes 2 arguments: expected a value"));
}

TEST_CASE("run DIR takes the scenarios of its subfolders too, in sorted order", "[scenario][language]") {
  namespace fs = std::filesystem;
  const fs::path dir = harness::testing::temp_dir("subfolders");
  fs::create_directories(dir / "a" / "c");
  for (const char* name : {"b.toml", "a/z.toml", "a/c/y.toml", "a/notes.txt"}) std::ofstream(dir / name) << "x";
  CHECK(scenario_files({dir.string()}) == std::vector<std::string>{(dir / "a/c/y.toml").string(),
                                                                    (dir / "a/z.toml").string(),
                                                                    (dir / "b.toml").string()});
}

// ---- 2. comma-ok reads and assert anywhere ----

TEST_CASE("v, ok := m[k] reads as mapaccess2: ok says whether the key was there", "[scenario][language]") {
  // The reader sees the key absent (0, false) or present (5, true), or dies
  // when it meets the writer inside mapassign.
  // The reader may also find the key before its value: mapassign inserts the
  // key, and compiled code stores the value after it returns (0, true).
  const std::set<harness::Outcome> expected{ok(), outcome(OutcomeKind::kFatal, "concurrent map read and map write"),
                                            outcome(OutcomeKind::kAssertion, "v == ok*5 is false (0 == 5)")};
  const Explored go_form = explore(scenario({R"("put 1 5")", R"("v, ok := m[1]", "assert v == ok*5")"}, "never = [\"exception\"]", "initial = [\"put 0 0\"]"));
  CHECK(outcome_set(go_form.dfs) == expected);
  // The word form is the same operation: the same schedules, the same outcomes.
  const Explored word_form = explore(scenario({R"("put 1 5")", R"("get 1 -> v, ok", "assert v == ok*5")"}, "never = [\"exception\"]", "initial = [\"put 0 0\"]"));
  CHECK(word_form.dfs.executions == go_form.dfs.executions);
  CHECK(outcome_set(word_form.dfs) == expected);
  // Both answers happen: asserting either fails in some schedule.
  CHECK(outcome_set(explore(scenario({R"("put 1 5")", R"("_, ok := m[1]", "assert ok")"}, "never = [\"exception\"]", "initial = [\"put 0 0\"]")).dfs)
            .count(outcome(OutcomeKind::kAssertion, "ok is false (0 != 0)")) == 1);
  CHECK(outcome_set(explore(scenario({R"("put 1 5")", R"("_, ok := m[1]", "assert !ok")"}, "never = [\"exception\"]", "initial = [\"put 0 0\"]")).dfs)
            .count(outcome(OutcomeKind::kAssertion, "!ok is false (1 == 0)")) == 1);
  // get-or-put's second value is `loaded`, get-and-delete's is ok.
  CHECK(outcome_set(explore(scenario({R"("get-or-put 1 7 -> v, loaded", "assert loaded == 0", "get-or-put 1 8 -> w, again", "assert again == 1", "assert w == 7", "get-and-delete 1 -> x, ok", "assert ok", "get-and-delete 1 -> y, ok2", "assert !ok2")"}, "never = [\"exception\"]", "", "sync"))
                     .dfs) == std::set{ok()});
  CHECK_THAT(error_for(scenario({R"("v, ok := 3")"})), Contains(":7:12: two variables take a map read: expected 'v, ok := MAP[KEY]'"));
  CHECK_THAT(error_for(scenario({R"("len -> n, ok")"})), Contains(":7:17: 'len' gives one value: expected 'len -> n'"));
  CHECK_THAT(error_for(scenario({R"("get 1 -> v,")"})), Contains(":7:20: expected a second variable name (ok) after ','"));
}

TEST_CASE("assert ends the execution where it fails, anywhere in a goroutine", "[scenario][language]") {
  const Explored e = explore(scenario({R"("put 1 1", "assert 1 == 2", "put 2 2")"}, "len = 2"));
  CHECK(outcome_set(e.dfs) == std::set{outcome(OutcomeKind::kAssertion, "1 == 2 is false (1 == 2)")});
  CHECK_THAT(error_for(scenario({R"("assert")"})), Contains(":7:15: 'assert' takes a condition, as in 'assert total == 10'"));
  CHECK_THAT(error_for(scenario({R"("assert 1 = 1")"})),
             Contains(":7:18: expected ==, !=, <, <=, > or >= in the condition, found '='"));
  CHECK_THAT(error_for(scenario({R"("defer assert 1 == 1")"})),
             Contains(":7:15: 'defer' takes a call (a map, lock, WaitGroup, atomic or channel operation, or recover), not 'assert 1 == 1'"));
}

// ---- 3. m[k]++ as Go compiles it ----

TEST_CASE("m[k]++ is one mapassign, then a load and a store through the returned pointer", "[scenario][language]") {
  // An increment beside one step on another object: with 9 points (the
  // mapassign of an existing key: check-writing, set-writing.load/.store,
  // probe, recheck-writing, clear-writing.load/.store; then load-elem,
  // store-elem) dfs runs C(9+1, 1) = 10 interleavings; dpor sees two
  // objects and runs one.
  const std::string text = R"(description = "x"
[[maps]]
name = "a"
kind = "go"
initial = ["a[0] = 0"]
[[maps]]
name = "b"
kind = "cow"
[[goroutine]]
name = "g0"
ops = ["a[0]++"]
[[goroutine]]
name = "g1"
ops = ["b.len"]
[expect]
every = "ok"
)";
  const Explored e = explore(text);
  CHECK(e.dfs.executions == 10);
  CHECK(e.dpor.executions - e.dpor.pruned == 1);
}

TEST_CASE("m[k]++ from two goroutines: fatal or a lost increment, never a read-write fatal", "[scenario][language]") {
  const std::string initial = "hash_seed = 1\ninitial = [\"m[0] = 0\"]";
  // Within 2 preemptions (each class needs one) to keep the test fast.
  const Explored e = explore(scenario({R"("m[0]++")", R"("m[0]++")"}, "final = { 0 = 2 }", initial), 2);
  CHECK(outcome_set(e.dfs) ==
        std::set{ok(), outcome(OutcomeKind::kFatal, "concurrent map writes"),
                 outcome(OutcomeKind::kWrongResult, "final contents {0: 1}, expected {0: 2}")});
  // Written as a read and a write (what -race compiles), it is another race:
  // the read can meet the other's write.
  const Explored split = explore(scenario({R"("get 0 -> v", "put 0 v+1")", R"("get 0 -> v", "put 0 v+1")"}, "final = { 0 = 2 }", initial), 2);
  CHECK(outcome_set(split.dfs).count(outcome(OutcomeKind::kFatal, "concurrent map read and map write")) == 1);
  // GOMAXPROCS=1: the whole statement runs between two switches, one point each.
  const Explored one_p = explore(scenario({R"("m[0]++")", R"("m[0]++")"}, "final = { 0 = 2 }", initial + "\ngomaxprocs = 1"));
  CHECK(one_p.dfs.executions == 2);
  CHECK(outcome_set(one_p.dfs) == std::set{ok()});
  // Behind a mutex (mu.Lock(); m[k]++; mu.Unlock()) it is exact.
  CHECK(outcome_set(explore(scenario({R"("m[0]++")", R"("m[0] *= 3")"}, "final = { 0 = 3 }", "initial = [\"m[0] = 0\"]", "mutex")).dfs)
            .count(ok()) == 1);
  // Copy-on-write without a CAS loses one.
  CHECK(outcome_set(explore(scenario({R"("m[0]++")", R"("m[0]++")"}, "final = { 0 = 2 }", "", "cow")).dfs)
            .count(outcome(OutcomeKind::kWrongResult, "final contents {0: 1}, expected {0: 2}")) == 1);
  // A nil map panics, as mapassign does.
  CHECK(outcome_set(explore(scenario({R"("m[0] -= 1")"}, "outcome = \"panic\"", "nil = true")).dfs) ==
        std::set{outcome(OutcomeKind::kPanic, "assignment to entry in nil map")});
  CHECK_THAT(error_for(scenario({R"("m[0]++")"}, "never = [\"exception\"]", "", "sync")),
             Contains(":7:9: 'm' is a sync.Map, which has no index expression"));
  CHECK_THAT(error_for(scenario({R"("m[0]")"})), Contains(":7:13: expected '=', '++', '--', '+=', '-=', '*=', '/=' or '%=' after 'm[…]', found the end"));
  CHECK_THAT(error_for(scenario({R"("x[0]++")"})), Contains(":7:9: unknown map 'x': expected one of m"));
  CHECK_THAT(error_for(scenario({R"("defer m[0]++")"})), Contains(":7:15: 'defer' takes a call"));
}

// ---- 4. locals ----

TEST_CASE("locals accumulate without a step, and assert checks them", "[scenario][language]") {
  const std::string sum = R"("total := 0", "for i in 0..1000: total += i", "x := 7", "x *= 3", "x -= 1", "x++", "x--", "put 1 x")";
  CHECK(outcome_set(explore(scenario({sum + R"(, "assert total == 499500")"}, "final = { 1 = 20 }")).dfs) == std::set{ok()});
  CHECK(outcome_set(explore(scenario({sum + R"(, "assert total == 499501")"}, "outcome = \"assertion\"")).dfs) ==
        std::set{outcome(OutcomeKind::kAssertion, "total == 499501 is false (499500 == 499501)")});
  // Locals take no step: the same schedules as without them (a cow put is
  // two points, an atomic load and an atomic store: C(4, 2) = 6).
  const Explored with = explore(scenario({R"("x := 1", "x += 1", "put 1 x")", R"("y := 2", "put 2 y", "y = 0")"}, "never = [\"exception\"]", "", "cow"));
  const Explored without = explore(scenario({R"("put 1 2")", R"("put 2 2")"}, "never = [\"exception\"]", "", "cow"));
  CHECK(without.dfs.executions == 6);
  CHECK(with.dfs.executions == without.dfs.executions);
  CHECK(outcome_set(with.dfs) == outcome_set(without.dfs));
  CHECK_THAT(error_for(scenario({R"("total += 1")"})), Contains(":7:9: unknown variable 'total': declare it first, as in 'total := 0'"));
  CHECK_THAT(error_for(scenario({R"("x := 1", "x := 2")"})), Contains(":7:21: no new variables on the left of ':='"));
  CHECK_THAT(error_for(scenario({R"("for i in 0..2: i++")"})), Contains(":7:24: cannot assign to the loop variable 'i'"));
  CHECK_THAT(error_for(scenario({R"("x := 1", "x ^= 2")"})), Contains(":7:21: unexpected character '^'"));
}

// ---- 5. main, go and WaitGroups ----

namespace {
std::string with_main(const std::string& main_ops, const std::vector<std::string>& workers, const std::string& expect,
                      const std::string& kind = "mutex") {
  std::string text = "description = \"x\"\n[map]\nkind = \"" + kind + "\"\n[[waitgroup]]\nname = \"wg\"\n[main]\nops = [" + main_ops + "]\n";
  for (std::size_t i = 0; i < workers.size(); ++i)
    text += "[[goroutine]]\nname = \"g" + std::to_string(i) + "\"\nops = [" + workers[i] + "]\n";
  return text + "[expect]\n" + expect + "\n";
}
}  // namespace

TEST_CASE("[main] starts goroutines with go, joins them with a WaitGroup, then checks", "[scenario][language]") {
  const std::string worker = R"("defer done wg", "m[0]++")";
  const std::string start = R"("add wg 2", "go g0", "go g1")";
  CHECK(outcome_set(explore(with_main(start + R"(, "wait wg", "v := m[0]", "assert v == 2")", {worker, worker}, "every = \"ok\"")).dfs) ==
        std::set{ok()});
  // Without the Wait, main can read before the workers are done.
  const std::set<harness::Outcome> early = outcome_set(explore(with_main(start + R"(, "v := m[0]", "assert v == 2")", {worker, worker}, "never = [\"exception\"]")).dfs);
  CHECK(early.count(ok()) == 1);
  CHECK(early.count(outcome(OutcomeKind::kAssertion, "v == 2 is false (0 == 2)")) == 1);
  CHECK(early.count(outcome(OutcomeKind::kAssertion, "v == 2 is false (1 == 2)")) == 1);
  // Wait cannot run before Done: one schedule (main's Add, g0's Done, main's Wait).
  CHECK(explore(with_main(R"("add wg 1", "go g0", "wait wg")", {R"("done wg")"}, "every = \"ok\"")).dfs.executions == 1);
  // Go's counter is an int32 and may not go below zero.
  CHECK(outcome_set(explore(with_main(R"("go g0")", {R"("done wg")"}, "outcome = \"panic\"")).dfs) ==
        std::set{outcome(OutcomeKind::kPanic, "sync: negative WaitGroup counter")});
  CHECK(outcome_set(explore(with_main(R"("add wg 2147483647", "add wg 1", "go g0")", {R"("recover")"}, "outcome = \"panic\"")).dfs) ==
        std::set{outcome(OutcomeKind::kPanic, "sync: negative WaitGroup counter")});

  CHECK_THAT(error_for(scenario({R"("go g0")"})), Contains(":7:9: 'go' starts a goroutine from [main]"));
  CHECK_THAT(error_for(with_main(R"("go g0")", {R"("recover")", R"("recover")"}, "every = \"ok\"")),
             Contains(":7:7: [main] never starts goroutine 'g1': add 'go g1'"));
  CHECK_THAT(error_for(with_main(R"("for i in 0..2: go g0")", {R"("recover")"}, "every = \"ok\"")),
             Contains(":7:24: 'go' inside a loop: each [[goroutine]] is started once"));
  CHECK_THAT(error_for(with_main(R"("go g0", "add wg")", {R"("recover")"}, "every = \"ok\"")),
             Contains(":7:24: 'add' takes a WaitGroup and a number, as in 'add wg 2'"));
  CHECK_THAT(error_for(with_main(R"("go g0", "done wq")", {R"("recover")"}, "every = \"ok\"")),
             Contains(":7:23: unknown waitgroup 'wq': expected one of wg"));
}

// ---- 6. GOMAXPROCS=1 for every kind ----

TEST_CASE("gomaxprocs = 1 is accepted for sync and cow, and changes nothing there", "[scenario][language]") {
  for (const char* kind : {"sync", "cow"}) {
    INFO(kind);
    const std::vector<std::string> ops{R"("put 1 1", "get 2")", R"("put 2 2", "get-or-put 1 3")"};
    const Explored many = explore(scenario(ops, "never = [\"exception\"]", "", kind));
    const Explored one = explore(scenario(ops, "never = [\"exception\"]", "gomaxprocs = 1", kind));
    CHECK(one.dfs.executions == many.dfs.executions);
    CHECK(outcome_set(one.dfs) == outcome_set(many.dfs));
  }
}

// ---- 8. sync/atomic, retry loops, the CAS-retry copy-on-write map ----

namespace {
std::string with_atomic(const std::string& main_ops, const std::vector<std::string>& workers, const std::string& expect) {
  std::string text = "description = \"x\"\n[[atomic]]\nname = \"n\"\n[[waitgroup]]\nname = \"wg\"\n";
  if (!main_ops.empty()) text += "[main]\nops = [" + main_ops + "]\n";
  for (std::size_t i = 0; i < workers.size(); ++i)
    text += "[[goroutine]]\nname = \"g" + std::to_string(i) + "\"\nops = [" + workers[i] + "]\n";
  return text + "[expect]\n" + expect + "\n";
}
}  // namespace

TEST_CASE("atomic Load, Store, Add, Swap and CompareAndSwap are one step each", "[scenario][language]") {
  const std::string load_store = R"("load n -> v", "store n v+1")";
  // Two steps each: C(4, 2) interleavings; Add is one step: C(2, 1).
  CHECK(explore(with_atomic("", {load_store, load_store}, "never = [\"exception\"]")).dfs.executions == 6);
  CHECK(explore(with_atomic("", {R"("add n 1")", R"("add n 1")"}, "never = [\"exception\"]")).dfs.executions == 2);
  // A Load then a Store loses an increment; Add and a CAS retry loop do not.
  const std::string join = R"("add wg 2", "go g0", "go g1", "wait wg", "load n -> v", "assert v == 2")";
  auto worker = [](const std::string& ops) { return R"("defer done wg", )" + ops; };
  const std::set<harness::Outcome> lost = outcome_set(explore(with_atomic(join, {worker(load_store), worker(load_store)}, "never = [\"exception\"]")).dfs);
  CHECK(lost == std::set{ok(), outcome(OutcomeKind::kAssertion, "v == 2 is false (1 == 2)")});
  CHECK(outcome_set(explore(with_atomic(join, {worker(R"("add n 1")"), worker(R"("add n 1")")}, "every = \"ok\"")).dfs) == std::set{ok()});
  const std::string cas = R"("repeat: load n -> old; cas n old old+1 -> swapped; until swapped")";
  CHECK(outcome_set(explore(with_atomic(join, {worker(cas), worker(cas)}, "every = \"ok\"")).dfs) == std::set{ok()});
  // What each returns: CompareAndSwap whether it swapped, Swap the old value,
  // Add the new one; an initial value, negative too.
  CHECK(outcome_set(explore(R"(description = "x"
[[atomic]]
name = "n"
initial = -1
[[goroutine]]
name = "g"
ops = ["load n -> v", "assert v == -1", "cas n 5 6 -> ok", "assert !ok", "cas n -1 6 -> ok2", "assert ok2", "swap n 7 -> old", "assert old == 6", "add n -8 -> now", "assert now == -1"]
[expect]
every = "ok"
)").dfs) == std::set{ok()});

  const std::string one = R"(description = "x"
[[atomic]]
name = "n"
[[goroutine]]
name = "g"
ops = [OPS]
[expect]
every = "ok"
)";
  auto with_ops = [&](const std::string& ops) {
    std::string text = one;
    return text.replace(text.find("OPS"), 3, ops);
  };
  CHECK_THAT(error_for(with_ops(R"("load m -> v")")), Contains(":6:14: unknown atomic 'm': expected one of n"));
  CHECK_THAT(error_for(with_ops(R"("cas n 1")")), Contains(":6:16: 'cas' takes an atomic and two values (old, new): expected the new value"));
  CHECK_THAT(error_for(with_ops(R"("store n 1 -> x")")), Contains(":6:19: 'store' gives no value"));
  CHECK_THAT(error_for(with_ops(R"("repeat: load n -> v")")), Contains(":6:28: expected ';' then more of the loop, or '; until CONDITION', found the end"));
  CHECK_THAT(error_for(with_ops(R"("repeat: until 1")")), Contains(":6:17: 'repeat:' needs a statement before 'until'"));
  CHECK_THAT(error_for(with_ops(R"("repeat: load n -> v; until")")), Contains(":6:35: 'until' takes a condition"));
}

TEST_CASE("an atomic and a waitgroup cannot share a name", "[scenario][language]") {
  CHECK_THAT(error_for("description = \"x\"\n[[waitgroup]]\nname = \"n\"\n[[atomic]]\nname = \"n\"\n[[goroutine]]\n"
                       "name = \"g\"\nops = [\"add n 1\"]\n[expect]\nevery = \"ok\"\n"),
             Contains(":4:1: 'n' names a waitgroup already: 'add n N' would not say which"));
}

TEST_CASE("kind cow-cas publishes with CompareAndSwap and retries: no update lost", "[scenario][language]") {
  const std::vector<std::string> writers{R"("put 1 1", "m[2]++")", R"("put 3 3", "m[2] += 2")"};
  const std::string exact = "final = { 1 = 1, 2 = 3, 3 = 3 }";
  CHECK(outcome_set(explore(scenario(writers, exact, "", "cow")).dfs).count(ok()) == 1);
  CHECK(outcome_set(explore(scenario(writers, exact, "", "cow")).dfs).size() > 1);  // story 10: updates lost
  CHECK(outcome_set(explore(scenario(writers, exact, "", "cow-cas")).dfs) == std::set{ok()});
}

// ---- 8. channels, range with a body ----

namespace {
std::string with_channel(std::size_t capacity, const std::vector<std::string>& goroutines, const std::string& expect) {
  std::string text = "description = \"x\"\n[[channel]]\nname = \"c\"\ncapacity = " + std::to_string(capacity) + "\n";
  for (std::size_t i = 0; i < goroutines.size(); ++i)
    text += "[[goroutine]]\nname = \"g" + std::to_string(i) + "\"\nops = [" + goroutines[i] + "]\n";
  return text + "[expect]\n" + expect + "\n";
}
}  // namespace

TEST_CASE("channels block where Go's do: send, receive, close", "[scenario][language]") {
  const std::string fifo = R"("recv c -> a, ok", "recv c -> b", "assert ok", "assert a == 1", "assert b == 2")";
  // Unbuffered: the receive waits for the offer, the sender for the receive: one order.
  CHECK(explore(with_channel(0, {R"("send c 1", "send c 2")", fifo}, "every = \"ok\"")).dfs.executions == 1);
  // Capacity 1: the second send waits for the first receive: one order.
  CHECK(explore(with_channel(1, {R"("send c 1", "send c 2")", fifo}, "every = \"ok\"")).dfs.executions == 1);
  // Capacity 2: both sends may come first, or a receive between them: two.
  CHECK(explore(with_channel(2, {R"("send c 1", "send c 2")", fifo}, "every = \"ok\"")).dfs.executions == 2);
  // A closed, drained channel gives 0 and ok = false; range stops there.
  CHECK(outcome_set(explore(with_channel(1, {R"("send c 1", "send c 2", "close c")",
                                          R"("total := 0", "for v in range c: total += v", "recv c -> z, ok", "assert total == 3", "assert z == 0", "assert !ok")"},
                                      "every = \"ok\"")).dfs) == std::set{ok()});
  // A sender blocked on an unbuffered channel that gets closed panics, as a send after the close does.
  CHECK(outcome_set(explore(with_channel(0, {R"("send c 1")", R"("close c")"}, "outcome = \"panic\"")).dfs) ==
        std::set{outcome(OutcomeKind::kPanic, "send on closed channel")});
  CHECK(outcome_set(explore(with_channel(0, {R"("close c", "close c")"}, "outcome = \"panic\"")).dfs) ==
        std::set{outcome(OutcomeKind::kPanic, "close of closed channel")});
  // Nobody sends: Go's "all goroutines are asleep - deadlock!".
  const harness::Report stuck = explore(with_channel(0, {R"("recv c")"}, "outcome = \"deadlock\"")).dfs;
  REQUIRE(stuck.classes.size() == 1);
  CHECK(stuck.classes[0].outcome.kind == OutcomeKind::kDeadlock);

  CHECK_THAT(error_for(with_channel(0, {R"("send d 1")"}, "every = \"ok\"")), Contains(":7:14: unknown channel 'd': expected one of c"));
  CHECK_THAT(error_for(with_channel(0, {R"("send c")"}, "every = \"ok\"")), Contains(":7:15: 'send' takes a channel and a value"));
  CHECK_THAT(error_for(with_channel(0, {R"("close c -> x")"}, "every = \"ok\"")), Contains(":7:17: 'close' gives no value"));
  CHECK_THAT(error_for(with_channel(0, {R"("for k, v in range c: recover")"}, "every = \"ok\"")),
             Contains(":7:27: a channel gives one value: expected 'for k in range c'"));
  CHECK_THAT(error_for(with_channel(0, {R"("for k in range d: recover")"}, "every = \"ok\"")),
             Contains(":7:24: unknown channel or map 'd' after 'range'"));
  CHECK_THAT(error_for(with_channel(0, {R"("for k, v in 0..2: recover")"}, "every = \"ok\"")),
             Contains(":7:21: two loop variables take 'range'"));
}

TEST_CASE("for k, v in range m runs its body between mapiternext's steps; delete inside range is allowed", "[scenario][language]") {
  const std::string initial = "initial = [\"for i in 1..4: put i i\"]";
  const Explored sum = explore(scenario({R"("total := 0", "for k, v in range m: total += v; assert k == v", "assert total == 6")"}, "every = \"ok\"", initial));
  // One goroutine, but mapiterinit's random start is a data choice: 8 offsets in the one bucket.
  CHECK(sum.dfs.executions == 8);
  CHECK(outcome_set(sum.dfs) == std::set{ok()});
  CHECK(outcome_set(explore(scenario({R"("for k in range m: delete k", "len -> n", "assert n == 0")"}, "len = 0", initial)).dfs) ==
        std::set{ok()});
  // A write inside another goroutine's range body: Go's iteration check may fire.
  CHECK(outcome_set(explore(scenario({R"("for k, _ in range m: get k")", R"("put 9 9")"}, "never = [\"exception\"]", initial), 1).dfs)
            .count(outcome(OutcomeKind::kFatal, "concurrent map iteration and map write")) == 1);
}

// ---- 7. string keys ----

TEST_CASE("string keys: map[string]int64 through the generic path, reported by name", "[scenario][language]") {
  const std::string initial = "hash_seed = 1\ninitial = ['m[\"apple\"] = 0']";
  // One goroutine per element; TOML literal strings keep the quotes inside.
  auto quoted = [](std::vector<std::string> ops) {
    for (std::string& op : ops) op = "'" + op + "'";
    return ops;
  };
  auto one_goroutine = [&](const std::vector<std::string>& ops) {
    std::string joined;
    for (const std::string& op : quoted(ops)) joined += (joined.empty() ? "" : ", ") + op;
    return std::vector<std::string>{joined};
  };
  // The same race as with number keys, and the same schedules: a key is a key.
  const Explored strings = explore(scenario(quoted({R"(m["apple"]++)", R"(m["apple"]++)"}), "final = { apple = 2 }", initial), 2);
  const Explored numbers = explore(scenario({R"("m[1]++")", R"("m[1]++")"}, "final = { 1 = 2 }", "hash_seed = 1\ninitial = [\"m[1] = 0\"]"), 2);
  CHECK(strings.dfs.executions == numbers.dfs.executions);
  CHECK(outcome_set(strings.dfs) ==
        std::set{ok(), outcome(OutcomeKind::kFatal, "concurrent map writes"),
                 outcome(OutcomeKind::kWrongResult, "final contents {\"apple\": 1}, expected {\"apple\": 2}")});
  // Reads, get-or-put and range see the strings' numbers; comparisons with a string work.
  CHECK(outcome_set(explore(scenario(one_goroutine({R"(v, ok := m["pear"])", "assert !ok", R"(get-or-put "pear" 3 -> p)", "assert p == 3",
                                          R"(n := 0)", R"(for k, v in range m: n += v; assert k != "plum")", "assert n == 3"}),
                                  "final = { apple = 0, pear = 3 }", initial)).dfs) == std::set{ok()});
  CHECK_THAT(error_for(scenario(quoted({R"(m[1]++)"}), "every = \"ok\"", initial)),
             Contains(":8:11: the keys of this scenario are strings (first: \"apple\"), as in map[string]int64: 1 is a number"));
  CHECK_THAT(error_for(scenario(quoted({R"(put "a" 1)", R"(put 2 1)"}))),
             Contains(":10:13: the keys of this scenario are strings (first: \"a\"), as in map[string]int64: 2 is a number"));
  CHECK_THAT(error_for(scenario(quoted({R"(m["a"] = "b")"}))), Contains(":7:18: a string here: strings are map keys only, values are int64"));
  CHECK_THAT(error_for(scenario(quoted({R"(m["a" + 1]++)"}))), Contains(":7:15: strings take no arithmetic"));
  CHECK_THAT(error_for(scenario(quoted({R"(m["a]++)"}))), Contains(":7:11: unterminated string"));
}

// ---- m[k] /= x: an access, then an assign ----

TEST_CASE("m[k] /= x is a mapaccess then a mapassign; / and % are Go's", "[scenario][language]") {
  const std::string initial = "hash_seed = 1\ninitial = [\"m[0] = 100\"]";
  // Unlike m[k]++, the read can meet the other's write.
  CHECK(outcome_set(explore(scenario({R"("m[0] /= 3")", R"("m[0]++")"}, "never = [\"exception\"]", initial), 2).dfs)
            .count(outcome(OutcomeKind::kFatal, "concurrent map read and map write")) == 1);
  CHECK(outcome_set(explore(scenario({R"("m[0] %= 3")", R"("m[0]++")"}, "never = [\"exception\"]", initial), 2).dfs)
            .count(outcome(OutcomeKind::kFatal, "concurrent map read and map write")) == 1);
  // Division by zero panics after the read, before any write: a recover keeps the map whole.
  CHECK(outcome_set(explore(scenario({R"("defer recover", "x := 0", "m[0] /= x")"}, "final = { 0 = 100 }", initial)).dfs) ==
        std::set{outcome(OutcomeKind::kOk, "recovered: runtime error: integer divide by zero")});
  CHECK(outcome_set(explore(scenario({R"("x := 5", "y := x % 0")"}, "outcome = \"panic\"")).dfs) ==
        std::set{outcome(OutcomeKind::kPanic, "runtime error: integer divide by zero")});
  // Truncated toward zero; the one overflow wraps, as Go's does.
  CHECK(outcome_set(explore(scenario({R"("x := -7", "assert x / 2 == -3", "assert x % 2 == -1", "m[0] /= -8", "y := -9223372036854775807 - 1", "y /= -1", "assert y == -9223372036854775807 - 1", "y %= -1", "assert y == 0")"},
                                  "final = { 0 = -12 }", initial)).dfs) == std::set{ok()});
  CHECK_THAT(error_for(scenario({R"("put 1 7/0")"})), Contains(":7:16: invalid operation: division by zero"));
  CHECK_THAT(error_for(scenario({R"("put 1 (-9223372036854775807-1)/-1")"})), Contains(":7:39: constant expression overflows int64"));
  CHECK(error_for(scenario({R"("put 1 -7/2", "put 2 -7%2")"}, "final = { 1 = -3, 2 = -1 }")) == "no error");
}

// ---- hash_seed = "explore" ----

TEST_CASE("hash_seed = \"explore\" explores the seeds 0 to 7 as a data choice", "[scenario][language]") {
  // Whether the two keys share a bucket depends on the seed; the explored
  // seed's tree is the eight fixed seeds' trees side by side: the same
  // executions in all, the same outcome classes.
  const std::vector<std::string> writers{R"("put 1 1")", R"("put 2 2")"};
  std::uint64_t executions = 0;
  std::set<harness::Outcome> classes;
  for (int seed = 0; seed < 8; ++seed) {
    const Explored fixed = explore(scenario(writers, "never = [\"exception\"]", "B = 1\nhash_seed = " + std::to_string(seed)), 3);
    executions += fixed.dfs.executions;
    for (const auto& c : fixed.dfs.classes) classes.insert(c.outcome);
  }
  const Explored explored = explore(scenario(writers, "never = [\"exception\"]", "B = 1\nhash_seed = \"explore\""), 3);
  CHECK(explored.dfs.executions == executions);
  CHECK(outcome_set(explored.dfs) == classes);
  CHECK(classes.count(outcome(OutcomeKind::kCorruption, "map 'm': count is 2 but 1 keys are reachable")) == 1);
  CHECK_THAT(error_for(scenario(writers, "never = [\"exception\"]", "hash_seed = \"random\"")),
             Contains(":4:13: hash_seed must be a whole number or \"explore\", found \"random\""));
}

TEST_CASE("goroutine names follow the fibers: main first, then in the order main starts them", "[scenario][language]") {
  const Scenario with = load_scenario(write(with_main(R"("go g1", "add wg 0", "go g0")", {R"("recover")", R"("recover")"}, "every = \"ok\"")));
  CHECK(goroutine_names(with) == std::vector<std::string>{"main", "g1", "g0"});
  const Scenario without = load_scenario(write(scenario({R"("recover")", R"("recover")"})));
  CHECK(goroutine_names(without) == std::vector<std::string>{"g0", "g1"});
}

// ---- shared plain variables ----

namespace {
std::string with_shared(const std::string& main_ops, const std::vector<std::string>& workers, const std::string& expect) {
  std::string text = "description = \"x\"\n[[var]]\nname = \"counter\"\n[[waitgroup]]\nname = \"wg\"\n";
  if (!main_ops.empty()) text += "[main]\nops = [" + main_ops + "]\n";
  for (std::size_t i = 0; i < workers.size(); ++i)
    text += "[[goroutine]]\nname = \"g" + std::to_string(i) + "\"\nops = [" + workers[i] + "]\n";
  return text + "[expect]\n" + expect + "\n";
}
}  // namespace

TEST_CASE("a shared [[var]]: counter++ is a plain load and a plain store", "[scenario][language]") {
  // Two steps each: C(4, 2) interleavings, and dpor sees one object.
  const Explored two = explore(with_shared("", {R"("counter++")", R"("counter += 1")"}, "never = [\"exception\"]"));
  CHECK(two.dfs.executions == 6);
  // Joined and checked: both loads before both stores lose one.
  const std::set<harness::Outcome> joined = outcome_set(explore(with_shared(
      R"("add wg 2", "go g0", "go g1", "wait wg", "assert counter == 2")",
      {R"("defer done wg", "counter++")", R"("defer done wg", "counter++")"}, "never = [\"exception\"]")).dfs);
  CHECK(joined == std::set{ok(), outcome(OutcomeKind::kAssertion, "counter == 2 is false (1 == 2)")});
  // Behind a mutex it is exact whatever the order: (5 + 1) * 2 or 5 * 2 + 1.
  const std::string locked = "description = \"x\"\n[[var]]\nname = \"counter\"\ninitial = 5\n[[mutex]]\nname = \"mu\"\n"
                             "[[waitgroup]]\nname = \"wg\"\n[main]\nops = [\"add wg 2\", \"go a\", \"go b\", \"wait wg\", "
                             "\"v := counter\", \"assert v >= 11\", \"assert v <= 12\"]\n"
                             "[[goroutine]]\nname = \"a\"\nops = [\"defer done wg\", \"lock mu\", \"counter++\", \"unlock mu\"]\n"
                             "[[goroutine]]\nname = \"b\"\nops = [\"defer done wg\", \"lock mu\", \"counter = counter * 2\", "
                             "\"unlock mu\"]\n[expect]\nevery = \"ok\"\n";
  CHECK(outcome_set(explore(locked).dfs) == std::set{ok()});
  CHECK_THAT(error_for(with_shared("", {R"("counter := 1")"}, "every = \"ok\"")),
             Contains(":8:17: 'counter' is a shared [[var]], declared already: assign it with '='"));
  CHECK_THAT(error_for(with_shared("", {R"("for counter in 0..2: recover")"}, "every = \"ok\"")),
             Contains(":8:13: 'counter' is a shared [[var]]: a local of that name would hide it"));
}
