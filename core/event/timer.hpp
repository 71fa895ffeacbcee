#pragma once
// A named, traced, re-armable timer owned by a layer (ARP retransmission,
// reassembly timeout, later TCP's RTO). Arming, firing and cancelling each
// emit a trace event, so a student sees every timer in the narrative.
#include <string_view>

#include "base/inplace_function.hpp"
#include "event/event_loop.hpp"
#include "trace/trace_bus.hpp"

namespace netstep {

class Timer {
 public:
  // Two pointers' worth of captures ([this], [&table, this]): every TCP
  // connection has several timers, so their size counts.
  using Callback = InplaceFunction<void(), 16, alignof(void*)>;

  Timer(EventLoop& loop, Tracer tracer, Layer layer, std::string_view name, Callback on_fire)
      : loop_{&loop}, tracer_{tracer}, layer_{layer}, name_{name}, on_fire_{std::move(on_fire)} {}
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  ~Timer() {
    if (pending_.valid()) loop_->cancel(pending_);
  }

  // Re-arming replaces the previous deadline. A layer whose one timer serves
  // several purposes (ARP: retransmit, reachable expiry, ...) names the
  // purpose of each arming; the name must be static text.
  void arm_at(Instant deadline);
  void arm_at(Instant deadline, std::string_view name) {
    name_ = name;
    arm_at(deadline);
  }
  void arm_after(Duration delay) { arm_at(loop_->now() + delay); }
  void arm_after(Duration delay, std::string_view name) { arm_at(loop_->now() + delay, name); }
  // Inline for the common case of a timer that is not armed: a connection
  // cancels all of its timers whenever it closes.
  void cancel() {
    if (pending_.valid()) cancel_pending();
  }

  [[nodiscard]] bool armed() const { return pending_.valid() && loop_->pending(pending_); }
  [[nodiscard]] Instant deadline() const { return deadline_; }
  [[nodiscard]] std::string_view name() const { return name_; }

 private:
  void fire();
  void cancel_pending();

  EventLoop* loop_;
  Tracer tracer_;
  Layer layer_;
  std::string_view name_;
  Callback on_fire_;
  EventLoop::EventId pending_{};
  Instant deadline_{};
};

}  // namespace netstep
