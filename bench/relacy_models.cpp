// Relacy's side of bench/vs_relacy.cpp. <fstream> and <chrono> come first:
// Relacy's macros (new, free, $) break standard headers included after it.
#include <chrono>
#include <fstream>

#include "bench/relacy_models.hpp"

#include <relacy/relacy.hpp>

namespace {

template <int N>
struct LostUpdate : rl::test_suite<LostUpdate<N>, 2> {
  rl::atomic<int> counter;
  void before() { counter($).store(0); }
  void thread(unsigned) {
    for (int i = 0; i < N; ++i) {
      const int seen = counter($).load();
      counter($).store(seen + 1);
    }
  }
};

struct LockOrderInversion : rl::test_suite<LockOrderInversion, 2> {
  rl::mutex first, second;
  void thread(unsigned index) {
    if (index == 0) {
      first.lock($);
      second.lock($);
      second.unlock($);
      first.unlock($);
    } else {
      second.lock($);
      first.lock($);
      first.unlock($);
      second.unlock($);
    }
  }
};

template <typename Test>
relacy_models::Result run() {
  static std::ofstream sink("/dev/null");  // Relacy prints histories and progress
  rl::test_params params;
  params.search_type = rl::sched_full;
  params.iteration_count = 1000000000;
  params.output_stream = &sink;
  params.progress_stream = &sink;
  const auto start = std::chrono::steady_clock::now();
  const bool ok = rl::simulate<Test>(params);
  relacy_models::Result result;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.executions = params.stop_iteration;
  result.failed = !ok;
  return result;
}

}  // namespace

namespace relacy_models {

Result lost_update(int rounds) {
  switch (rounds) {
    case 1: return run<LostUpdate<1>>();
    case 2: return run<LostUpdate<2>>();
    case 3: return run<LostUpdate<3>>();
    default: return run<LostUpdate<4>>();
  }
}

Result lock_order_inversion() { return run<LockOrderInversion>(); }

}  // namespace relacy_models
