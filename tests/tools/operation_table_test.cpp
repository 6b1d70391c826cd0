// Operation grouping (tools/interleave/operation_table.hpp) and the
// conflicting pair (conflicting_pair.hpp) on traces built step by step here,
// where the right answer is known from how they were built, and on every
// trace of the corpus (traces/): each step in exactly one operation, and a
// pair with its reason for every failure kind that has one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/trace/trace.hpp"
#include "tools/interleave/conflicting_pair.hpp"
#include "tools/interleave/html_timeline.hpp"
#include "tools/interleave/operation_table.hpp"
#include "tools/interleave/timeline.hpp"

namespace {

using harness::AccessKind;

struct Builder {
  harness::Trace trace;
  Builder(std::vector<std::string> fibers, std::vector<std::string> objects) {
    trace.program = "test";
    trace.fibers = std::move(fibers);
    for (auto& name : objects) trace.objects.push_back({"word", name});
  }
  Builder& step(std::uint32_t fiber, std::string label, std::uint32_t object, AccessKind access, std::string detail = {}) {
    harness::Event e;
    e.step = trace.events.size();
    e.fiber = harness::FiberId{fiber};
    e.label = std::move(label);
    e.object = harness::ObjectId{object};
    e.access = access;
    e.detail = std::move(detail);
    trace.events.push_back(std::move(e));
    return *this;
  }
  /// One whole mapassign of goroutine `f` on m (object 0 the flags, 1 the bucket).
  Builder& assign(std::uint32_t f, const std::string& call) {
    return step(f, "mapassign.check-writing", 0, AccessKind::kRead, call + "; read flags=0")
        .step(f, "mapassign.set-writing.store", 0, AccessKind::kWrite, "wrote flags=4")
        .step(f, "mapassign.store-elem", 1, AccessKind::kWrite, call)
        .step(f, "mapassign.clear-writing.store", 0, AccessKind::kWrite, "wrote flags=0");
  }
};

std::vector<std::size_t> steps_of(const interleave::OperationRow& row) { return row.events; }

}  // namespace

TEST_CASE("two calls in a row of one goroutine are two operations", "[operation_table]") {
  Builder b({"w"}, {"m.flags", "m.bucket"});
  b.assign(0, "m[1] = 1").assign(0, "m[2] = 2");
  const auto table = interleave::group_operations(b.trace);
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[0].call == "m[1] = 1");
  CHECK(table.rows[1].call == "m[2] = 2");
  CHECK(steps_of(table.rows[0]) == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(steps_of(table.rows[1]) == std::vector<std::size_t>{4, 5, 6, 7});
}

TEST_CASE("interleaved calls keep their own steps and start order", "[operation_table]") {
  Builder b({"w1", "w2"}, {"m.flags", "m.bucket"});
  b.step(0, "mapassign.check-writing", 0, AccessKind::kRead, "m[1] = 1; read flags=0")
      .step(1, "mapaccess.check-writing", 0, AccessKind::kRead, "m[5]; read flags=0")
      .step(0, "mapassign.set-writing.store", 0, AccessKind::kWrite, "wrote flags=4")
      .step(0, "hashGrow.makeBucketArray", 1, AccessKind::kRmw, "doubling growth to B=1")
      .step(0, "evacuate", 1, AccessKind::kRmw)
      .step(1, "mapaccess.probe", 1, AccessKind::kRead, "found key 5 = 7")
      .step(1, "mutex.lock", 0, AccessKind::kLock)
      .step(0, "mapassign.store-elem", 1, AccessKind::kWrite, "m[1] = 1");
  const auto table = interleave::group_operations(b.trace);
  REQUIRE(table.rows.size() == 3);
  CHECK(steps_of(table.rows[0]) == std::vector<std::size_t>{0, 2, 3, 4, 7});  // growth belongs to the assign
  CHECK(steps_of(table.rows[1]) == std::vector<std::size_t>{1, 5});
  CHECK(table.rows[1].call == "m[5]");
  CHECK(table.rows[1].result == "-> 7");
  CHECK(steps_of(table.rows[2]) == std::vector<std::size_t>{6});
  CHECK(table.rows[2].call == "m.flags.Lock()");
  for (std::size_t r = 0; r < table.rows.size(); ++r)
    for (const std::size_t i : table.rows[r].events) CHECK(table.row_of_event[i] == r);
}

TEST_CASE("a range takes in its mapiternext steps", "[operation_table]") {
  Builder b({"r"}, {"m", "m.it"});
  b.step(0, "mapiterinit", 0, AccessKind::kRead, "start at bucket 0, offset 0")
      .step(0, "mapiterinit.set-iterator", 1, AccessKind::kRmw)
      .step(0, "mapiternext.check-writing", 0, AccessKind::kRead, "read flags=3; yields 0 = 0")
      .step(0, "mapiternext.check-writing", 0, AccessKind::kRead, "read flags=3; yields 1 = 1")
      .step(0, "mapaccess.check-writing", 0, AccessKind::kRead, "m[9]; read flags=0")
      .step(0, "mapaccess.probe", 1, AccessKind::kRead);
  const auto table = interleave::group_operations(b.trace);
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[0].call == "range m");
  CHECK(table.rows[0].result == "yields 0 = 0, 1 = 1");
  CHECK(table.rows[0].events.size() == 4);
  CHECK(table.rows[1].result == "-> not found");
}

