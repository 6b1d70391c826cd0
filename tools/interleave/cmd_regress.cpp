// interleave regress: replay every trace of the corpus and run every
// scenario; for CI, with an optional JUnit XML report.
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

/// Runs `body` with std::cout captured.
template <typename Body>
std::pair<int, std::string> captured(Body body) {
  std::ostringstream buffer;
  std::streambuf* old = std::cout.rdbuf(buffer.rdbuf());
  int code;
  try {
    code = body();
  } catch (...) {
    std::cout.rdbuf(old);
    throw;
  }
  std::cout.rdbuf(old);
  return {code, buffer.str()};
}

}  // namespace

int cmd_regress(const std::vector<std::string>& dirs_given, const std::optional<std::string>& junit_path) {
  namespace fs = std::filesystem;
  const std::vector<std::string> dirs = dirs_given.empty() ? std::vector<std::string>{"traces", "scenarios"} : dirs_given;
  std::vector<std::string> traces, scenarios;
  for (const std::string& dir : dirs) {
    if (!fs::is_directory(dir)) {
      std::cerr << fmt::format("interleave: {}: not a directory\n", dir);
      return kExitBadInput;
    }
    std::vector<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) found.push_back(entry.path().string());
    std::sort(found.begin(), found.end());
    for (const auto& path : found) {
      if (path.ends_with(".trace")) traces.push_back(path);
      if (path.ends_with(".toml")) scenarios.push_back(path);
    }
  }
  std::vector<CaseResult> cases;
  int worst = kExitHeld;
  for (const std::string& trace : traces) {
    auto [code, output] = captured([&] { return cmd_replay(trace, true); });
    cases.push_back(CaseResult{"replay " + trace, code == kExitHeld ? "" : "the trace did not replay byte for byte", output});
    std::cout << fmt::format("{} replay {}\n", code == kExitHeld ? "ok  " : "FAIL", trace);
    if (code != kExitHeld) worst = std::max(worst, code == kExitBadInput ? kExitBadInput : kExitFailed);
  }
  for (const std::string& scenario : scenarios) {
    auto [code, output] = captured([&] { return cmd_run({scenario}, ExploreOverrides{}, std::nullopt); });
    cases.push_back(CaseResult{"scenario " + scenario, code == kExitHeld ? "" : "the expectation did not hold", output});
    std::cout << fmt::format("{} scenario {}\n", code == kExitHeld ? "ok  " : "FAIL", scenario);
    if (code != kExitHeld) {
      std::cout << output;
      worst = std::max(worst, code == kExitBadInput ? kExitBadInput : kExitFailed);
    }
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
