#include "harness/catch2/result_capture.hpp"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <boost/context/fiber.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "harness/catch2/explore.hpp"
#include "harness/harness.hpp"
#include "harness/fiber/abandoned.hpp"
#include "harness/panic.hpp"

// The capture's vtable must be the one the test binary's Catch2 was built
// with: Debian's Catch2WithMain, and a main of one's own, are built without
// benchmarking unless asked.
#if defined(CATCH_CONFIG_ENABLE_BENCHMARKING)
#error "interleave::catch2 is built without CATCH_CONFIG_ENABLE_BENCHMARKING; build it with the test binary's settings"
#endif

namespace harness::catch2 {

class AssertionsAsOutcomes::Capture final : public Catch::IResultCapture {
 public:
  explicit Capture(Catch::IResultCapture& outer) : outer_(outer) {}

  bool sectionStarted(Catch::SectionInfo const& info, Catch::Counts& assertions) override {
    return outer_.sectionStarted(info, assertions);
  }
  void sectionEnded(Catch::SectionEndInfo const& info) override { outer_.sectionEnded(info); }
  void sectionEndedEarly(Catch::SectionEndInfo const& info) override { outer_.sectionEndedEarly(info); }
  auto acquireGeneratorTracker(Catch::StringRef name, Catch::SourceLineInfo const& line)
      -> Catch::IGeneratorTracker& override {
    return outer_.acquireGeneratorTracker(name, line);
  }

  // INFO inside the program: kept here, and named in an assertion's message.
  void pushScopedMessage(Catch::MessageInfo const& message) override {
    if (!in_execution()) return outer_.pushScopedMessage(message);
    messages_.push_back(message);
  }
  void popScopedMessage(Catch::MessageInfo const& message) override {
    if (!in_execution()) return outer_.popScopedMessage(message);
    const auto it = std::find(messages_.begin(), messages_.end(), message);
    if (it != messages_.end()) messages_.erase(it);
  }
  void emplaceUnscopedMessage(Catch::MessageBuilder const& builder) override {
    if (!in_execution()) outer_.emplaceUnscopedMessage(builder);
  }
  void handleFatalErrorCondition(Catch::StringRef message) override { outer_.handleFatalErrorCondition(message); }

  void handleExpr(Catch::AssertionInfo const& info, Catch::ITransientExpression const& expr,
                  Catch::AssertionReaction& reaction) override {
    if (!in_execution()) return outer_.handleExpr(info, expr, reaction);
    if (expr.getResult() != Catch::isFalseTest(info.resultDisposition)) return;
    std::ostringstream expansion;
    expr.streamReconstructedExpression(expansion);
    failed(info, fmt::format("with expansion: {}", expansion.str()));
  }
  void handleMessage(Catch::AssertionInfo const& info, Catch::ResultWas::OfType type, Catch::StringRef const& message,
                     Catch::AssertionReaction& reaction) override {
    if (!in_execution()) return outer_.handleMessage(info, type, message, reaction);
    if (!Catch::isOk(type)) failed(info, std::string(message));
  }
  void handleUnexpectedExceptionNotThrown(Catch::AssertionInfo const& info, Catch::AssertionReaction& reaction) override {
    if (!in_execution()) return outer_.handleUnexpectedExceptionNotThrown(info, reaction);
    failed(info, "no exception was thrown where one was expected");
  }
  // Called inside Catch's catch (...) around an assertion's expression: the
  // engine's own unwinding of an abandoned goroutine and a Go panic pass on
  // (they are not the expression's failure).
  void handleUnexpectedInflightException(Catch::AssertionInfo const& info, std::string const& message,
                                         Catch::AssertionReaction& reaction) override {
    if (!in_execution()) return outer_.handleUnexpectedInflightException(info, message, reaction);
    try {
      throw;
    } catch (const boost::context::detail::forced_unwind&) {
      throw;
    } catch (const FiberAbandoned&) {
      throw;
    } catch (const Panic&) {
      throw;
    } catch (...) {
    }
    failed(info, fmt::format("unexpected exception with message: {}", message));
  }
  void handleIncomplete(Catch::AssertionInfo const& info) override {
    if (!in_execution()) outer_.handleIncomplete(info);
  }
  void handleNonExpr(Catch::AssertionInfo const& info, Catch::ResultWas::OfType type,
                     Catch::AssertionReaction& reaction) override {
    if (!in_execution()) return outer_.handleNonExpr(info, type, reaction);
    if (!Catch::isOk(type)) failed(info, "failed");
  }

  bool lastAssertionPassed() override { return outer_.lastAssertionPassed(); }
  void assertionPassed() override {
    if (!in_execution()) outer_.assertionPassed();
  }
  std::string getCurrentTestName() const override { return outer_.getCurrentTestName(); }
  const Catch::AssertionResult* getLastResult() const override { return outer_.getLastResult(); }
  void exceptionEarlyReported() override { outer_.exceptionEarlyReported(); }

  Catch::IResultCapture& outer() { return outer_; }

 private:
  /// Ends the execution (in a goroutine) or marks it failed (on the host) as
  /// an assertion: "file:line: REQUIRE( x == 2 ) with expansion: 1 == 2".
  void failed(Catch::AssertionInfo const& info, const std::string& what) {
    std::string text = fmt::format("{}:{}: {}", base_name(info.lineInfo.file), info.lineInfo.line,
                                   std::string(info.macroName));
    if (!info.capturedExpression.empty()) text += fmt::format("( {} )", std::string(info.capturedExpression));
    text += " " + what;
    for (const Catch::MessageInfo& message : messages_) text += "; " + message.message;
    report_failure(OutcomeKind::kAssertion, std::move(text));
  }

  Catch::IResultCapture& outer_;
  std::vector<Catch::MessageInfo> messages_;
};

AssertionsAsOutcomes::AssertionsAsOutcomes() : capture_(std::make_unique<Capture>(Catch::getResultCapture())) {
  Catch::getCurrentMutableContext().setResultCapture(capture_.get());
}

AssertionsAsOutcomes::~AssertionsAsOutcomes() {
  Catch::getCurrentMutableContext().setResultCapture(&capture_->outer());
}

}  // namespace harness::catch2
