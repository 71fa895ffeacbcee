#pragma once
// client 10.0.0.1/24 --cable-- router 10.0.0.254/24 | 10.0.1.254/24 --cable-- remote 10.0.1.2/24
// (the routed half of netstep's default topology, on test cables).
#include <memory>

#include "event/event_loop.hpp"
#include "host/host.hpp"
#include "sinks/recorder.hpp"
#include "support/test_cable.hpp"

namespace netstep::testing {

struct ThreeHosts {
  explicit ThreeHosts(std::size_t far_mtu = Device::default_mtu)
      : near{loop, MacAddress::local(1), MacAddress::local(0xfe01)},
        far{loop, MacAddress::local(0xfe02), MacAddress::local(2), 10us, far_mtu} {
    bus.attach(recorder);
    client.add_interface(near.a, *Ipv4Cidr::parse("10.0.0.1/24"));
    router.add_interface(near.b, *Ipv4Cidr::parse("10.0.0.254/24"));
    router.add_interface(far.a, *Ipv4Cidr::parse("10.0.1.254/24"));
    remote.add_interface(far.b, *Ipv4Cidr::parse("10.0.1.2/24"));
    router.ip().set_forwarding(true);
    client.add_default_route(Ipv4Address{10, 0, 0, 254});
    remote.add_default_route(Ipv4Address{10, 0, 1, 254});
  }

  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  Cable near;
  Cable far;
  Host client{loop, bus, HostConfig{"client", {}, {}, 1}};
  Host router{loop, bus, HostConfig{"router", {}, {}, 2}};
  Host remote{loop, bus, HostConfig{"remote", {}, {}, 3}};
};

inline std::vector<std::string_view> drop_reasons(const Recorder& r, std::string_view host) {
  std::vector<std::string_view> reasons;
  for (const auto* e : r.all<Dropped>()) {
    if (e->host == host) reasons.push_back(e->as<Dropped>()->reason);
  }
  return reasons;
}

inline bool contains(const std::vector<std::string_view>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace netstep::testing
