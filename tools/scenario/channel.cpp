#include "tools/scenario/channel.hpp"

#include <fmt/format.h>

namespace interleave {

using harness::AccessKind;
using harness::Operation;

Channel::Channel(std::string name, std::size_t capacity) : ref_("channel", std::move(name)), capacity_(capacity) {}

bool Channel::Gate::enabled(harness::FiberId) const {
  const Channel& c = channel_;
  switch (kind_) {
    case Kind::kSend: return c.closed_ || (c.unbuffered() ? !c.offer_ : c.buffer_.size() < c.capacity_);
    case Kind::kSendWait: return c.taken_ || c.cancelled_;
    case Kind::kReceive: return c.closed_ || (c.unbuffered() ? c.offer_ && !c.taken_ : !c.buffer_.empty());
  }
  return true;
}

std::string Channel::Gate::describe_wait(harness::FiberId) const {
  const std::string& name = channel_.ref_.name();
  switch (kind_) {
    case Kind::kSend:
      return channel_.unbuffered() ? fmt::format("send on channel '{}' (another send waits for a receiver)", name)
                                   : fmt::format("send on channel '{}' (its buffer of {} is full)", name,
                                                 channel_.capacity_);
    case Kind::kSendWait: return fmt::format("a receiver on channel '{}' (unbuffered)", name);
    case Kind::kReceive: return fmt::format("receive from channel '{}' (nothing sent)", name);
  }
  return {};
}

void Channel::send(std::int64_t value) {
  harness::point(Operation{"chan.send", ref_.id(), AccessKind::kRmw, &send_gate_});
  if (closed_) harness::panic("send on closed channel");
  if (harness::recording()) harness::note(fmt::format("sent {}", value));
  // Go's memory model: a send happens before the receive that gets it
  // completes (one clock for the channel: it orders more than Go's k-th
  // receive rule, so it may hide a race, never invent one).
  harness::race_release(ref_.id(), 0);
  if (!unbuffered()) {
    buffer_.push_back(value);
    return;
  }
  offer_ = value;
  taken_ = false;
  cancelled_ = false;
  harness::point(Operation{"chan.send.wait", ref_.id(), AccessKind::kWait, &send_wait_gate_});
  harness::race_acquire(ref_.id(), 1);  // unbuffered: the receive happens before the send completes
  const bool cancelled = cancelled_;
  offer_.reset();
  taken_ = false;
  cancelled_ = false;
  if (cancelled) harness::panic("send on closed channel");
}

std::pair<std::int64_t, bool> Channel::receive() {
  harness::point(Operation{"chan.recv", ref_.id(), AccessKind::kRmw, &receive_gate_});
  std::pair<std::int64_t, bool> got{0, false};
  if (!buffer_.empty()) {
    got = {buffer_.front(), true};
    buffer_.pop_front();
  } else if (unbuffered() && offer_ && !taken_ && !cancelled_) {
    got = {*offer_, true};
    taken_ = true;
  }  // else closed and drained: the zero value, ok = false
  harness::race_acquire(ref_.id(), 0);  // after the send it got, or the close
  if (unbuffered()) harness::race_release(ref_.id(), 1);
  if (harness::recording())
    harness::note(got.second ? fmt::format("received {}", got.first) : std::string("closed: 0, ok = false"));
  return got;
}

void Channel::close() {
  harness::point(Operation{"chan.close", ref_.id(), AccessKind::kRmw, nullptr});
  if (closed_) harness::panic("close of closed channel");
  closed_ = true;
  harness::race_release(ref_.id(), 0);  // a close happens before a receive that sees it
  if (offer_ && !taken_) cancelled_ = true;  // its sender panics
  if (harness::recording()) harness::note("closed");
}

}  // namespace interleave
