#pragma once
// A host: interfaces, IPv4 (with ICMP), UDP, TCP and, in a later layer,
// sockets, wired together. It holds no protocol logic of its own; it is
// the place where a scenario, the CLI or a test says "a machine called
// client, with this address, this route".
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/ipv4_address.hpp"
#include "base/random.hpp"
#include "event/event_loop.hpp"
#include "ip/ipv4_layer.hpp"
#include "ip/routing_table.hpp"
#include "link/arp_config.hpp"
#include "link/device.hpp"
#include "link/ethernet_interface.hpp"
#include "tcp/tcp_layer.hpp"
#include "trace/trace_bus.hpp"
#include "udp/udp_layer.hpp"

namespace netstep {

struct HostConfig {
  std::string name;
  Ipv4Config ip;
  ArpConfig arp;           // for every interface of this host
  std::uint64_t seed = 1;  // this host's randomness (IP identifications, TCP ISNs and ports, UDP ports)
};

class Host {
 public:
  Host(EventLoop& loop, TraceBus& bus, HostConfig config);
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  // Adds an interface on `device` with `address` (e.g. 10.0.0.1/24) and its
  // connected route. Interfaces are named eth0, eth1, ... in order.
  EthernetInterface& add_interface(Device& device, Ipv4Cidr address);

  // A route through `gateway`, which must be on a connected network
  // (throws std::invalid_argument otherwise, naming the gateway).
  void add_route(Ipv4Cidr prefix, Ipv4Address gateway, std::uint32_t metric = 0);
  void add_default_route(Ipv4Address gateway) { add_route(Ipv4Cidr{Ipv4Address::any(), 0}, gateway); }
  // Linux's unreachable / prohibit / blackhole routes.
  void add_special_route(Ipv4Cidr prefix, RouteKind kind);

  [[nodiscard]] std::string_view name() const { return name_; }
  [[nodiscard]] Tracer tracer() const { return tracer_; }
  EventLoop& loop() { return loop_; }
  Ipv4Layer& ip() { return ip_; }
  IcmpLayer& icmp() { return ip_.icmp(); }
  udp::UdpLayer& udp() { return udp_; }
  tcp::TcpLayer& tcp() { return tcp_; }
  [[nodiscard]] std::size_t interface_count() const { return interfaces_.size(); }
  EthernetInterface& interface(std::size_t index) { return *interfaces_.at(index); }
  // The first interface's address, the one a student means by "the client".
  [[nodiscard]] Ipv4Address primary_address() const;

 private:
  EventLoop& loop_;
  std::string name_;
  Tracer tracer_;
  ArpConfig arp_;
  Ipv4Layer ip_;
  udp::UdpLayer udp_;  // after ip_: it registers with it, and is destroyed first
  tcp::TcpLayer tcp_;  // likewise
  std::vector<std::unique_ptr<EthernetInterface>> interfaces_;
};

}  // namespace netstep
