// interleave regress: replay every trace of the corpus and run every
// scenario; for CI, with an optional JUnit XML report.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "harness/trace/atomic_file.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"

namespace interleave {
namespace {

struct CaseResult {
  std::string name;
  std::string failure;  ///< empty: passed
  std::string output;
};

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string junit(const std::vector<CaseResult>& cases) {
  std::size_t failures = 0;
  for (const auto& c : cases) failures += c.failure.empty() ? 0 : 1;
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format("<testsuites tests=\"{}\" failures=\"{}\">\n", cases.size(), failures);
  xml += fmt::format("  <testsuite name=\"interleave regress\" tests=\"{}\" failures=\"{}\">\n", cases.size(), failures);
  for (const auto& c : cases) {
    xml += fmt::format("    <testcase classname=\"interleave\" name=\"{}\">\n", xml_escape(c.name));
    if (!c.failure.empty())
      xml += fmt::format("      <failure message=\"{}\">{}</failure>\n", xml_escape(c.failure), xml_escape(c.output));
    xml += fmt::format("      <system-out>{}</system-out>\n    </testcase>\n", xml_escape(c.output));
  }
  return xml + "  </testsuite>\n</testsuites>\n";
}

/// What a case printed, and how it ended.
struct Captured {
  int code = kExitHeld;
  std::string out;  ///< standard output
  std::string err;  ///< standard error: why it could not run
};

/// Runs `body` with std::cout and std::cerr captured. An exception ends the
/// case, not the whole run: the next trace or scenario still runs.
template <typename Body>
Captured captured(Body body) {
  std::ostringstream out, err;
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  Captured result;
  try {
    result.code = body();
  } catch (const harness::FileRefused& error) {
    err << "interleave: " << error.what() << "\n";
    result.code = kExitBadInput;
  } catch (const harness::IoError& error) {
    err << "interleave: " << error.what() << "\n";
    result.code = kExitIoError;
  } catch (const std::exception& error) {
    err << "interleave: " << error.what() << "\n";
    result.code = kExitFailed;
  }
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

/// The first error a case printed on stderr, without "interleave: " (stderr
/// may also hold progress lines, when it is a terminal).
std::string first_error(const std::string& err) {
  std::size_t at = err.rfind("interleave: ", 0) == 0 ? 0 : err.find("\ninterleave: ");
  if (at == std::string::npos) return "it failed without saying why";
  at = err.find("interleave: ", at) + 12;
  return err.substr(at, err.find('\n', at) - at);
}

/// The exit code a failing case contributes: 2 for bad input, 4 for an I/O
/// failure, 1 otherwise; the run exits with the largest.
int severity(int code) { return code == kExitBadInput || code == kExitIoError ? code : kExitFailed; }

}  // namespace

int cmd_regress(const std::vector<std::string>& dirs_given, const std::optional<std::string>& junit_path,
                bool allow_outside) {
  namespace fs = std::filesystem;
  const std::vector<std::string> dirs = dirs_given.empty() ? std::vector<std::string>{"traces", "scenarios"} : dirs_given;
  if (junit_path) check_output_file(*junit_path);
  std::vector<std::string> traces, scenarios;
  for (const std::string& dir : dirs) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
      std::cerr << fmt::format("interleave: {}: {}\n", dir,
                               fs::exists(dir, error) ? "is not a directory, expected a folder of traces and scenarios"
                                                      : "no such file or directory");
      return kExitBadInput;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(dir, error), end;
    for (; !error && it != end; it.increment(error)) found.push_back(it->path().string());
    if (error) throw harness::IoError(fmt::format("could not read folder {}: {}", dir, error.message()));
    std::sort(found.begin(), found.end());
    for (const auto& path : found) {
      if (path.ends_with(".trace")) traces.push_back(path);
      if (path.ends_with(".toml")) scenarios.push_back(path);
    }
  }
  std::vector<CaseResult> cases;
  int worst = kExitHeld;
  auto report = [&](const std::string& name, const Captured& run, const std::string& failure) {
    cases.push_back(CaseResult{name, run.code == kExitHeld ? "" : failure, run.out + run.err});
    std::cout << fmt::format("{} {}\n", run.code == kExitHeld ? "ok  " : "FAIL", name);
    if (run.code == kExitHeld) return;
    std::cout << "       " << failure << "\n";
    worst = std::max(worst, severity(run.code));
  };
  for (const std::string& trace : traces) {
    const Captured run = captured([&] { return cmd_replay(trace, true, allow_outside); });
    // 2: the trace (or the scenario it names) is damaged or missing; 3: its
    // scenario changed, or the replay wrote other bytes; 4: an I/O failure.
    std::string failure = "the trace did not replay byte for byte";
    if (run.code == kExitBadInput) failure = "the trace could not be replayed: " + first_error(run.err);
    else if (run.err.find("interleave: ") != std::string::npos) failure = first_error(run.err);
    report("replay " + trace, run, failure);
  }
  for (const std::string& scenario : scenarios) {
    const Captured run = captured([&] { return cmd_run({scenario}, ExploreOverrides{}, std::nullopt); });
    std::string failure = "the expectation did not hold";
    if (run.code == kExitBadInput || run.code == kExitIoError) failure = first_error(run.err);
    report("scenario " + scenario, run, failure);
    if (run.code != kExitHeld) std::cout << run.out;
  }
  std::size_t passed = 0;
  for (const auto& c : cases) passed += c.failure.empty() ? 1 : 0;
  std::cout << fmt::format("{} passed, {} failed\n", passed, cases.size() - passed);
  if (junit_path) {
    try {
      harness::write_file_atomically(*junit_path, junit(cases));
    } catch (const harness::IoError& error) {
      std::cerr << "interleave: " << error.what() << "\n";
      return kExitIoError;
    }
  }
  return worst;
}

}  // namespace interleave
