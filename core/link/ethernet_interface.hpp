#pragma once
// One Ethernet interface of a host: the device it drives, its MAC and IPv4
// address, its frame filter, and its ARP cache. Inbound frames are checked,
// filtered and handed to ARP or IPv4; outbound IPv4 packets get a next-hop
// MAC address from the neighbour table and an Ethernet header.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "event/event_loop.hpp"
#include "link/arp_config.hpp"
#include "link/device.hpp"
#include "link/neighbour_table.hpp"
#include "trace/trace_bus.hpp"

namespace netstep {

class EthernetInterface;

// What the interface hands IPv4 packets to (the host's IPv4 layer).
class Ipv4Receiver {
 public:
  virtual ~Ipv4Receiver() = default;
  // `link_broadcast`: the frame was sent to a broadcast or multicast MAC,
  // which matters for ICMP error rules (RFC 1122 3.2.2).
  virtual void receive_ipv4(EthernetInterface& from, Bytes packet, bool link_broadcast) = 0;
  // ARP gave up on next_hop; `packet` was waiting for it.
  virtual void receive_unresolved(EthernetInterface& on, Ipv4Address next_hop, Bytes packet) = 0;
};

struct InterfaceConfig {
  std::string name = "eth0";
  Ipv4Cidr address;  // 0.0.0.0/0: no address yet
  ArpConfig arp;
};

struct InterfaceCounters {
  std::uint64_t frames_received = 0;
  std::uint64_t frames_sent = 0;
  std::uint64_t frames_dropped = 0;
};

class EthernetInterface final : public FrameReceiver, private NeighbourTable::Owner {
 public:
  static constexpr std::size_t minimum_mtu = 68;

  // Throws std::invalid_argument if the device's MTU is below minimum_mtu.
  EthernetInterface(EventLoop& loop, Tracer tracer, Device& device, InterfaceConfig config);
  ~EthernetInterface() override;
  EthernetInterface(const EthernetInterface&) = delete;
  EthernetInterface& operator=(const EthernetInterface&) = delete;

  void set_ipv4_receiver(Ipv4Receiver& receiver) { upper_ = &receiver; }

  [[nodiscard]] std::string_view name() const { return config_.name; }
  [[nodiscard]] MacAddress mac() const { return device_.mac(); }
  [[nodiscard]] Ipv4Cidr address() const { return config_.address; }
  [[nodiscard]] std::size_t mtu() const { return device_.mtu(); }
  [[nodiscard]] const InterfaceCounters& counters() const { return counters_; }
  NeighbourTable& neighbours() { return neighbours_; }
  [[nodiscard]] const NeighbourTable& neighbours() const { return neighbours_; }

  // Outbound, without a copy: write an IPv4 packet of `length` <= mtu() bytes
  // into ipv4_buffer(length), then send_ipv4(next_hop, length).
  [[nodiscard]] MutableBytes ipv4_buffer(std::size_t length);
  void send_ipv4(Ipv4Address next_hop, std::size_t length);

  // A gratuitous ARP announcing our address (RFC 5227 section 3).
  void announce() { neighbours_.announce(); }

  void receive_frame(Bytes frame) override;

 private:
  void send_arp(const wire::ArpRepr& arp, MacAddress destination) override;
  void send_resolved(MacAddress destination, Bytes packet) override;
  void report_unresolved(Ipv4Address next_hop, Bytes packet) override;

  [[nodiscard]] bool is_link_broadcast(Ipv4Address next_hop) const;
  void transmit(MacAddress destination, std::uint16_t ethertype, std::size_t payload_length);
  void drop(std::string_view reason, Bytes frame);

  Tracer tracer_;
  Device& device_;
  MacAddress mac_;  // the device's, read once (devices keep theirs; ARP has it from the start too)
  InterfaceConfig config_;
  NeighbourTable neighbours_;
  Ipv4Receiver* upper_ = nullptr;
  InterfaceCounters counters_;
  std::vector<std::byte> tx_frame_;  // one outgoing frame, reused
};

}  // namespace netstep
