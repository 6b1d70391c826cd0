// A Go channel for scenarios (`[[channel]]`): buffered or unbuffered, with
// send, receive (comma-ok) and close, each a preemption point on the
// channel, blocking where Go's blocks (a goroutine whose step cannot run is
// not runnable; if none can, the execution ends in `deadlock`, Go's "all
// goroutines are asleep").
//
// An unbuffered send is two steps: "chan.send" offers the value (once no
// other offer is waiting: Go's FIFO queue of senders) and "chan.send.wait"
// waits until a receiver took it. A close cancels an offer no one took: its
// sender panics "send on closed channel", as in Go. Receivers take buffered
// values first; on a closed, drained channel they get 0 and ok = false.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "harness/harness.hpp"

namespace interleave {

class Channel {
 public:
  Channel(std::string name, std::size_t capacity);
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  /// ch <- value.
  void send(std::int64_t value);
  /// v, ok := <-ch.
  std::pair<std::int64_t, bool> receive();
  /// close(ch).
  void close();

 private:
  /// What a step waits for: the channel's state says whether it can run.
  class Gate final : public harness::Blocker {
   public:
    enum class Kind { kSend, kSendWait, kReceive };
    Gate(const Channel& channel, Kind kind) : channel_(channel), kind_(kind) {}
    bool enabled(harness::FiberId) const override;
    std::string describe_wait(harness::FiberId) const override;

   private:
    const Channel& channel_;
    Kind kind_;
  };

  bool unbuffered() const { return capacity_ == 0; }

  harness::ObjectRef ref_;
  std::size_t capacity_;
  std::deque<std::int64_t> buffer_;  ///< buffered channels
  /// Unbuffered: the value a sender offers, until a receiver takes it.
  std::optional<std::int64_t> offer_;
  bool taken_ = false;      ///< the offer was received
  bool cancelled_ = false;  ///< the channel was closed with the offer untaken
  bool closed_ = false;
  Gate send_gate_{*this, Gate::Kind::kSend};
  Gate send_wait_gate_{*this, Gate::Kind::kSendWait};
  Gate receive_gate_{*this, Gate::Kind::kReceive};
};

}  // namespace interleave
