#include "event/timer.hpp"

namespace netstep {

void Timer::arm_at(Instant deadline) {
  if (pending_.valid()) loop_->cancel(pending_);
  deadline_ = deadline;
  pending_ = loop_->post_at(deadline, [this] { fire(); });
  tracer_.emit(layer_, TimerArmed{name_, deadline});
}

void Timer::cancel_pending() {
  if (loop_->cancel(pending_)) tracer_.emit(layer_, TimerCancelled{name_});
  pending_ = {};
}

void Timer::fire() {
  pending_ = {};
  tracer_.emit(layer_, TimerFired{name_});
  on_fire_();
}

}  // namespace netstep
