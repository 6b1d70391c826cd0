#include "harness/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace harness {
namespace {

/// One thread's strategy, and it wrapped as the thread's part of the shard.
struct ThreadPart {
  std::unique_ptr<Strategy> strategy;
  std::unique_ptr<ShardedStrategy> part;
};

/// Made before any thread starts, so that a strategy that cannot be
/// divided is refused at once.
std::vector<ThreadPart> thread_parts(const StrategyFactory& make_strategy, Shard shard, std::uint32_t threads) {
  std::vector<ThreadPart> parts(threads);
  for (std::uint32_t t = 0; t < threads; ++t) {
    parts[t].strategy = make_strategy();
    parts[t].part = std::make_unique<ShardedStrategy>(*parts[t].strategy, Shard{shard.index, shard.count, t, threads});
  }
  return parts;
}

/// Each part's warnings, once each, in the parts' order.
std::vector<std::string> all_warnings(const std::vector<Report>& parts) {
  std::vector<std::string> warnings;
  for (const Report& part : parts)
    for (const std::string& warning : part.warnings)
      if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end()) warnings.push_back(warning);
  return warnings;
}

}  // namespace

Report merge_reports(std::vector<Report> parts) {
  Report merged;
  if (parts.empty()) return merged;
  merged.program = parts.front().program;
  merged.provenance = parts.front().provenance;
  merged.exhausted = true;
  merged.warnings = all_warnings(parts);
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
  std::vector<ThreadPart> strategies = thread_parts(make_strategy, shard, threads);
  std::vector<std::thread> workers;
  for (std::uint32_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      StackPool stacks;
      ExploreSettings local = settings;
      local.progress_every = 1024;
      local.progress = [&, t](const Progress& p) {
        executions[t] = p.executions;
        failures[t] = p.failures;
        classes[t] = p.classes;
      };
      parts[t] = explore(program, *strategies[t].part, stacks, local);
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

namespace {

/// One execution of a worker, as the merger sees it.
struct Entry {
  std::vector<std::uint64_t> key;
  std::uint32_t outcome = 0;  ///< index into the worker's outcome table
};

struct Stream {
  std::deque<Entry> entries;
  std::vector<Outcome> outcomes;  ///< the worker's outcome table
  bool ended = false;
  bool exhausted = false;
  bool interrupted = false;
};

}  // namespace

Report explore_parallel_capped(const Program& program, const StrategyFactory& make_strategy, Shard shard,
                               std::uint32_t threads, std::uint64_t cap, const ExploreSettings& settings) {
  threads = std::max<std::uint32_t>(threads, 1);
  if (threads == 1) return explore_parallel(program, make_strategy, shard, 1, settings);
  constexpr std::size_t kBatch = 64;
  constexpr std::size_t kQueued = std::size_t{1} << 18;  // per worker: it waits for the merger beyond this
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Stream> streams(threads);
  bool done = false;  // the merger knows its answer: workers stop
  std::vector<Report> parts(threads);
  std::vector<ThreadPart> strategies = thread_parts(make_strategy, shard, threads);
  std::vector<std::thread> workers;
  for (std::uint32_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      StackPool stacks;
      std::map<Outcome, std::uint32_t> ids;
      std::vector<Outcome> fresh;  // outcomes first met since the last flush
      std::vector<Entry> batch;
      auto flush = [&] {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return done || streams[t].entries.size() < kQueued; });
        if (done) return false;
        for (Outcome& o : fresh) streams[t].outcomes.push_back(std::move(o));
        for (Entry& e : batch) streams[t].entries.push_back(std::move(e));
        fresh.clear();
        batch.clear();
        changed.notify_all();
        return true;
      };
      ExploreSettings local = settings;
      local.progress = nullptr;
      local.on_execution = [&](const Strategy& s, const Outcome& outcome) {
        auto [it, inserted] = ids.try_emplace(outcome, static_cast<std::uint32_t>(ids.size()));
        if (inserted) fresh.push_back(outcome);
        batch.push_back(Entry{s.position().order_key, it->second});
        return batch.size() < kBatch || flush();
      };
      parts[t] = explore(program, *strategies[t].part, stacks, local);
      if (!batch.empty() || !fresh.empty()) flush();
      std::lock_guard lock(mutex);
      streams[t].ended = true;
      streams[t].exhausted = parts[t].exhausted;
      streams[t].interrupted = parts[t].interrupted;
      changed.notify_all();
    });
  }

  // The merger: takes the executions in key order, the first `cap` of them.
  // It takes each stream's queued entries in one go (the workers go on
  // filling their queues meanwhile) and merges them without the lock,
  // until a stream that may have more runs dry.
  std::map<Outcome, std::pair<std::uint64_t, std::uint64_t>> counted;  // outcome -> (count, first rank)
  std::vector<std::deque<Entry>> taken(threads);       // entries moved out of the streams
  std::vector<std::vector<Outcome>> outcomes(threads);  // the streams' outcome tables, as copied
  std::vector<std::vector<std::pair<std::uint64_t, std::uint64_t>*>> tally(threads);  // by outcome id
  std::vector<bool> finished(threads, false);  // ended, and every entry taken
  std::vector<bool> cut_short(threads, false);  // finished, stopped early by the user's stop
  std::uint64_t executions = 0, pruned = 0;
  bool exhausted = false, interrupted = false;
  {
    std::unique_lock lock(mutex);
    auto dry = [&] {  // a stream with nothing taken that may still send entries
      for (std::uint32_t t = 0; t < threads; ++t)
        if (taken[t].empty() && !finished[t] && !streams[t].ended && streams[t].entries.empty()) return true;
      return false;
    };
    for (bool merging = true; merging;) {
      while (dry()) {
        if (settings.progress) {
          changed.wait_for(lock, std::chrono::milliseconds(200));
          Progress p;
          p.executions = executions + pruned;
          for (const auto& [outcome, c] : counted) p.failures += outcome.ok() ? 0 : c.first;
          p.classes = counted.size();
          lock.unlock();
          settings.progress(p);
          lock.lock();
        } else {
          changed.wait(lock);
        }
      }
      for (std::uint32_t t = 0; t < threads; ++t) {
        Stream& s = streams[t];
        if (!taken[t].empty() || finished[t]) continue;
        outcomes[t].insert(outcomes[t].end(), s.outcomes.begin() + static_cast<std::ptrdiff_t>(outcomes[t].size()),
                           s.outcomes.end());
        std::swap(taken[t], s.entries);
        if (s.ended && taken[t].empty()) {
          finished[t] = true;
          cut_short[t] = !s.exhausted && s.interrupted;
        }
      }
      changed.notify_all();  // the queues have room again
      lock.unlock();
      for (;;) {
        std::optional<std::uint32_t> next;
        bool cut = false, refill = false;
        for (std::uint32_t t = 0; t < threads; ++t) {
          if (taken[t].empty()) {
            // Finished: with its part done, or stopped early (the user's
            // stop), when nothing after its last entry can be claimed.
            // Otherwise more may come: refill before going on.
            if (finished[t]) cut = cut || cut_short[t];
            else refill = true;
            continue;
          }
          if (!next || taken[t].front().key < taken[*next].front().key) next = t;
        }
        if (refill && !cut) break;
        if (cut) {
          interrupted = true;
          merging = false;
          break;
        }
        if (!next) {  // every worker ended, all taken: the space (its part) is done
          exhausted = true;
          for (const Stream& s : streams) exhausted = exhausted && s.exhausted;  // set before ended: stable
          merging = false;
          break;
        }
        if (executions + pruned == cap) {  // one more exists: not exhausted
          merging = false;
          break;
        }
        std::deque<Entry>& q = taken[*next];
        const std::uint32_t id = q.front().outcome;
        std::vector<std::pair<std::uint64_t, std::uint64_t>*>& slots = tally[*next];
        if (slots.size() <= id) slots.resize(id + 1, nullptr);
        if (slots[id] == nullptr) {
          const Outcome& outcome = outcomes[*next][id];
          slots[id] = outcome.kind == OutcomeKind::kPruned
                          ? nullptr
                          : &counted.try_emplace(outcome, 0, executions + pruned).first->second;
        }
        if (slots[id] == nullptr) {
          ++pruned;
        } else {
          ++slots[id]->first;
          ++executions;
        }
        q.pop_front();
      }
      lock.lock();
    }
    done = true;
    changed.notify_all();
  }
  for (auto& w : workers) w.join();
  for (const Report& part : parts) interrupted = interrupted || part.interrupted;

  // Each class: the count among the first `cap`, and the execution with the
  // smallest key, which is among them.
  Report merged;
  merged.program = parts.front().program;
  merged.provenance = parts.front().provenance;
  merged.executions = executions + pruned;
  merged.pruned = pruned;
  merged.exhausted = exhausted && !interrupted;
  merged.interrupted = interrupted;
  merged.warnings = all_warnings(parts);
  std::map<Outcome, OutcomeClass> classes;
  for (Report& part : parts)
    for (OutcomeClass& c : part.classes) {
      if (!counted.contains(c.outcome)) continue;
      auto [it, inserted] = classes.try_emplace(c.outcome, c);
      if (!inserted && c.first_key < it->second.first_key) it->second = std::move(c);
    }
  for (auto& [outcome, c] : classes) {
    c.count = counted.at(outcome).first;
    c.first_execution = counted.at(outcome).second;
    merged.classes.push_back(std::move(c));
  }
  if (settings.progress) {
    Progress p;
    p.executions = merged.executions;
    p.failures = merged.failures();
    p.classes = merged.classes.size();
    settings.progress(p);
  }
  return merged;
}

}  // namespace harness
