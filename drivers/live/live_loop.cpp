#include "live/live_loop.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <string>

namespace netstep::live {

namespace {
// Even with nothing due, wake up now and then: a paused run, a predicate
// that depends on something outside the loop.
constexpr Duration longest_sleep = 200ms;
}  // namespace

const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::Done: return "done";
    case StopReason::Deadline: return "deadline";
    case StopReason::Signal: return "signal";
    case StopReason::DeviceFailed: return "device failed";
  }
  return "?";
}

LiveLoop::LiveLoop(EventLoop& loop, SignalStop* signals) : loop_{loop}, signals_{signals} {
  if (loop_.now() != Instant{}) throw std::logic_error("LiveLoop: the event loop has already run");
}

void LiveLoop::catch_up() {
  if (paused_) return;
  loop_.advance_to(clock_.now());
  loop_.run_due();
}

void LiveLoop::resume() {
  paused_ = false;
  for (LiveDevice* device : devices_) device->release_held();
}

StopReason LiveLoop::run(const std::function<bool()>& done, std::optional<Instant> deadline) {
  failed_ = nullptr;
  std::vector<pollfd> fds;  // made once per run, not per wakeup
  fds.reserve(devices_.size() + 1);
  for (const LiveDevice* device : devices_) fds.push_back(pollfd{device->readable_fd(), POLLIN, 0});
  if (signals_ != nullptr) fds.push_back(pollfd{signals_->fd(), POLLIN, 0});

  while (true) {
    catch_up();
    if (signals_ != nullptr && signals_->raised()) return StopReason::Signal;
    if (done()) return StopReason::Done;
    const Instant now = clock_.now();
    if (deadline && now >= *deadline) return StopReason::Deadline;

    Duration sleep = longest_sleep;
    if (!paused_) {
      if (const auto next = loop_.next_event_time()) sleep = std::min(sleep, *next - now);
    }
    if (deadline) sleep = std::min(sleep, *deadline - now);
    sleep = std::max(sleep, Duration::zero());
    const auto ns = sleep.count();
    timespec timeout{};
    timeout.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
    timeout.tv_nsec = static_cast<long>(ns % 1'000'000'000);
    for (pollfd& p : fds) p.revents = 0;
    const int ready = ppoll(fds.data(), fds.size(), &timeout, nullptr);
    ++wakeups_;
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("ppoll failed: errno " + std::to_string(errno));
    }
    for (std::size_t i = 0; i < devices_.size(); ++i) {
      if (fds[i].revents == 0) continue;
      // One frame at a time, each at its own arrival time (a kernel peer
      // often answers before our write() returns: the SYN,ACK is already
      // waiting behind the ARP reply); timers due before a frame run first.
      // Bounded, so timers still run under a flood.
      ReadStatus status = ReadStatus::Frame;
      for (std::size_t n = 0; n < LiveDevice::default_budget && status == ReadStatus::Frame; ++n) {
        catch_up();
        status = devices_[i]->drain(paused_, 1);
      }
      if (status == ReadStatus::Failed) {
        failed_ = devices_[i];
        return StopReason::DeviceFailed;
      }
      if ((fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
        // Nothing more will come from this descriptor: say so rather than spin.
        devices_[i]->report_failure("the device's file descriptor reported an error or hang-up");
        failed_ = devices_[i];
        return StopReason::DeviceFailed;
      }
    }
  }
}

}  // namespace netstep::live
