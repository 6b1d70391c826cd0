#include "harness/sync/chan.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "harness/sync/engine_view.hpp"
#include "harness/sync/holder_name.hpp"

namespace harness {
namespace detail {
namespace {

/// A step that would block where no goroutine runs (setup, an end check,
/// outside an execution) would block forever: nobody else runs until it
/// returns.
void require_goroutine(const std::string& channel, std::string_view what) {
  if (!running_fiber())
    throw std::logic_error(fmt::format("{} on chan '{}' would block forever outside a goroutine", what, channel));
}

}  // namespace

ChanCore::ChanCore(std::size_t capacity, std::string name) : ref_("chan", std::move(name)), capacity_(capacity) {}

void ChanCore::drop_earlier_executions() {
  if (const std::uint64_t now = execution_generation(); generation_ != now) {
    generation_ = now;
    drop_values();
    buffered_ = 0;
    offered_ = taken_ = cancelled_ = closed_ = false;
    receivers_waiting_ = 0;
  }
}

bool ChanCore::send_ready() const {
  if (closed_) return true;  // and panics, as Go's select does
  return unbuffered() ? receivers_waiting_ > 0 && !offered_ : buffered_ < capacity_;
}

bool ChanCore::recv_ready() const {
  return closed_ || (unbuffered() ? offered_ && !taken_ && !cancelled_ : buffered_ > 0);
}

bool ChanCore::Gate::enabled(FiberId) const {
  const ChanCore& c = channel_;
  switch (kind_) {
    case Kind::kSend: return c.closed_ || (c.unbuffered() ? !c.offered_ : c.buffered_ < c.capacity_);
    case Kind::kSendWait: return c.taken_ || c.cancelled_;
    case Kind::kReceive: return c.recv_ready();
  }
  return true;
}

std::string ChanCore::Gate::describe_wait(FiberId) const {
  const std::string& name = channel_.name();
  switch (kind_) {
    case Kind::kSend:
      return channel_.unbuffered()
                 ? fmt::format("send on chan '{}' (another send waits for a receiver)", name)
                 : fmt::format("send on chan '{}' (its buffer of {} is full)", name, channel_.capacity_);
    case Kind::kSendWait: return fmt::format("send on chan '{}' (unbuffered: no receiver)", name);
    case Kind::kReceive: return fmt::format("receive from chan '{}' (nothing sent)", name);
  }
  return {};
}

void ChanCore::send_point() {
  drop_earlier_executions();
  if (!send_gate_.enabled(FiberId{0})) require_goroutine(name(), "send");
  point(Operation{"chan.send", id(), AccessKind::kRmw, &send_gate_});
}

bool ChanCore::start_delivery() {
  if (closed_) panic("send on closed channel");
  if (recording()) note("sent");
  // Go's memory model: a send happens before the receive that gets it
  // completes (one clock for the channel: it orders more than Go's k-th
  // receive rule, so it may hide a race, never invent one).
  race_release(id(), 0);
  return !unbuffered();
}

void ChanCore::wait_for_receiver() {
  offered_ = true;
  taken_ = false;
  cancelled_ = false;
  require_goroutine(name(), "an unbuffered send");  // a receiver must come
  point(Operation{"chan.send.wait", id(), AccessKind::kWait, &send_wait_gate_});
  race_acquire(id(), 1);  // unbuffered: the receive happens before the send completes
  const bool cancelled = cancelled_;
  offered_ = false;
  taken_ = false;
  cancelled_ = false;
  if (cancelled) panic("send on closed channel");
}

bool ChanCore::recv_step() {
  drop_earlier_executions();
  if (unbuffered()) {
    // Arriving is a step of its own, on the channel: from then on a select
    // may send to this receiver (Go's queue of waiting receivers).
    point(Operation{"chan.recv.arrive", id(), AccessKind::kRmw, nullptr});
    ++receivers_waiting_;
  }
  if (!receive_gate_.enabled(FiberId{0})) require_goroutine(name(), "receive");
  point(Operation{"chan.recv", id(), AccessKind::kRmw, &receive_gate_});
  if (unbuffered()) --receivers_waiting_;
  return recv_chosen();
}

bool ChanCore::recv_chosen() {
  const bool got = take_value();  // else closed and drained: the zero value, ok = false
  race_acquire(id(), 0);          // after the send it got, or the close
  if (unbuffered()) race_release(id(), 1);
  if (recording()) note(got ? "received" : "closed: zero value, ok = false");
  return got;
}

void ChanCore::close_step() {
  drop_earlier_executions();
  point(Operation{"chan.close", id(), AccessKind::kRmw, nullptr});
  if (closed_) panic("close of closed channel");
  closed_ = true;
  race_release(id(), 0);  // a close happens before a receive that sees it
  if (offered_ && !taken_) cancelled_ = true;  // its sender panics
  if (recording()) note("closed");
}

/// A blocked select waits until one of its cases is ready.
class SelectGate final : public Blocker {
 public:
  explicit SelectGate(const std::vector<SelectCase>& cases) : cases_(cases) {}
  bool enabled(FiberId) const override {
    return std::any_of(cases_.begin(), cases_.end(), [](const SelectCase& c) {
      return c.channel == nullptr || (c.send ? c.channel->send_ready() : c.channel->recv_ready());
    });
  }
  std::string describe_wait(FiberId) const override {
    std::string text = "select on";
    for (std::size_t i = 0; i < cases_.size(); ++i)
      text += fmt::format("{} {} chan '{}'", i == 0 ? "" : ",", cases_[i].send ? "send to" : "receive from",
                          cases_[i].channel->name());
    return text + " (none ready)";
  }

