#pragma once
// A simulated host's network card: the netstep::Device a host's Ethernet
// layer drives, plugged into one end of a Link.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/mac_address.hpp"
#include "link/device.hpp"
#include "sim/link_endpoint.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::sim {

class SimNic final : public Device, public LinkEndpoint {
 public:
  SimNic(TraceBus& bus, std::string host, std::string name, MacAddress mac, std::size_t mtu = Device::default_mtu);

  // --- Device ---
  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] MacAddress mac() const override { return mac_; }
  [[nodiscard]] std::size_t mtu() const override { return mtu_; }
  // Copies the frame onto the cable. Drops (and traces) a frame larger than
  // the MTU allows, shorter than an Ethernet header, or sent with no cable.
  void transmit(Bytes frame) override;

  // --- LinkEndpoint ---
  void receive_from_link(Bytes frame) override;
  [[nodiscard]] std::size_t max_frame_length() const override { return sim::max_frame_length(mtu_); }
  [[nodiscard]] std::string label() const override { return host_ + '.' + name_; }

  [[nodiscard]] const std::string& host() const { return host_; }
  [[nodiscard]] std::uint64_t frames_transmitted() const { return transmitted_; }
  [[nodiscard]] std::uint64_t frames_received() const { return received_; }
  [[nodiscard]] std::uint64_t frames_dropped() const { return dropped_; }

 private:
  void drop(std::string_view reason, Bytes frame);

  TraceBus* bus_;
  std::string host_;
  std::string name_;
  MacAddress mac_;
  std::size_t mtu_;
  std::uint64_t transmitted_ = 0;
  std::uint64_t received_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace netstep::sim
