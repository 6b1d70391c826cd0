// The bad-input suite: the built `interleave` binary, run on input that is
// wrong, huge, deep, hostile or merely unusual, must end with the documented
// exit code and a message that says where and what, never a crash, a hang or
// unbounded memory. Each case is data: files to write, an optional command
// to prepare them, the arguments, the exit code and regexes the output must
// match. Each case is its own ctest.
//
// The binary is the one built beside this test; INTERLEAVE_CLI in the
// environment names another (to run the suite against an older build).
// Each run gets a 1 GiB address-space limit and a time limit: a hang or a
// runaway allocation fails the case instead of the machine.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/trace/text_escape.hpp"
#include "tests/support/explore_helpers.hpp"

namespace fs = std::filesystem;

namespace {

constexpr int kTimeLimitSeconds = 30;
constexpr rlim_t kMemoryLimit = rlim_t{1} << 30;

struct File {
  std::string path;  ///< relative to the case folder
  std::string contents;
};

struct Case {
  std::string name{};
  std::vector<File> files{};
  /// Run first (in setup_cwd), e.g. to record a trace; must exit 0 or 1.
  std::vector<std::string> setup{};
  std::string setup_cwd = ".";
  /// Then this, given the case folder (damage a trace, make a pipe, …).
  std::function<void(const fs::path&)> prepare{};
  std::vector<std::string> args{};
  std::string cwd = ".";  ///< relative to the case folder
  int exit_code = 2;
  std::string err{};  ///< ECMAScript regex searched in stderr ("" = anything)
  std::string out{};  ///< likewise in stdout
  /// A file the run must leave (relative to the case folder) and a regex its contents must match.
  std::string file{};
  std::string file_matches{};
  bool utf8 = false;  ///< stdout and stderr must be well-formed UTF-8
};

struct Result {
  int code = -1;  ///< exit status, or 128 + signal
  bool timed_out = false;
  std::string out, err;
};

std::string cli() {
  if (const char* over = std::getenv("INTERLEAVE_CLI"); over != nullptr && *over != '\0') return over;
  return INTERLEAVE_CLI;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs the CLI with `args` in `cwd`, under the time and memory limits.
Result run_cli(const std::vector<std::string>& args, const fs::path& cwd, const fs::path& scratch) {
  const fs::path out_path = scratch / "stdout", err_path = scratch / "stderr";
  const std::string binary = cli();
  std::vector<std::string> argv_text{binary};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = ::open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || in < 0 || ::chdir(cwd.c_str()) != 0) ::_exit(125);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    // AddressSanitizer reserves terabytes of address space for its shadow
    // memory: under it the limit cannot be an address-space one (the
    // sanitizer build checks memory errors instead; other builds the bound).
#if defined(__SANITIZE_ADDRESS__)
    constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    constexpr bool kAddressSanitizer = true;
#else
    constexpr bool kAddressSanitizer = false;
#endif
#else
    constexpr bool kAddressSanitizer = false;
#endif
    if (!kAddressSanitizer) {
      const rlimit memory{kMemoryLimit, kMemoryLimit};
      ::setrlimit(RLIMIT_AS, &memory);
    }
    const rlimit core{0, 0};
    ::setrlimit(RLIMIT_CORE, &core);
    ::execv(binary.c_str(), argv.data());
    ::_exit(126);
  }
  Result result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kTimeLimitSeconds);
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = slurp(out_path);
  result.err = slurp(err_path);
  return result;
}

bool well_formed_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = harness::trace_text::utf8_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string excerpt(const std::string& text) { return text.size() > 2000 ? text.substr(0, 2000) + "…" : text; }

