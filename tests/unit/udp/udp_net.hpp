#pragma once
// The default topology (client 10.0.0.1, server 10.0.0.2, router
// 10.0.0.254 | 10.0.1.254, remote 10.0.1.2) with a recorder attached, and
// the small helpers the UDP tests share.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sinks/recorder.hpp"
#include "topology/default_topology.hpp"
#include "udp/udp_layer.hpp"
#include "wire/ipv4.hpp"

namespace netstep::testing {

inline const Ipv4Address client_ip{10, 0, 0, 1};
inline const Ipv4Address server_ip{10, 0, 0, 2};
inline const Ipv4Address router_ip{10, 0, 0, 254};
inline const Ipv4Address remote_ip{10, 0, 1, 2};
inline const Ipv4Address lan_broadcast{10, 0, 0, 255};

struct UdpNet {
  explicit UdpNet(std::uint64_t seed = 1) : network{loop, bus, options_with(seed)} { bus.attach(recorder); }
  ~UdpNet() { bus.detach(recorder); }
  UdpNet(const UdpNet&) = delete;
  UdpNet& operator=(const UdpNet&) = delete;

  Host& client() { return network.client(); }
  Host& server() { return network.server(); }
  Host& router() { return network.router(); }
  Host& remote() { return network.remote(); }

  // Long enough for ARP and a crossing of the router, both ways.
  void settle(Duration d = 100ms) { loop.run_until(loop.now() + d); }

  // The reasons of every drop `host`'s UDP layer traced, in order.
  [[nodiscard]] std::vector<std::string_view> udp_drops(std::string_view host) const {
    std::vector<std::string_view> reasons;
    for (const RecordedEvent* e : recorder.all<Dropped>()) {
      if (e->host == host && e->layer == Layer::Udp) reasons.push_back(e->as<Dropped>()->reason);
    }
    return reasons;
  }
  [[nodiscard]] std::size_t icmp_sent_by(std::string_view host) const {
    std::size_t n = 0;
    for (const RecordedEvent* e : recorder.all<IcmpSent>()) n += e->host == host;
    return n;
  }
  [[nodiscard]] std::vector<UdpDatagram> datagrams(std::string_view host, std::string_view direction) const {
    std::vector<UdpDatagram> found;
    for (const RecordedEvent* e : recorder.all<UdpDatagram>()) {
      if (e->host == host && e->as<UdpDatagram>()->direction == direction) found.push_back(*e->as<UdpDatagram>());
    }
    return found;
  }

  // `host` receives an IPv4 packet from `source` carrying `udp` bytes as
  // they are (no checks, no fixing): how a malformed datagram arrives.
  void arrive_raw(Host& host, Ipv4Address source, Ipv4Address destination, const std::vector<std::byte>& udp) {
    wire::Ipv4Repr header;
    header.source = source;
    header.destination = destination;
    header.protocol = wire::ip_protocol::udp;
    header.payload_length = static_cast<std::uint16_t>(udp.size());
    std::vector<std::byte> packet(header.total_length());
    header.emit(MutableBytes{packet});
    std::copy(udp.begin(), udp.end(), packet.begin() + wire::Ipv4Repr::header_length);
    host.ip().receive_ipv4(host.interface(0), Bytes{packet}, false);
  }

  static topology::DefaultTopologyOptions options_with(std::uint64_t seed) {
    topology::DefaultTopologyOptions options;
    options.seed = seed;
    return options;
  }

  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  topology::DefaultTopology network;
};

inline Bytes text(std::string_view s) { return std::as_bytes(std::span{s.data(), s.size()}); }

inline std::string text_of(const std::vector<std::byte>& bytes) {
  std::string s;
  for (const std::byte b : bytes) s += static_cast<char>(b);
  return s;
}

inline bool contains(const std::vector<std::string_view>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

inline std::size_t count(const std::vector<std::string_view>& list, std::string_view item) {
  return static_cast<std::size_t>(std::count(list.begin(), list.end(), item));
}

// bind() that must succeed.
inline udp::UdpPcb& bound(udp::UdpLayer& layer, Endpoint local, udp::BindOptions options = {}) {
  auto pcb = layer.bind(local, options);
  REQUIRE(pcb.ok());
  return **pcb;
}

inline Endpoint at(Ipv4Address address, std::uint16_t port) { return Endpoint{address, Port{port}}; }

}  // namespace netstep::testing

namespace Catch {
template <>
struct StringMaker<netstep::udp::UdpError> {
  static std::string convert(netstep::udp::UdpError e) { return std::string{netstep::udp::to_string(e)}; }
};
template <>
struct StringMaker<netstep::SendStatus> {
  static std::string convert(netstep::SendStatus s) { return std::string{netstep::to_string(s)}; }
};
template <>
struct StringMaker<netstep::Endpoint> {
  static std::string convert(const netstep::Endpoint& e) { return e.to_string(); }
};
}  // namespace Catch
