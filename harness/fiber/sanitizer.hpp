// Fiber switches as AddressSanitizer must see them.
//
// ASan keeps one stack per thread: its bounds decide what a throw (or any
// call that does not return) unpoisons, and which stack a report describes.
// A fiber switch moves the thread onto another stack behind its back, so the
// engine brackets every switch:
//   start_switch(&save, to)  on the old stack, right before the switch, naming
//                            the stack about to run; `save` keeps the old
//                            stack's fake stack (detect_stack_use_after_return)
//                            until it runs again. Pass nullptr when the old
//                            stack never runs again (its fiber has ended):
//                            ASan then frees its fake stack.
//   finish_switch(save, &from) on the new stack, right after the switch, with
//                            what its own start_switch saved (nullptr on a
//                            fiber's first entry); `from` receives the bounds
//                            of the stack just left.
// Between the two nothing may start another switch (ASan aborts).
//
// Without ASan every function here is an empty inline and kAddressSanitizer is
// false: normal builds pay nothing on the switch path.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)  // g++
#define INTERLEAVE_ASAN 1
#elif defined(__has_feature)  // clang++
#if __has_feature(address_sanitizer)
#define INTERLEAVE_ASAN 1
#endif
#endif

#if defined(INTERLEAVE_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace harness::sanitizer {

#if defined(INTERLEAVE_ASAN)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif

/// A stack as ASan names it: its lowest address and its size.
struct StackBounds {
  const void* bottom = nullptr;
  std::size_t size = 0;
};

inline void start_switch([[maybe_unused]] void** fake_stack_save, [[maybe_unused]] StackBounds to) {
#if defined(INTERLEAVE_ASAN)
  __sanitizer_start_switch_fiber(fake_stack_save, to.bottom, to.size);
#endif
}

inline void finish_switch([[maybe_unused]] void* fake_stack_save, [[maybe_unused]] StackBounds* from = nullptr) {
#if defined(INTERLEAVE_ASAN)
  const void* bottom = nullptr;
  std::size_t size = 0;
  __sanitizer_finish_switch_fiber(fake_stack_save, &bottom, &size);
  if (from != nullptr) *from = StackBounds{bottom, size};
#endif
}

/// The bounds ASan has for the running stack. There is no direct query: a
/// switch to nowhere and back reports them (nothing runs in between).
/// Empty without ASan.
inline StackBounds current_stack() {
  StackBounds bounds;
#if defined(INTERLEAVE_ASAN)
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, nullptr, 0);
  __sanitizer_finish_switch_fiber(fake_stack, &bounds.bottom, &bounds.size);
  __sanitizer_start_switch_fiber(&fake_stack, bounds.bottom, bounds.size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#endif
  return bounds;
}

/// Clears stale poison from memory about to be reused as a stack: frames that
/// never returned (a fiber's entry frames) keep their redzones poisoned.
inline void unpoison_stack([[maybe_unused]] void* bottom, [[maybe_unused]] std::size_t size) {
#if defined(INTERLEAVE_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(bottom, size);
#endif
}

}  // namespace harness::sanitizer