void run_case(const Case& c) {
  const fs::path root = harness::testing::temp_dir("bad_input/" + c.name);
  const fs::path scratch = harness::testing::temp_dir("bad_input_out/" + c.name);
  for (const File& f : c.files) {
    const fs::path path = root / f.path;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << f.contents;
  }
  if (!c.setup.empty()) {
    const Result setup = run_cli(c.setup, root / c.setup_cwd, scratch);
    INFO("setup: " << setup.out << setup.err);
    REQUIRE((setup.code == 0 || setup.code == 1));
  }
  if (c.prepare) c.prepare(root);
  const Result r = run_cli(c.args, root / c.cwd, scratch);
  std::string command = "interleave";
  for (const auto& a : c.args) command += " " + (a.size() > 80 ? a.substr(0, 80) + "…" : a);
  INFO(command << "\nexit " << r.code << (r.timed_out ? " (killed: time limit)" : "") << "\n--- stdout\n"
               << excerpt(r.out) << "\n--- stderr\n" << excerpt(r.err));
  CHECK_FALSE(r.timed_out);
  CHECK(r.code == c.exit_code);
  if (!c.err.empty()) CHECK(std::regex_search(r.err, std::regex(c.err)));
  if (!c.out.empty()) CHECK(std::regex_search(r.out, std::regex(c.out)));
  if (c.utf8) CHECK((well_formed_utf8(r.out) && well_formed_utf8(r.err)));
  if (!c.file.empty()) {
    CHECK(fs::exists(root / c.file));
    const std::string contents = slurp(root / c.file);
    INFO(c.file << ":\n" << excerpt(contents));
    CHECK(std::regex_search(contents, std::regex(c.file_matches)));
  }
  if (std::getenv("INTERLEAVE_KEEP") == nullptr) {
    std::error_code ignored;
    fs::remove_all(root, ignored);
    fs::remove_all(scratch, ignored);
  }
}

// ---- building inputs ----

std::string repeat(const std::string& text, std::size_t n) {
  std::string out;
  out.reserve(text.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += text;
  return out;
}

/// A valid scenario whose one goroutine runs `ops` (a TOML array's
/// contents); line 6 holds the ops, which start at column 9.
std::string scenario(const std::string& ops, const std::string& expect = "every = \"ok\"",
                     const std::string& map_extra = "") {
  return "description = \"bad input\"\n[map]\nkind = \"go\"\n" + map_extra + "[[goroutine]]\nname = \"g\"\nops = [" +
         ops + "]\n[expect]\n" + expect + "\n";
}

/// Two goroutines writing one map: every dfs run finds `fatal: concurrent
/// map writes`, so `run … --save-traces` leaves a trace to damage.
const std::string kRacy = R"(description = "two writers"
[map]
kind = "go"
[[goroutine]]
name = "w1"
ops = ["put 1 1"]
[[goroutine]]
name = "w2"
ops = ["put 2 2"]
[expect]
reach = ["fatal: concurrent map writes"]
)";

/// The fatal trace `run race.toml --save-traces t` records.
const char* const kTrace = "t/race.fatal.trace";

