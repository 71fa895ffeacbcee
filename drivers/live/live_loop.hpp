#pragma once
// Wall-clock mode: the core EventLoop run against CLOCK_MONOTONIC. Each turn
// moves the loop's clock to now and runs what is due, then sleeps in
// ppoll() on the devices' file descriptors (and the Ctrl-C pipe) until a
// frame arrives or the next event is due. Frames are handed to the stack
// as they arrive, so the narrative prints as the run happens.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "event/event_loop.hpp"
#include "live/live_device.hpp"
#include "live/signal_stop.hpp"
#include "live/wall_clock.hpp"

namespace netstep::live {

enum class StopReason { Done, Deadline, Signal, DeviceFailed };
[[nodiscard]] const char* to_string(StopReason reason);

class LiveLoop {
 public:
  // Virtual time 0 of `loop` is now. `signals` (optional) makes Ctrl-C a stop.
  explicit LiveLoop(EventLoop& loop, SignalStop* signals = nullptr);

  void add_device(LiveDevice& device) { devices_.push_back(&device); }

  // Runs until `done()` is true, the loop's clock reaches `deadline`, a
  // signal arrives or a device fails (its failure() says why).
  StopReason run(const std::function<bool()>& done, std::optional<Instant> deadline = std::nullopt);

  // The pause hook: while paused no event runs and arriving frames wait in
  // the devices' bounded hold queues; resume() delivers them.
  void pause() { paused_ = true; }
  void resume();
  [[nodiscard]] bool paused() const { return paused_; }

  // The device that failed, if the last run ended with DeviceFailed.
  [[nodiscard]] const LiveDevice* failed_device() const { return failed_; }
  [[nodiscard]] Instant now() const { return clock_.now(); }
  [[nodiscard]] std::uint64_t wakeups() const { return wakeups_; }

 private:
  void catch_up();

  EventLoop& loop_;
  SignalStop* signals_;
  WallClock clock_;
  std::vector<LiveDevice*> devices_;
  const LiveDevice* failed_ = nullptr;
  bool paused_ = false;
  std::uint64_t wakeups_ = 0;
};

}  // namespace netstep::live
