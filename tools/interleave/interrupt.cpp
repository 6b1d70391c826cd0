#include "tools/interleave/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

namespace interleave {
namespace {
std::atomic<bool> g_interrupted{false};

void on_sigint(int) {
  if (g_interrupted.exchange(true)) ::_exit(130);  // second Ctrl-C: stop now
  static const char kMessage[] = "\ninterleave: interrupted: finishing the current execution (Ctrl-C again to quit)\n";
  ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  (void)ignored;
}
}  // namespace

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
}

const std::atomic<bool>& interrupt_requested() { return g_interrupted; }

}  // namespace interleave
