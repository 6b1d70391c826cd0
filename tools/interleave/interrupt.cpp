#include "tools/interleave/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

#include "tools/interleave/duration.hpp"

namespace interleave {
namespace {
// Written by the signal handlers (lock-free atomics are async-signal-safe).
std::atomic<bool> g_interrupted{false};
std::atomic<bool> g_quit{false};
std::atomic<bool> g_quit_at_first{false};
std::atomic<int> g_signals{0};
std::atomic<int> g_first_signal{0};
std::atomic<bool> g_time_limit{false};
/// Which stopped the run first: 0 nothing yet, 1 a signal, 2 the time limit.
std::atomic<int> g_first_cause{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

void say(const char* text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

int exit_code_of(int signal_number) { return 128 + signal_number; }

void on_alarm(int) {
  say("interleave: still busy two seconds after the second signal: quitting without writing the rest\n");
  ::_exit(exit_code_of(g_first_signal.load()));
}

const char* first_message(int signal_number) {
  switch (signal_number) {
    case SIGTERM:
      return "\ninterleave: terminated (SIGTERM): stopping the exploration, saving what was found (a second signal "
             "stops that too)\n";
    case SIGHUP:
      return "\ninterleave: hung up (SIGHUP): stopping the exploration, saving what was found (a second signal "
             "stops that too)\n";
    default:
      return "\ninterleave: interrupted: stopping the exploration, saving what was found (Ctrl-C again to stop "
             "now)\n";
  }
}

void on_stop_signal(int signal_number) {
  const int received = ++g_signals;
  if (received == 1) {
    g_first_signal = signal_number;
    int nothing = 0;
    g_first_cause.compare_exchange_strong(nothing, 1);
    if (g_quit_at_first.load()) g_quit = true;
    g_interrupted = true;
    say(first_message(signal_number));
  } else if (received == 2) {
    g_quit = true;
    say("\ninterleave: interrupted again: writing what was found and quitting\n");
    ::alarm(2);  // a safety net for code that never reaches a point where it can stop
  } else {
    ::_exit(exit_code_of(g_first_signal.load()));
  }
}
}  // namespace

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&action.sa_mask, signal_number);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal_number, &action, nullptr);
  struct sigaction alarm_action {};
  alarm_action.sa_handler = on_alarm;
  sigemptyset(&alarm_action.sa_mask);
  ::sigaction(SIGALRM, &alarm_action, nullptr);
}

void quit_at_first_signal() { g_quit_at_first = true; }
const std::atomic<bool>& interrupt_requested() { return g_interrupted; }
const std::atomic<bool>& quit_requested() { return g_quit; }
int stop_signal() { return g_first_signal.load(); }
int interrupted_exit_code() { return exit_code_of(g_first_signal.load()); }
bool time_limit_reached() { return g_time_limit.load(); }
bool stopped_by_time_limit() { return g_first_cause.load() == 2; }

TimeLimit::TimeLimit(std::chrono::milliseconds limit)
    : alarm_(limit, [limit] {
        int nothing = 0;
        g_first_cause.compare_exchange_strong(nothing, 2);
        g_time_limit = true;
        g_quit = true;  // shrinking stops too: the time is up
        g_interrupted = true;
        if (g_first_cause.load() == 2)
          say(fmt::format("interleave: the time limit ({}) ran out: stopping, writing what was found\n",
                          format_duration(limit))
                  .c_str());
      }) {}

}  // namespace interleave
