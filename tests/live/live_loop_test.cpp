// The wall-clock loop on a socket pair: timers fire in real time, frames are
// delivered as they arrive, runts and giants are dropped and counted, the
// pause hook holds frames in a bounded queue, and a deadline or a signal
// ends the run.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "live/frame_queue.hpp"
#include "live/live_loop.hpp"
#include "live/local_mac.hpp"
#include "socket_pair_device.hpp"

namespace netstep::live {
namespace {

struct Collector final : FrameReceiver {
  std::vector<std::size_t> lengths;
  void receive_frame(Bytes frame) override { lengths.push_back(frame.size()); }
};

std::vector<std::byte> frame_of(std::size_t length) { return std::vector<std::byte>(length, std::byte{0xab}); }

struct Fixture {
  EventLoop loop;
  TraceBus bus{loop};
  test::SocketPairDevice device{bus};
  Collector collector;
  Fixture() { device.attach(collector); }
};

}  // namespace

TEST_CASE("live loop: a timer fires after its wall-clock delay") {
  Fixture f;
  LiveLoop live{f.loop};
  live.add_device(f.device);
  bool fired = false;
  f.loop.post_after(30ms, [&] { fired = true; });
  const auto started = std::chrono::steady_clock::now();
  const StopReason reason = live.run([&] { return fired; });
  const auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(reason == StopReason::Done);
  CHECK(elapsed >= 30ms);
  CHECK(elapsed < 500ms);
  CHECK(f.loop.now() >= Instant{30ms});
}

TEST_CASE("live loop: frames are delivered, runts and giants dropped and counted") {
  Fixture f;
  LiveLoop live{f.loop};
  live.add_device(f.device);
  f.device.inject(frame_of(60));
  f.device.inject(frame_of(5));     // shorter than an Ethernet header
  f.device.inject(frame_of(3000));  // larger than MTU 1500 allows
  f.device.inject(frame_of(1514));
  live.run([&] { return f.collector.lengths.size() == 2 && f.device.frames_dropped() == 2; }, Instant{2s});
  CHECK(f.collector.lengths == std::vector<std::size_t>{60, 1514});
  CHECK(f.device.frames_dropped() == 2);
  CHECK(f.device.frames_received() == 2);
}

TEST_CASE("live loop: a deadline ends an idle run") {
  Fixture f;
  LiveLoop live{f.loop};
  live.add_device(f.device);
  CHECK(live.run([] { return false; }, Instant{50ms}) == StopReason::Deadline);
  CHECK(live.now() >= Instant{50ms});
}

TEST_CASE("live loop: SIGINT ends the run cleanly") {
  Fixture f;
  SignalStop signals;
  LiveLoop live{f.loop, &signals};
  live.add_device(f.device);
  f.loop.post_after(10ms, [] { raise(SIGINT); });
  CHECK(live.run([] { return false; }, Instant{5s}) == StopReason::Signal);
  CHECK(signals.signal_number() == SIGINT);
}

TEST_CASE("live loop: a hung-up descriptor ends the run with the device's reason") {
  Fixture f;
  LiveLoop live{f.loop};
  live.add_device(f.device);
  f.device.unplug();
  CHECK(live.run([] { return false; }, Instant{2s}) == StopReason::DeviceFailed);
  REQUIRE(live.failed_device() == &f.device);
  CHECK_FALSE(f.device.failure().empty());
}

TEST_CASE("live loop: while paused frames wait in the bounded hold queue") {
  Fixture f;
  LiveLoop live{f.loop};
  live.add_device(f.device);
  live.pause();
  bool fired = false;
  f.loop.post_after(1ms, [&] { fired = true; });
  const std::size_t extra = 10;
  for (std::size_t i = 0; i < LiveDevice::default_hold_capacity + extra; ++i) f.device.inject(frame_of(64));
  live.run([&] { return f.device.frames_held() + f.device.frames_dropped() ==
                        LiveDevice::default_hold_capacity + extra; }, Instant{2s});
  CHECK_FALSE(fired);  // no event runs while paused
  CHECK(f.collector.lengths.empty());
  CHECK(f.device.frames_held() == LiveDevice::default_hold_capacity);
  CHECK(f.device.frames_dropped() == extra);
  live.resume();
  CHECK(f.collector.lengths.size() == LiveDevice::default_hold_capacity);
  live.run([&] { return fired; }, Instant{3s});
  CHECK(fired);
}

TEST_CASE("frame queue: bounded, first in first out, refuses what does not fit") {
  FrameQueue queue{2, 100};
  const auto a = frame_of(10);
  const auto b = frame_of(20);
  CHECK(queue.push(Bytes{a}));
  CHECK(queue.push(Bytes{b}));
  CHECK_FALSE(queue.push(Bytes{a}));
  CHECK(queue.front().size() == 10);
  queue.pop();
  CHECK(queue.front().size() == 20);
  CHECK_FALSE(queue.push(Bytes{frame_of(101)}));
}

TEST_CASE("local mac: locally administered unicast, the same for the same seed") {
  const MacAddress mac = local_mac_from_seed(7);
  CHECK(mac == local_mac_from_seed(7));
  CHECK_FALSE(mac == local_mac_from_seed(8));
  CHECK(mac.to_string().substr(0, 3) == "02:");
}

}  // namespace netstep::live
