#pragma once
// Two Ethernet interfaces on a test cable, with a fake IPv4 layer above
// each that records what it is handed.
#include <vector>

#include "base/time.hpp"
#include "event/event_loop.hpp"
#include "link/ethernet_interface.hpp"
#include "sinks/recorder.hpp"
#include "support/test_cable.hpp"
#include "trace/trace_bus.hpp"
#include "wire/ipv4.hpp"

namespace netstep::testing {

struct RecordingIpv4 final : Ipv4Receiver {
  std::vector<std::vector<std::byte>> received;
  std::vector<Ipv4Address> unresolved;
  void receive_ipv4(EthernetInterface&, Bytes packet, bool) override { received.emplace_back(packet.begin(), packet.end()); }
  void receive_unresolved(EthernetInterface&, Ipv4Address next_hop, Bytes) override { unresolved.push_back(next_hop); }
};

inline const MacAddress mac_a = MacAddress::local(1);
inline const MacAddress mac_b = MacAddress::local(2);
inline const Ipv4Address ip_a{10, 0, 0, 1};
inline const Ipv4Address ip_b{10, 0, 0, 2};

struct LinkFixture {
  explicit LinkFixture(ArpConfig arp = {})
      : cable{loop, mac_a, mac_b},
        a{loop, Tracer{bus, "a"}, cable.a, InterfaceConfig{"eth0", Ipv4Cidr{ip_a, 24}, arp}},
        b{loop, Tracer{bus, "b"}, cable.b, InterfaceConfig{"eth0", Ipv4Cidr{ip_b, 24}, arp}} {
    bus.attach(recorder);
    a.set_ipv4_receiver(upper_a);
    b.set_ipv4_receiver(upper_b);
  }

  // Sends a small IPv4 packet from a to `destination` through a's buffer.
  void send_from_a(Ipv4Address destination, std::size_t payload = 8) {
    wire::Ipv4Repr header;
    header.source = ip_a;
    header.destination = destination;
    header.protocol = 253;  // RFC 3692 experimental
    header.payload_length = static_cast<std::uint16_t>(payload);
    MutableBytes buffer = a.ipv4_buffer(header.total_length());
    header.emit(buffer);
    a.send_ipv4(destination, header.total_length());
  }

  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  Cable cable;
  EthernetInterface a;
  EthernetInterface b;
  RecordingIpv4 upper_a;
  RecordingIpv4 upper_b;
};

}  // namespace netstep::testing
