#pragma once
// The device seam: the one interface between the stack and a wire. A device
// is anything that moves Ethernet frames: a simulated NIC, a libpcap handle,
// a TAP file descriptor. Debugging tools (capture writers, fault injectors)
// wrap a device or sit on the wire, never inside a layer.
#include <cstddef>
#include <string_view>

#include "base/bytes.hpp"
#include "base/mac_address.hpp"

namespace netstep {

// Who a device hands received frames to (the host's Ethernet interface).
class FrameReceiver {
 public:
  virtual ~FrameReceiver() = default;
  // `frame` is valid only during the call; the receiver copies what it keeps.
  virtual void receive_frame(Bytes frame) = 0;
};

class Device {
 public:
  static constexpr std::size_t default_mtu = 1500;

  virtual ~Device() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual MacAddress mac() const = 0;
  // The largest IP packet the link carries (Ethernet header not included).
  [[nodiscard]] virtual std::size_t mtu() const = 0;
  // Hands one frame (Ethernet header onwards, no FCS) to the wire. The
  // device copies what it needs before returning. Never throws: a frame the
  // wire cannot carry is dropped and reported by the device.
  virtual void transmit(Bytes frame) = 0;

  void attach(FrameReceiver& receiver) { receiver_ = &receiver; }
  void detach() { receiver_ = nullptr; }

 protected:
  // Drivers call this for each frame that arrives from the wire.
  void deliver(Bytes frame) {
    if (receiver_ != nullptr) receiver_->receive_frame(frame);
  }

 private:
  FrameReceiver* receiver_ = nullptr;
};

}  // namespace netstep
