#include "harness/fiber/stack_pool.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "harness/fiber/sanitizer.hpp"

// Valgrind cannot tell a fiber's stack from a wild pointer unless the stack
// is registered; the macros cost nothing outside valgrind.
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define INTERLEAVE_STACK_REGISTER(low, high) VALGRIND_STACK_REGISTER(low, high)
#else
#define INTERLEAVE_STACK_REGISTER(low, high) 0
#endif

namespace harness {
namespace {

// Guard pages of every pool, readable from the signal handler without locks:
// slots are published with a release store of the count and never reused
// while a pool that owns them lives.
struct GuardRange {
  std::atomic<std::uintptr_t> low{0};
  std::atomic<std::uintptr_t> high{0};
  std::atomic<std::size_t> stack_size{0};
};
constexpr std::size_t kMaxGuards = 1 << 14;
std::array<GuardRange, kMaxGuards> g_guards;
std::atomic<std::size_t> g_guard_count{0};
struct sigaction g_previous_segv {};
struct sigaction g_previous_bus {};

void write_stderr(const char* text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

void on_segv(int signal_number, siginfo_t* info, void* context) {
  const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  const std::size_t count = std::min(g_guard_count.load(std::memory_order_acquire), kMaxGuards);
  for (std::size_t i = 0; i < count; ++i) {
    if (address >= g_guards[i].low.load() && address < g_guards[i].high.load()) {
      char message[200];
      std::snprintf(message, sizeof message,
                    "interleave: stack overflow in a fiber of the code under test "
                    "(its stack holds %zu KiB; deep or unbounded recursion?)\n",
                    g_guards[i].stack_size.load() / 1024);
      write_stderr(message);
      ::_exit(kStackOverflowExitCode);
    }
  }
  // Not ours: hand it to whoever had the signal before us, or to the
  // default action.
  const struct sigaction& previous = signal_number == SIGSEGV ? g_previous_segv : g_previous_bus;
  if (previous.sa_flags & SA_SIGINFO) {
    previous.sa_sigaction(signal_number, info, context);
    return;
  }
  if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
    previous.sa_handler(signal_number);
    return;
  }
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

// The handler must run on an alternate stack: a fault in a guard page means
// the faulting stack is full. sigaltstack is per thread, so each thread that
// makes a pool needs one.
//
// An alternate stack that is already installed is kept if it is big enough:
// its owner (AddressSanitizer, whose SEGV handler ours hands other faults to;
// a test framework) sized it for its own handler, and ours needs little.
// Otherwise the thread gets its own: mmap'd, so page-aligned (ASan unpoisons
// the alternate stack on every throw and requires alignment), and unmapped
// when the thread ends.
constexpr std::size_t kAlternateStackMinimum = 16 * 1024;

class AlternateStack {
 public:
  AlternateStack() = default;
  AlternateStack(const AlternateStack&) = delete;
  AlternateStack& operator=(const AlternateStack&) = delete;

  void ensure_installed() {
    stack_t current{};
    if (::sigaltstack(nullptr, &current) != 0) return;
    if (!(current.ss_flags & SS_DISABLE) && current.ss_size >= kAlternateStackMinimum) return;
    if (base_ == nullptr) {
      // SIGSTKSZ is not a constant with newer glibc.
      size_ = std::max<std::size_t>(64 * 1024, static_cast<std::size_t>(SIGSTKSZ));
      void* base = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
      if (base == MAP_FAILED) return;  // still protected; only the message is lost
      base_ = base;
    }
    stack_t ours{};
    ours.ss_sp = base_;
    ours.ss_size = size_;
    ::sigaltstack(&ours, &previous_);
  }

  ~AlternateStack() {
    if (base_ == nullptr) return;
    // Still installed: put back what was there, so that nobody (ASan, at
    // thread exit) finds a stack that is about to be unmapped.
    stack_t current{};
    if (::sigaltstack(nullptr, &current) == 0 && current.ss_sp == base_) ::sigaltstack(&previous_, nullptr);
    ::munmap(base_, size_);
  }

 private:
  void* base_ = nullptr;
  std::size_t size_ = 0;
  stack_t previous_{};
};

void install_overflow_handler() {
  thread_local AlternateStack alternate;
  alternate.ensure_installed();
  // Checked on every pool: a test framework may have replaced our handler
  // since (Catch2 installs its own around each test case).
  struct sigaction current {};
  ::sigaction(SIGSEGV, nullptr, &current);
  if ((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == on_segv) return;
  struct sigaction action {};
  action.sa_sigaction = on_segv;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGSEGV, &action, &g_previous_segv);
  ::sigaction(SIGBUS, &action, &g_previous_bus);
}

void register_guard(std::uintptr_t low, std::uintptr_t high, std::size_t stack_size) {
  // Pools on several threads register concurrently: each takes its own slot.
  // A slot still being filled has high == 0 and matches no address.
  const std::size_t slot = g_guard_count.fetch_add(1, std::memory_order_acq_rel);
  if (slot >= kMaxGuards) return;  // still protected; only the message is lost
  g_guards[slot].stack_size.store(stack_size);
  g_guards[slot].low.store(low);
  g_guards[slot].high.store(high, std::memory_order_release);
}

void unregister_guard(std::uintptr_t low) {
  const std::size_t count = std::min(g_guard_count.load(std::memory_order_acquire), kMaxGuards);
  for (std::size_t i = 0; i < count; ++i) {
    if (g_guards[i].low.load() == low) {
      g_guards[i].high.store(0);
      g_guards[i].low.store(0);
    }
  }
}

}  // namespace

StackPool::StackPool(std::size_t stack_size) {
  page_size_ = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  usable_size_ = (stack_size + page_size_ - 1) / page_size_ * page_size_;
  install_overflow_handler();
}

StackPool::~StackPool() {
  for (void* base : all_) {
    unregister_guard(reinterpret_cast<std::uintptr_t>(base));
    ::munmap(base, usable_size_ + page_size_);
  }
}

boost::context::stack_context StackPool::allocate() {
  void* base;
  if (!free_.empty()) {
    base = free_.back();
    free_.pop_back();
    // Frames that never returned (a finished fiber's entry frames) left
    // their redzones poisoned: the next fiber starts on a clean stack.
    sanitizer::unpoison_stack(static_cast<char*>(base) + page_size_, usable_size_);
  } else {
    const std::size_t total = usable_size_ + page_size_;
    base = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (base == MAP_FAILED) throw std::bad_alloc();
    // Stacks grow down: the lowest page is the guard.
    if (::mprotect(base, page_size_, PROT_NONE) != 0) {
      ::munmap(base, total);
      throw std::bad_alloc();
    }
    const auto low = reinterpret_cast<std::uintptr_t>(base);
    register_guard(low, low + page_size_, usable_size_);
    (void)INTERLEAVE_STACK_REGISTER(static_cast<char*>(base) + page_size_,
                                    static_cast<char*>(base) + page_size_ + usable_size_);
    all_.push_back(base);
    free_.reserve(all_.size());  // deallocate() is noexcept: never grow there
  }
  boost::context::stack_context stack;
  stack.size = usable_size_;
  stack.sp = static_cast<char*>(base) + page_size_ + usable_size_;
  return stack;
}

void StackPool::deallocate(boost::context::stack_context& stack) noexcept {
  void* base = static_cast<char*>(stack.sp) - usable_size_ - page_size_;
  free_.push_back(base);
}

}  // namespace harness
