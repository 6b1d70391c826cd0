#include "tools/interleave/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

namespace interleave {
namespace {
std::atomic<bool> g_interrupted{false};
std::atomic<bool> g_quit{false};
std::atomic<int> g_presses{0};

void say(const char* text, std::size_t size) {
  ssize_t ignored = ::write(STDERR_FILENO, text, size);
  (void)ignored;
}

void on_alarm(int) {
  static const char kMessage[] =
      "interleave: still busy two seconds after the second Ctrl-C: quitting without writing the rest\n";
  say(kMessage, sizeof kMessage - 1);
  ::_exit(130);
}

void on_sigint(int) {
  const int presses = ++g_presses;
  if (presses == 1) {
    g_interrupted = true;
    static const char kMessage[] =
        "\ninterleave: interrupted: stopping the exploration, saving what was found (Ctrl-C again to stop now)\n";
    say(kMessage, sizeof kMessage - 1);
  } else if (presses == 2) {
    g_quit = true;
    static const char kMessage[] = "\ninterleave: interrupted again: writing what was found and quitting\n";
    say(kMessage, sizeof kMessage - 1);
    ::alarm(2);  // a safety net for code that never reaches a point where it can stop
  } else {
    ::_exit(130);
  }
}
}  // namespace

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  struct sigaction alarm_action {};
  alarm_action.sa_handler = on_alarm;
  sigemptyset(&alarm_action.sa_mask);
  ::sigaction(SIGALRM, &alarm_action, nullptr);
}

const std::atomic<bool>& interrupt_requested() { return g_interrupted; }
const std::atomic<bool>& quit_requested() { return g_quit; }

}  // namespace interleave
