// Go channels for code under test: harness::Chan<T>, buffered or
// unbuffered, with send, receive (plain and comma-ok), close and select.
//
//   harness::Chan<int> jobs(2, "jobs");          // make(chan int, 2)
//   jobs.send(7);                                // jobs <- 7
//   auto [v, ok] = jobs.recv_ok();               // v, ok := <-jobs
//   jobs.close();                                // close(jobs)
//   harness::select(harness::on_recv(jobs, [](int v, bool ok) { … }),
//                   harness::on_send(done, 1, [] { … }),
//                   harness::on_default([] { … }));
//
// Each operation is a preemption point on the channel and blocks where Go's
// blocks: a goroutine whose step cannot run is not runnable, and if none
// can, the execution ends in `deadlock`, which names what each one waits for
// ("receive from chan 'jobs' (nothing sent)"). Go's panics are the
// engine's panics with Go's messages: "send on closed channel", "close of
// closed channel". A receive from a closed, drained channel returns T{}
// (and ok = false).
//
// An unbuffered send is two steps: "chan.send" offers the value (once no
// other offer waits: Go's queue of senders) and "chan.send.wait" waits until
// a receiver took it; a close cancels an offer nobody took, and its sender
// panics, as in Go. select is one step "chan.select" that blocks until a
// case is ready (or takes `on_default`); when several are ready, which one
// runs is a data choice ("chan.select-which"), so every choice is explored,
// recorded and replayed, as Go picks uniformly at random. A send case on an
// unbuffered channel is ready when a receiver waits on it.
//
// The race detector (harness/race) sees Go's memory model: a send happens
// before the receive that gets it completes, a close before a receive that
// sees it, and on an unbuffered channel a receive before its send
// completes. Every step is a read-modify-write of the channel for
// partial-order reduction (a select names up to three channels exactly;
// more, and it conflicts with every step).
//
// State an execution left (a channel that outlives executions) is dropped
// when the next one first uses the channel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/harness.hpp"

namespace harness {

namespace detail {

/// What every Chan<T> shares, whatever T: the channel's state as counts and
/// flags, the gates that say whether a step may run, and the steps.
class ChanCore {
 public:
  ChanCore(std::size_t capacity, std::string name);
  ChanCore(const ChanCore&) = delete;
  ChanCore& operator=(const ChanCore&) = delete;
  virtual ~ChanCore() = default;

  std::size_t capacity() const { return capacity_; }
  const std::string& name() const { return ref_.name(); }
  ObjectId id() { return ref_.id(); }

  // For select(): whether a case could run now, and the state of an
  // earlier execution dropped first.
  bool send_ready() const;
  bool recv_ready() const;
  void drop_earlier_executions();

 protected:
  /// The values themselves, which only the typed channel holds.
  /// Takes the next value (a buffered one, else the offer) into the
  /// receiver's slot; false when there is none (closed and drained).
  virtual bool take_value() = 0;
  virtual void drop_values() = 0;

  /// The step of a send, until it may deliver (the typed channel then
  /// delivers the value it holds: no value waits in the channel's members
  /// while other goroutines run).
  void send_point();
  /// Delivering, once the send may run (after send_point, or in the step
  /// of a select that chose it): Go's panic on a closed channel; true for a
  /// buffered channel (the caller buffers the value); false for an
  /// unbuffered one, whose caller offers the value and then calls
  /// wait_for_receiver().
  bool start_delivery();
  void wait_for_receiver();
  bool recv_step();
  void close_step();
  /// After a select chose this channel: the receive, in the select's step.
  bool recv_chosen();

 private:
  class Gate final : public Blocker {
   public:
    enum class Kind : unsigned char { kSend, kSendWait, kReceive };
    Gate(const ChanCore& channel, Kind kind) : channel_(channel), kind_(kind) {}
    bool enabled(FiberId fiber) const override;
    std::string describe_wait(FiberId fiber) const override;

   private:
    const ChanCore& channel_;
    Kind kind_;
  };

  bool unbuffered() const { return capacity_ == 0; }