TEST_CASE("fatal: the flag store of one call and the check of the other", "[conflicting_pair]") {
  Builder b({"w1", "w2"}, {"m.flags", "m.bucket"});
  b.step(0, "mapassign.check-writing", 0, AccessKind::kRead, "m[1] = 1; read flags=0")
      .step(0, "mapassign.set-writing.store", 0, AccessKind::kWrite, "wrote flags=4")
      .step(0, "mapassign.store-elem", 1, AccessKind::kWrite, "m[1] = 1")
      .step(1, "mapassign.check-writing", 0, AccessKind::kRead, "m[2] = 2; read flags=4");
  b.trace.outcome = {harness::OutcomeKind::kFatal, "concurrent map writes"};
  const auto table = interleave::group_operations(b.trace);
  const auto pair = interleave::find_conflicting_pair(b.trace, table);
  CHECK(pair.events == std::vector<std::size_t>{1, 3});
  CHECK_FALSE(pair.why.empty());
  const std::string text = interleave::render_timeline(b.trace);
  CHECK(text.find("* m[1] = 1") != std::string::npos);
  CHECK(text.find("* m[2] = 2") != std::string::npos);
  CHECK(text.find("mapassign.store-elem") == std::string::npos);  // steps are folded...
  CHECK(interleave::render_timeline(b.trace, true).find("mapassign.store-elem") != std::string::npos);  // ...until asked
}

TEST_CASE("wrong-result: the stale read and the write it overwrote", "[conflicting_pair]") {
  Builder b({"a", "b"}, {"x"});
  b.step(0, "atomic.load", 0, AccessKind::kRead, "read 0")
      .step(1, "atomic.load", 0, AccessKind::kRead, "read 0")
      .step(1, "atomic.store", 0, AccessKind::kWrite, "wrote 1")
      .step(0, "atomic.store", 0, AccessKind::kWrite, "wrote 1");
  b.trace.outcome = {harness::OutcomeKind::kWrongResult, "final 1, expected 2"};
  const auto table = interleave::group_operations(b.trace);
  REQUIRE(table.rows.size() == 4);
  CHECK(table.rows[2].call == "x.Store(1)");
  CHECK(table.rows[0].result == "-> 0");
  CHECK(interleave::find_conflicting_pair(b.trace, table).events == std::vector<std::size_t>{0, 2});
}

TEST_CASE("deadlock: the steps that took what the others wait for", "[conflicting_pair]") {
  Builder b({"t", "r", "idle"}, {"a_mu", "b_mu"});
  b.step(0, "mutex.lock", 0, AccessKind::kLock).step(2, "mutex.lock", 1, AccessKind::kLock)
      .step(2, "mutex.unlock", 1, AccessKind::kUnlock).step(1, "mutex.lock", 1, AccessKind::kLock);
  b.trace.outcome = {harness::OutcomeKind::kDeadlock,
                     "all goroutines are asleep - deadlock!; goroutine 0 't' blocked at mutex.lock: lock of mutex "
                     "'b_mu' held by goroutine 1 'r'; goroutine 1 'r' blocked at mutex.lock: lock of mutex 'a_mu' "
                     "held by goroutine 0 't'"};
  const auto pair = interleave::find_conflicting_pair(b.trace, interleave::group_operations(b.trace));
  CHECK(pair.events == std::vector<std::size_t>{0, 3});  // not idle's lock of b_mu at step 1
  CHECK(pair.why.find("'t' waits for b_mu, which 'r' took at step 3") != std::string::npos);
}

TEST_CASE("every corpus trace: each step in one operation, and its conflicting pair", "[operation_table][corpus]") {
  namespace fs = std::filesystem;
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(fs::path(INTERLEAVE_SCENARIO_DIR) / ".." / "traces"))
    if (entry.path().extension() == ".trace") paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  REQUIRE(paths.size() >= 10);
  for (const auto& path : paths) {
    INFO(path.string());
    const harness::Trace trace = harness::load_trace(path.string());
    const auto table = interleave::group_operations(trace);
    std::vector<int> seen(trace.events.size(), 0);
    for (const auto& row : table.rows) {
      CHECK_FALSE(row.call.empty());
      for (const std::size_t i : row.events) ++seen[i];
    }
    CHECK(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
    const auto pair = interleave::find_conflicting_pair(trace, table);
    CHECK_FALSE(pair.events.empty());
    const auto kind = trace.outcome.kind;
    if (kind == harness::OutcomeKind::kFatal || kind == harness::OutcomeKind::kCorruption ||
        kind == harness::OutcomeKind::kWrongResult || kind == harness::OutcomeKind::kDeadlock) {
      CHECK(pair.events.size() >= 2);
      CHECK_FALSE(pair.why.empty());
    }
    // Deterministic: the same trace, the same page.
    CHECK(interleave::render_html_timeline(trace) == interleave::render_html_timeline(trace));
  }
}

TEST_CASE("html_escape leaves no markup", "[html_timeline]") {
  CHECK(interleave::html_escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}
