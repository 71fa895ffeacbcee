#pragma once
// A patch cable between two devices, for testing the link and IP layers
// without the simulated-wire driver: frames arrive after a fixed delay, in
// order, and may be dropped by a predicate the test sets.
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "event/event_loop.hpp"
#include "link/device.hpp"

namespace netstep::testing {

class CableEnd final : public Device {
 public:
  CableEnd(EventLoop& loop, std::string name, MacAddress mac, std::size_t mtu = default_mtu)
      : loop_{loop}, name_{std::move(name)}, mac_{mac}, mtu_{mtu} {}

  void plug(CableEnd& peer, Duration delay) {
    peer_ = &peer;
    delay_ = delay;
  }
  // Frames for which this returns true are lost on the way out.
  std::function<bool(Bytes)> lose;
  std::vector<std::vector<std::byte>> transmitted;  // everything sent from this end

  std::string_view name() const override { return name_; }
  MacAddress mac() const override { return mac_; }
  std::size_t mtu() const override { return mtu_; }

  void transmit(Bytes frame) override {
    transmitted.emplace_back(frame.begin(), frame.end());
    if (peer_ == nullptr || (lose && lose(frame))) return;
    peer_->in_flight_.emplace_back(frame.begin(), frame.end());
    CableEnd* peer = peer_;
    loop_.post_after(delay_, [peer] { peer->arrive(); });
  }

 private:
  void arrive() {
    const std::vector<std::byte> frame = std::move(in_flight_.front());
    in_flight_.pop_front();
    deliver(Bytes{frame});
  }

  EventLoop& loop_;
  std::string name_;
  MacAddress mac_;
  std::size_t mtu_;
  CableEnd* peer_ = nullptr;
  Duration delay_{};
  std::deque<std::vector<std::byte>> in_flight_;
};

// Two ends, plugged into each other.
struct Cable {
  Cable(EventLoop& loop, MacAddress a_mac, MacAddress b_mac, Duration delay = 10us, std::size_t mtu = Device::default_mtu)
      : a{loop, "a", a_mac, mtu}, b{loop, "b", b_mac, mtu} {
    a.plug(b, delay);
    b.plug(a, delay);
  }
  CableEnd a;
  CableEnd b;
};

}  // namespace netstep::testing
