#include "harness/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <thread>

namespace harness {

Report merge_reports(std::vector<Report> parts) {
  Report merged;
  if (parts.empty()) return merged;
  merged.program = parts.front().program;
  merged.provenance = parts.front().provenance;
  merged.exhausted = true;
  std::map<Outcome, OutcomeClass> classes;
  for (Report& part : parts) {
    merged.executions += part.executions;
    merged.pruned += part.pruned;
    merged.exhausted = merged.exhausted && part.exhausted;
    merged.interrupted = merged.interrupted || part.interrupted;
    for (OutcomeClass& c : part.classes) {
      auto [it, inserted] = classes.try_emplace(c.outcome, c);
      if (inserted) continue;
      it->second.count += c.count;
      if (c.first_key < it->second.first_key) {
        const std::uint64_t count = it->second.count;
        it->second = std::move(c);
        it->second.count = count;
      }
    }
  }
  for (auto& [outcome, c] : classes) merged.classes.push_back(std::move(c));
  return merged;
}

Report explore_parallel(const Program& program, const StrategyFactory& make_strategy, Shard shard,
                        std::uint32_t threads, const ExploreSettings& settings) {
  threads = std::max<std::uint32_t>(threads, 1);
  std::vector<Report> parts(threads);
  std::vector<std::atomic<std::uint64_t>> executions(threads), failures(threads), classes(threads);
  std::atomic<std::uint32_t> running{threads};
  std::vector<std::thread> workers;
  for (std::uint32_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const Shard mine{shard.index, shard.count, t, threads};
      std::unique_ptr<Strategy> strategy = make_strategy(mine);
      StackPool stacks;
      ExploreSettings local = settings;
      local.progress_every = 1024;
      local.progress = [&, t](const Progress& p) {
        executions[t] = p.executions;
        failures[t] = p.failures;
        classes[t] = p.classes;
      };
      parts[t] = explore(program, *strategy, stacks, local);
      --running;
    });
  }
  if (settings.progress) {
    while (running.load() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      Progress total;
      for (std::uint32_t t = 0; t < threads; ++t) {
        total.executions += executions[t];
        total.failures += failures[t];
        total.classes = std::max<std::size_t>(total.classes, classes[t]);  // at least this many
      }
      settings.progress(total);
    }
  }
  for (auto& w : workers) w.join();
  return merge_reports(std::move(parts));
}

}  // namespace harness