  ObjectRef ref_;
  std::size_t capacity_;
  std::uint64_t generation_ = 0;  ///< the execution the state below belongs to

 protected:
  std::size_t buffered_ = 0;     ///< values in the buffer
  bool offered_ = false;         ///< unbuffered: a sender's value waits for a receiver
  bool taken_ = false;           ///< the offer was received
  bool cancelled_ = false;       ///< the channel was closed with the offer untaken
  bool closed_ = false;
  std::uint32_t receivers_waiting_ = 0;  ///< goroutines at a receive of this channel

 private:
  Gate send_gate_{*this, Gate::Kind::kSend};
  Gate send_wait_gate_{*this, Gate::Kind::kSendWait};
  Gate receive_gate_{*this, Gate::Kind::kReceive};
};

}  // namespace detail

template <typename T>
class Chan final : public detail::ChanCore {
 public:
  /// make(chan T, capacity); capacity 0: unbuffered.
  explicit Chan(std::size_t capacity = 0, std::string name = "chan") : ChanCore(capacity, std::move(name)) {}

  /// ch <- value.
  void send(T value) {
    send_point();
    deliver(std::move(value));
  }
  /// <-ch: T{} once the channel is closed and drained.
  T recv() { return recv_ok().first; }
  /// v, ok := <-ch.
  std::pair<T, bool> recv_ok() {
    const bool got = recv_step();
    return {got ? std::move(received_) : T{}, got};
  }
  /// close(ch).
  void close() { close_step(); }

  /// For select(): the receive or the send of a case it chose (ready).
  std::pair<T, bool> recv_for_select() {
    const bool got = recv_chosen();
    return {got ? std::move(received_) : T{}, got};
  }
  void send_for_select(T value) { deliver(std::move(value)); }

 private:
  void deliver(T value) {
    if (start_delivery()) {
      buffer_.push_back(std::move(value));
      ++buffered_;
      return;
    }
    offer_ = std::move(value);
    wait_for_receiver();
  }
  bool take_value() override {
    if (!buffer_.empty()) {
      received_ = std::move(buffer_.front());
      buffer_.pop_front();
      --buffered_;
      return true;
    }
    if (offered_ && !taken_ && !cancelled_) {
      received_ = std::move(offer_);
      taken_ = true;
      return true;
    }
    return false;
  }
  void drop_values() override { buffer_.clear(); }

  std::deque<T> buffer_;
  T offer_{};     ///< unbuffered: the value offered (at most one offer at a time)
  T received_{};  ///< the value a receive took, moved out in the same step
};

/// One case of a select: built by on_recv, on_send or on_default.
struct SelectCase {
  detail::ChanCore* channel = nullptr;  ///< null: the default case
  bool send = false;
  std::function<void()> run;  ///< the case's own send or receive, then its body
};

/// case v, ok := <-ch: body(v, ok).
template <typename T>
SelectCase on_recv(Chan<T>& ch, std::function<void(T, bool)> body) {
  return SelectCase{&ch, false, [&ch, body = std::move(body)] {
                      auto [value, ok] = ch.recv_for_select();
                      body(std::move(value), ok);
                    }};
}
/// case ch <- value: body().
template <typename T>
SelectCase on_send(Chan<T>& ch, T value, std::function<void()> body) {
  return SelectCase{&ch, true, [&ch, value = std::move(value), body = std::move(body)]() mutable {
                      ch.send_for_select(std::move(value));
                      body();
                    }};
}
/// default: body(), when no other case is ready.
inline SelectCase on_default(std::function<void()> body) { return SelectCase{nullptr, false, std::move(body)}; }

/// Go's select: runs one ready case (a data choice among several), or the
/// default when none is ready, or blocks until one is. Returns the index of
/// the case that ran. REQUIRES: at most one default case.
std::size_t select(std::vector<SelectCase> cases);

template <typename... Cases>
std::size_t select(SelectCase first, Cases... rest) {
  std::vector<SelectCase> cases;
  cases.reserve(1 + sizeof...(rest));
  cases.push_back(std::move(first));
  (cases.push_back(std::move(rest)), ...);
  return select(std::move(cases));
}

}  // namespace harness
