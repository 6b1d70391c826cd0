// Guard-paged fiber stacks, pooled across executions.
//
// An exploration runs hundreds of thousands of executions, each spawning a few
// fibers; mapping and protecting a fresh stack every time (what Boost's
// protected_fixedsize_stack does) would dominate the cost. A pool maps each
// stack once, with an inaccessible guard page below it, and hands it out again
// and again.
//
// Stack overflow: running into a guard page raises SIGSEGV. The first pool
// installs a handler (on an alternate signal stack: the thread's own if it has
// one big enough, as under AddressSanitizer, else one mapped for the thread)
// that recognises faults in any pool's guard page, prints a clear message
// naming the stack size, and exits with kStackOverflowExitCode. Faults
// elsewhere go to the previous handler (ASan's, under ASan) or get the
// default action.
//
// Thread safety: a pool is used by one thread (one engine instance).
#pragma once

#include <cstddef>
#include <vector>

#include <boost/context/stack_context.hpp>

namespace harness {

inline constexpr std::size_t kDefaultStackSize = 256 * 1024;
/// The exit status of a process whose fiber overflowed its stack.
inline constexpr int kStackOverflowExitCode = 70;

class StackPool {
 public:
  /// `stack_size` is rounded up to whole pages; one guard page is added.
  explicit StackPool(std::size_t stack_size = kDefaultStackSize);
  ~StackPool();
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;

  boost::context::stack_context allocate();
  void deallocate(boost::context::stack_context& stack) noexcept;

  std::size_t stack_size() const { return usable_size_; }
  /// Stacks mapped so far (not the number in use).
  std::size_t mapped() const { return all_.size(); }

 private:
  std::size_t usable_size_;
  std::size_t page_size_;
  std::vector<void*> all_;   ///< base (guard page) of every mapping
  std::vector<void*> free_;  ///< bases of the mappings not in use
};

/// Boost.Context's StackAllocator concept over a pool; cheap to copy.
class PooledStack {
 public:
  explicit PooledStack(StackPool& pool) : pool_(&pool) {}
  boost::context::stack_context allocate() { return pool_->allocate(); }
  void deallocate(boost::context::stack_context& stack) noexcept { pool_->deallocate(stack); }

 private:
  StackPool* pool_;
};

}  // namespace harness