 private:
  const std::vector<SelectCase>& cases_;
};

}  // namespace detail

std::size_t select(std::vector<SelectCase> cases) {
  if (std::count_if(cases.begin(), cases.end(), [](const SelectCase& c) { return c.channel == nullptr; }) > 1)
    throw std::invalid_argument("select: at most one default case");
  const bool has_default =
      std::any_of(cases.begin(), cases.end(), [](const SelectCase& c) { return c.channel == nullptr; });
  // The channels it touches, for partial-order reduction: up to three
  // exactly (the object and two more), more as a step that conflicts with
  // every step.
  std::vector<ObjectId> channels;
  for (SelectCase& c : cases) {
    if (c.channel == nullptr) continue;
    c.channel->drop_earlier_executions();
    const ObjectId id = c.channel->id();
    if (std::find(channels.begin(), channels.end(), id) == channels.end()) channels.push_back(id);
  }
  const detail::SelectGate gate(cases);
  Operation op{"chan.select", kNoObject, AccessKind::kWait, has_default ? nullptr : &gate};
  if (!channels.empty() && channels.size() <= 3) {
    op.object = channels[0];
    op.access = AccessKind::kRmw;
    for (std::size_t k = 1; k < channels.size(); ++k) op.also[k - 1] = Touch{channels[k], AccessKind::kRmw};
  }
  if (!has_default && !gate.enabled(FiberId{0}) && !detail::running_fiber())
    throw std::logic_error("select would block forever outside a goroutine");
  point(op);
  std::vector<std::size_t> ready;
  std::optional<std::size_t> fallback;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const SelectCase& c = cases[i];
    if (c.channel == nullptr) {
      fallback = i;
    } else if (c.send ? c.channel->send_ready() : c.channel->recv_ready()) {
      ready.push_back(i);
    }
  }
  if (ready.empty()) {
    // Only with a default: a select without one runs when a case is ready.
    if (!fallback) throw std::logic_error("[interleave internal bug] select ran with no case ready");
    cases[*fallback].run();
    return *fallback;
  }
  // Go picks uniformly among the ready cases: every pick is explored.
  const std::size_t pick = ready.size() == 1 ? 0 : static_cast<std::size_t>(choose(ready.size(), "chan.select-which"));
  cases[ready[pick]].run();
  return ready[pick];
}

}  // namespace harness