std::string read_text(const fs::path& path) { return slurp(path); }
void write_text(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

/// Replaces the first line of the trace starting with `prefix` by `line`.
std::function<void(const fs::path&)> edit_line(std::string prefix, std::string line) {
  return [prefix, line](const fs::path& root) {
    std::string text = read_text(root / kTrace);
    const std::size_t at = text.find("\n" + prefix);
    REQUIRE(at != std::string::npos);
    const std::size_t end = text.find('\n', at + 1);
    text.replace(at + 1, end - at - 1, line);
    write_text(root / kTrace, text);
  };
}

/// Inserts `line` after the first line starting with `prefix`.
std::function<void(const fs::path&)> insert_after(std::string prefix, std::string line) {
  return [prefix, line](const fs::path& root) {
    std::string text = read_text(root / kTrace);
    const std::size_t at = text.find("\n" + prefix);
    REQUIRE(at != std::string::npos);
    const std::size_t end = text.find('\n', at + 1);
    text.insert(end + 1, line + "\n");
    write_text(root / kTrace, text);
  };
}

/// A trace case: records race.toml's trace, applies `damage`, runs `args`.
Case trace_case(std::string name, std::function<void(const fs::path&)> damage, std::vector<std::string> args,
                int exit_code, std::string err) {
  Case c;
  c.name = std::move(name);
  c.files = {{"race.toml", kRacy}};
  c.setup = {"run", "race.toml", "--strategy", "dfs", "--save-traces", "t"};
  c.prepare = std::move(damage);
  c.args = std::move(args);
  c.exit_code = exit_code;
  c.err = std::move(err);
  return c;
}

std::vector<Case> make_cases() {
  std::vector<Case> cases;
  auto add = [&](Case c) { cases.push_back(std::move(c)); };

  // ---- files that are not what was asked for ----
  add({.name = "run-dev-zero", .args = {"run", "/dev/zero"},
       .err = R"(^interleave: /dev/zero: is a character device, expected a scenario file\n)"});
  add({.name = "replay-dev-zero", .args = {"replay", "/dev/zero"},
       .err = R"(^interleave: /dev/zero: is a character device, expected a trace file\n$)"});
  add({.name = "merge-dev-zero", .args = {"merge", "/dev/zero"},
       .err = R"(^interleave: /dev/zero: is a character device, expected a JSON report\n$)"});
  add({.name = "replay-directory", .files = {{"d/x", ""}}, .args = {"replay", "d"},
       .err = R"(^interleave: d: is a directory, expected a trace file\n$)"});
  add({.name = "show-directory", .files = {{"d/x", ""}}, .args = {"show", "d"},
       .err = R"(^interleave: d: is a directory, expected a trace file\n$)"});
  add({.name = "points-directory", .files = {{"d/x", ""}}, .args = {"points", "d"},
       .err = R"(^interleave: d: is a directory, expected a scenario file\n$)"});
  add({.name = "missing-trace-has-no-0-0", .args = {"replay", "missing.trace"},
       .err = R"(^interleave: missing\.trace: no such file or directory\n$)"});
  add({.name = "pipe-is-refused-not-waited-on",
       .prepare = [](const fs::path& root) { REQUIRE(::mkfifo((root / "p.toml").c_str(), 0644) == 0); },
       .args = {"run", "p.toml"},
       .err = R"(^interleave: p\.toml: is a pipe, expected a scenario file\n)"});
  add({.name = "oversized-scenario",
       .files = {{"big.toml", scenario("\"put 1 2\"") + repeat("# padding padding padding padding padding\n", 50000)}},
       .args = {"run", "big.toml"},
       .err = R"(^interleave: big\.toml: is too large for a scenario file: 2\d{6} bytes, at most 1 MiB\n)"});
  add({.name = "oversized-trace",
       .prepare =
           [](const fs::path& root) {
             write_text(root / "big.trace", "x");
             fs::resize_file(root / "big.trace", std::uintmax_t{300} << 20);  // sparse: no disk used
           },
       .args = {"replay", "big.trace"},
       .err = R"(^interleave: big\.trace: is too large for a trace file: 314572800 bytes, at most 256 MiB\n$)"});
  add({.name = "system-read-failure-exits-4", .args = {"run", "/proc/self/mem"}, .exit_code = 4,
       .err = R"(^interleave: could not read /proc/self/mem: input/output error\n$)"});
  add({.name = "json-into-a-directory", .files = {{"s.toml", scenario("\"put 1 2\"")}, {"d/x", ""}},
       .args = {"run", "s.toml", "--json", "d"},
       .err = R"(^interleave: d: is a directory, expected a file name\n$)"});
  add({.name = "save-traces-into-a-file", .files = {{"s.toml", scenario("\"put 1 2\"")}, {"f", ""}},
       .args = {"run", "s.toml", "--save-traces", "f"},
       .err = R"(^interleave: f: is not a directory, expected a folder to save traces in\n$)"});
  add({.name = "junit-into-a-directory", .files = {{"c/s.toml", scenario("\"put 1 2\"")}, {"d/x", ""}},
       .args = {"regress", "c", "--junit", "d"},
       .err = R"(^interleave: d: is a directory, expected a file name\n$)"});
  {
    Case c = trace_case("shrink-output-a-directory", {}, {"shrink", kTrace, "-o", "t"}, 2,
                        R"(^interleave: t: is a directory, expected a file name\n$)");
    add(c);
  }
  add({.name = "merge-report-of-wrong-shape",
       .files = {{"r.json", R"({"interleave_report": 2, "shard": "0/2", "scenarios": [{"path": 5}]})"}},
       .args = {"merge", "r.json"},
       .err = R"(^interleave: r\.json: not an interleave report: .+\n$)"});

  // ---- nesting and size in scenarios ----
  add({.name = "deep-parentheses",
       .files = {{"s.toml", scenario("\"put 1 " + repeat("(", 100000) + "1" + repeat(")", 100000) + "\"")}},
       .args = {"run", "s.toml"},
       .err = R"(^interleave: s\.toml:6:47: nested too deeply: at most 32 levels of 'for', parentheses and '-')"});
  add({.name = "deep-unary-minus", .files = {{"s.toml", scenario("\"put 1 2*" + repeat("-", 100000) + "1\"")}},
       .args = {"run", "s.toml"}, .err = R"(^interleave: s\.toml:6:49: nested too deeply)"});
  add({.name = "deep-for-loops",
       .files = {{"s.toml", scenario("\"" + repeat("for i in 0..1: ", 20000) + "put 1 2\"")}},
       .args = {"run", "s.toml"}, .err = R"(^interleave: s\.toml:6:489: nested too deeply)"});
  add({.name = "long-expression-of-variables",
       .files = {{"s.toml", scenario("\"for i in 0..1: put i i" + repeat("+i", 100000) + "\"")}},
       .args = {"run", "s.toml"},
       .err = R"(^interleave: s\.toml:6:\d+: expression too deep: at most 100 operations nested\n)"});
  add({.name = "deep-toml-dotted-key",
       .files = {{"s.toml", "description = \"x\"\n" + repeat("a.", 50000) + "a = 1\n"}}, .args = {"run", "s.toml"},
       .err = R"(^interleave: s\.toml:2:130: nested too deeply: at most 64 levels of tables, arrays and dotted keys\n)"});
  add({.name = "deep-toml-table-header",
       .files = {{"s.toml", "description = \"x\"\n[" + repeat("a.", 50000) + "a]\n"}}, .args = {"run", "s.toml"},
       .err = R"(^interleave: s\.toml:2:129: nested too deeply)"});
  add({.name = "deep-toml-arrays-after-unicode",
       .files = {{"s.toml", "description = \"x\"\nx = [\"ééé\", " + repeat("[", 70) + repeat("]", 70) + "]\n"}},
       .args = {"run", "s.toml"}, .err = R"(^interleave: s\.toml:2:75: nested too deeply)"});

  // ---- integers: Go's int64 ----
  add({.name = "constant-addition-overflows", .files = {{"s.toml", scenario("\"put 1 9223372036854775807+1\"")}},
       .args = {"run", "s.toml"},
       .err = R"(^interleave: s\.toml:6:34: constant expression overflows int64: Go's int64 holds -9223372036854775808 to 9223372036854775807\n)"});
  add({.name = "constant-product-overflows", .files = {{"s.toml", scenario("\"put 1 3037000500*3037000500\"")}},
       .args = {"run", "s.toml"}, .err = R"(^interleave: s\.toml:6:25: constant expression overflows int64)"});
  add({.name = "constant-negation-overflows",
       .files = {{"s.toml", scenario("\"put 1 -(-9223372036854775808)\"")}}, .args = {"run", "s.toml"},
       .err = R"(^interleave: s\.toml:6:15: constant expression overflows int64)"});
  add({.name = "integer-literal-overflows", .files = {{"s.toml", scenario("\"put 1 9223372036854775808\"")}},
       .args = {"run", "s.toml"},
       .err = R"(^interleave: s\.toml:6:15: integer constant '9223372036854775808' overflows int64)"});
  add({.name = "int64-min-literal-is-valid",
       .files = {{"s.toml", scenario("\"put (-9223372036854775808) (-9223372036854775807-1)\"",
                                     "final = { -9223372036854775808 = -9223372036854775808 }")}},
       .args = {"run", "s.toml"}, .exit_code = 0, .out = R"(expectation: held)"});

  // ---- --max-steps bounds the interpreter's own loops ----
  add({.name = "loop-without-preemption-point",
       .files = {{"s.toml", scenario("\"for i in 0..9223372036854775807: recover\"", "outcome = \"step-bound\"")}},
       .args = {"run", "s.toml", "--max-steps", "1000"}, .exit_code = 0,
       .out = R"(step-bound: no end after 1000 operations of the scenario)"});
  add({.name = "nested-loops-without-preemption-point",
       .files = {{"s.toml", scenario("\"for i in 0..1000000000: for j in 0..1000000000: recover\"",
                                     "outcome = \"step-bound\"")}},
       .args = {"run", "s.toml"}, .exit_code = 0, .out = R"(step-bound: no end after 10000 operations)"});
  add({.name = "endless-initial-operations",
       .files = {{"s.toml", scenario("\"put 1 2\"", "outcome = \"step-bound\"",
                                     "initial = [\"for i in 0..9223372036854775807: recover\"]\n")}},
       .args = {"run", "s.toml", "--max-steps", "500"}, .exit_code = 0,
       .out = R"(step-bound: no end after 500 operations of the scenario)"});
  add({.name = "defer-in-an-endless-loop",
       .files = {{"s.toml", scenario("\"for i in 0..9223372036854775807: defer put i i\"", "outcome = \"step-bound\"")}},
       .args = {"run", "s.toml", "--max-steps", "2000"}, .exit_code = 0,
       .out = R"(step-bound: no end after 2000 operations of the scenario)"});

  // ---- trace fields ----
  add(trace_case("trace-max-steps-not-a-number", edit_line("provenance max-steps", "provenance max-steps \"abc\""),
                 {"replay", kTrace}, 2,
                 R"(^interleave: t/race\.fatal\.trace:6:22: provenance max-steps: expected a whole number of at least 1, found 'abc'\n$)"));
  add(trace_case("trace-max-steps-zero", edit_line("provenance max-steps", "provenance max-steps \"0\""),
                 {"replay", kTrace}, 2, R"(^interleave: t/race\.fatal\.trace:6:22: provenance max-steps: expected)"));
  add(trace_case("trace-max-steps-beyond-64-bits",
                 edit_line("provenance max-steps", "provenance max-steps \"99999999999999999999999\""),
                 {"replay", kTrace}, 2, R"(^interleave: t/race\.fatal\.trace:6:22: provenance max-steps: expected)"));
  add(trace_case("trace-max-steps-beyond-the-limit",
                 edit_line("provenance max-steps", "provenance max-steps \"2000000\""), {"replay", kTrace}, 2,
                 R"(^interleave: t/race\.fatal\.trace:6:22: expected max-steps from 1 to 1000000, found '2000000'\n$)"));
  add(trace_case("trace-seed-not-a-number", insert_after("provenance strategy", "provenance seed \"x1\""),
                 {"replay", kTrace}, 2,
                 R"(^interleave: t/race\.fatal\.trace:5:17: provenance seed: expected a whole number, found 'x1'\n$)"));
  add(trace_case("trace-scenario-hash-malformed",
                 edit_line("provenance scenario-hash", "provenance scenario-hash \"zz\""), {"replay", kTrace}, 2,
                 R"(^interleave: t/race\.fatal\.trace:8:26: provenance scenario-hash: expected 16 lowercase hexadecimal digits)"));
  add(trace_case("trace-provenance-twice", insert_after("provenance max-steps", "provenance max-steps \"10\""),
                 {"replay", kTrace}, 2,
                 R"(^interleave: t/race\.fatal\.trace:7:12: provenance 'max-steps' is given twice \(also on line 6\)\n$)"));
  add(trace_case("trace-scenario-path-with-nul",
                 edit_line("provenance scenario ", "provenance scenario \"../race.toml\\x00.trace\""),
                 {"replay", kTrace}, 2,
                 R"(^interleave: t/race\.fatal\.trace:7:21: provenance scenario: expected the scenario file's path \(not empty, no control characters\), found '\.\./race\.toml\\x00\.trace'\n$)"));
  add(trace_case("trace-unknown-escape-shows-the-character", edit_line("fiber 0", "fiber 0 \"w\\é1\""),
                 {"show", kTrace}, 2,
                 R"(^interleave: t/race\.fatal\.trace:10:11: unknown escape '\\é' in a string)"));
  add(trace_case("trace-decisions-out-of-order", edit_line("schedule step=1 ", "schedule step=0 fiber=0 runnable={0,1}"),
                 {"replay", kTrace}, 2,
                 R"(^interleave: t/race\.fatal\.trace:\d+:10: decisions are in the order taken: expected step 1 or later, found 0\n$)"));
  add(trace_case("trace-goroutine-listed-twice", edit_line("schedule step=0 ", "schedule step=0 fiber=0 runnable={0,0}"),
                 {"replay", kTrace}, 2, R"(^interleave: t/race\.fatal\.trace:\d+:\d+: goroutine 0 is listed twice in '\{0,0\}'\n$)"));
  add(trace_case("trace-program-as-key-value", edit_line("program", "program name=race"), {"show", kTrace}, 2,
                 R"(^interleave: t/race\.fatal\.trace:2:9: expected the program's name, found 'name=race'\n$)"));
  {
    // A long detail of accented letters: the timeline cuts it at a character.
    Case c = trace_case("timeline-cuts-whole-characters",
                        [](const fs::path& root) {
                          std::string text = read_text(root / kTrace);
                          const std::size_t at = text.find("\nstep 0 ");
                          REQUIRE(at != std::string::npos);
                          const std::size_t end = text.find('\n', at + 1);
                          std::string line = text.substr(at + 1, end - at - 1);
                          const std::size_t detail = line.find(" detail=");
                          // An odd number of ASCII bytes first, so a cut by bytes lands inside an é.
                          line = line.substr(0, detail) + " detail=\"x" + repeat("é", 80) + "\"";
                          text.replace(at + 1, end - at - 1, line);
                          write_text(root / kTrace, text);
                        },
                        {"show", kTrace, "--steps"}, 0, "");  // steps are shown under --steps
    c.utf8 = true;
    c.out = "é\\.\\.\\.";
    add(c);
  }

  // ---- regress goes on past a damaged trace ----
  {
    Case c;
    c.name = "regress-goes-on-past-a-damaged-trace";
    c.files = {{"c/race.toml", kRacy}};
    c.setup = {"run", "c/race.toml", "--strategy", "dfs", "--save-traces", "c"};
    c.prepare = [](const fs::path& root) {
      std::string text = read_text(root / "c/race.fatal.trace");
      const std::size_t at = text.find("provenance max-steps \"10000\"");
      REQUIRE(at != std::string::npos);
      text.replace(at, 28, "provenance max-steps \"abc\"");
      write_text(root / "c/race.fatal.trace", text);
    };
    c.args = {"regress", "c", "--junit", "report.xml"};
    c.out = R"(FAIL replay c/race\.fatal\.trace\n +the trace could not be replayed: c/race\.fatal\.trace:6:22: provenance max-steps: expected a whole number of at least 1, found 'abc'\n(.|\n)*ok   scenario c/race\.toml\n(.|\n)*\d passed, 1 failed)";
    c.file = "report.xml";
    c.file_matches = R"(<failure message="the trace could not be replayed: c/race\.fatal\.trace:6:22: provenance max-steps)";
    add(c);
  }
  {
    Case c;
    c.name = "regress-reports-a-trace-whose-scenario-is-gone";
    c.files = {{"c/race.toml", kRacy}};
    c.setup = {"run", "c/race.toml", "--strategy", "dfs", "--save-traces", "c/t"};
    c.prepare = [](const fs::path& root) { fs::rename(root / "c/race.toml", root / "gone.toml"); };
    c.args = {"regress", "c", "--junit", "report.xml"};
    c.out = R"(FAIL replay c/t/race\.fatal\.trace\n +the trace could not be replayed: c/t/race\.fatal\.trace:7:21: the trace's scenario: c/race\.toml: no such file or directory)";
    c.file = "report.xml";
    c.file_matches = R"(failures="2"(.|\n)*<failure message="the trace could not be replayed: [^"]*no such file or directory")";
    add(c);
  }

  // ---- options out of range ----
  const std::string valid = scenario("\"put 1 2\"");
  add({.name = "seed-negative", .files = {{"s.toml", valid}}, .args = {"run", "s.toml", "--seed", "-1"},
       .err = R"(^interleave: --seed: expected a whole number from 0 to 18446744073709551615, found '-1'\n)"});
  add({.name = "seed-beyond-64-bits", .files = {{"s.toml", valid}},
       .args = {"run", "s.toml", "--seed", "99999999999999999999999"}, .err = R"(^interleave: --seed: expected)"});
  add({.name = "preemption-bound-too-large", .files = {{"s.toml", valid}},
       .args = {"run", "s.toml", "--preemption-bound", "5000"},
       .err = R"(^interleave: --preemption-bound: expected a whole number from 0 to 1000, found '5000'\n)"});
  add({.name = "max-steps-beyond-the-limit", .files = {{"s.toml", valid}},
       .args = {"run", "s.toml", "--max-steps", "2000000"},
       .err = R"(^interleave: --max-steps: expected a whole number from 1 to 1000000, found '2000000'\n)"});
  add({.name = "scenario-max-steps-beyond-the-limit",
       .files = {{"s.toml", valid + "[explore]\nmax_steps = 9223372036854775807\n"}}, .args = {"run", "s.toml"},
       .err = R"(^interleave: s\.toml:10:13: 'max_steps' must be between 1 and 1000000)"});
  add({.name = "shard-with-a-sign", .files = {{"s.toml", valid}}, .args = {"run", "s.toml", "--shard", "0/+4"},
       .err = R"(^interleave: --shard wants K/N with 0 <= K < N)"});

  // ---- non-ASCII text shown whole ----
  add({.name = "unexpected-character-shown-whole", .files = {{"s.toml", scenario("\"puté 1 2\"")}},
       .args = {"run", "s.toml"}, .err = R"(^interleave: s\.toml:6:12: unexpected character 'é'\n)", .utf8 = true});
  add({.name = "bad-byte-shown-escaped", .files = {{"s.toml", scenario("\"put 1 2 \\u0001\"")}},
       .args = {"run", "s.toml"}, .err = R"(^interleave: s\.toml:6:\d+: unexpected character '\\x01'\n)"});

  // ---- where a trace's scenario is ----
  {
    // Recorded from the top folder, replayed from a/: the path is the
    // trace's folder's, not the current directory's.
    Case c;
    c.name = "scenario-path-resolved-against-the-trace";
    c.files = {{"a/race.toml", kRacy}};
    c.setup = {"run", "a/race.toml", "--strategy", "dfs", "--save-traces", "a/t"};
    c.args = {"replay", "t/race.fatal.trace", "--check"};
    c.cwd = "a";
    c.exit_code = 0;
    c.out = "trace reproduced byte for byte";
    add(c);
  }
  {
    Case c;
    c.name = "scenario-path-leading-outside-is-refused";
    c.files = {{"race.toml", kRacy}, {"w/x", ""}};
    c.setup = {"run", "../race.toml", "--strategy", "dfs", "--save-traces", "t"};
    c.setup_cwd = "w";
    c.args = {"replay", "t/race.fatal.trace"};
    c.cwd = "w";
    c.err = R"(^interleave: t/race\.fatal\.trace:7:21: the scenario path '(\.\./)+race\.toml' leads outside the current directory \(.*/race\.toml\): .* pass --allow-outside)";
    add(c);
  }
  {
    Case c;
    c.name = "allow-outside-reads-it";
    c.files = {{"race.toml", kRacy}, {"w/x", ""}};
    c.setup = {"run", "../race.toml", "--strategy", "dfs", "--save-traces", "t"};
    c.setup_cwd = "w";
    c.args = {"replay", "t/race.fatal.trace", "--check", "--allow-outside"};
    c.cwd = "w";
    c.exit_code = 0;
    c.out = "trace reproduced byte for byte";
    add(c);
  }
  {
    Case c;
    c.name = "symlink-leading-outside-is-refused";
    c.files = {{"race.toml", kRacy}, {"w/x", ""}};
    c.setup = {"run", "../race.toml", "--strategy", "dfs", "--save-traces", "."};
    c.setup_cwd = "w";
    c.prepare = [](const fs::path& root) {
      fs::create_symlink("../race.toml", root / "w/link.toml");
      const fs::path trace = root / "w/race.fatal.trace";
      std::string text = read_text(trace);
      const std::size_t at = text.find("provenance scenario \"");
      const std::size_t end = text.find('\n', at);
      text.replace(at, end - at, "provenance scenario \"link.toml\"");
      write_text(trace, text);
    };
    c.args = {"replay", "race.fatal.trace"};
    c.cwd = "w";
    c.err = R"(^interleave: race\.fatal\.trace:7:21: the scenario path 'link\.toml' leads outside the current directory)";
    add(c);
  }
  return cases;
}

const std::vector<Case>& all_cases() {
  static const std::vector<Case> cases = make_cases();
  return cases;
}

class CaseInvoker final : public Catch::ITestInvoker {
 public:
  explicit CaseInvoker(std::size_t index) : index_(index) {}
  void invoke() const override { run_case(all_cases()[index_]); }

 private:
  std::size_t index_;
};

/// One Catch2 test case (one ctest) per case.
const bool registered = [] {
  static std::vector<std::string> names;
  names.reserve(all_cases().size());
  for (std::size_t i = 0; i < all_cases().size(); ++i) {
    names.push_back("bad input: " + all_cases()[i].name);
    Catch::AutoReg(new CaseInvoker(i), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                   Catch::NameAndTags{names.back(), "[bad-input]"});
  }
  return true;
}();

}  // namespace
