// bind(): ephemeral ports (RFC 6056), overlapping addresses, reuse_address,
// addresses that are not ours, an exhausted range, release().
#include <catch2/catch.hpp>

#include <set>
#include <stdexcept>

#include "udp_net.hpp"

using namespace netstep;
using namespace netstep::testing;
using netstep::udp::BindOptions;
using netstep::udp::UdpError;

TEST_CASE("bind with port 0 picks an ephemeral port in Linux's range 32768-60999, a different one each time",
          "[udp][bind]") {
  UdpNet net;
  udp::UdpLayer& layer = net.client().udp();
  std::set<std::uint16_t> ports;
  for (int i = 0; i < 50; ++i) {
    const udp::UdpPcb& pcb = bound(layer, Endpoint{});
    CHECK(pcb.bound());
    CHECK(pcb.local().address.is_unspecified());
    CHECK(pcb.local().port.value() >= 32768);
    CHECK(pcb.local().port.value() <= 60999);
    ports.insert(pcb.local().port.value());
  }
  CHECK(ports.size() == 50);
  CHECK(layer.pcb_count() == 50);
  CHECK(layer.bound_count() == 50);
}

TEST_CASE("ephemeral ports start at a random point drawn from the host's seed: same seed same port, another seed "
          "or host another",
          "[udp][bind][determinism]") {
  UdpNet first{1234};
  UdpNet again{1234};
  UdpNet other{4321};
  const Port a = bound(first.client().udp(), Endpoint{}).local().port;
  CHECK(bound(again.client().udp(), Endpoint{}).local().port == a);
  CHECK(bound(other.client().udp(), Endpoint{}).local().port != a);
  // Two hosts of one run do not walk the same ports in step.
  CHECK(bound(first.server().udp(), Endpoint{}).local().port != a);
}

TEST_CASE("bind to a port bound on the same address, or with either side the wildcard, is refused with AddressInUse",
          "[udp][bind]") {
  UdpNet net;
  udp::UdpLayer& layer = net.client().udp();
  bound(layer, at(client_ip, 5000));
  CHECK(layer.bind(at(client_ip, 5000)).error() == UdpError::AddressInUse);
  CHECK(layer.bind(at(Ipv4Address{}, 5000)).error() == UdpError::AddressInUse);
  // Another address of this host: no overlap.
  CHECK(layer.bind(at(Ipv4Address{127, 0, 0, 1}, 5000)).ok());

  bound(layer, at(Ipv4Address{}, 6000));
  CHECK(layer.bind(at(client_ip, 6000)).error() == UdpError::AddressInUse);
  CHECK(layer.bind(at(Ipv4Address{}, 6000)).error() == UdpError::AddressInUse);
  CHECK(layer.bind(at(Ipv4Address{}, 6001)).ok());
}

TEST_CASE("reuse_address lets PCBs share a port only when every one of them asked for it (SO_REUSEADDR)",
          "[udp][bind]") {
  UdpNet net;
  udp::UdpLayer& layer = net.client().udp();
  const BindOptions reuse{true};
  bound(layer, at(Ipv4Address{}, 7000), reuse);
  CHECK(layer.bind(at(Ipv4Address{}, 7000), reuse).ok());
  CHECK(layer.bind(at(client_ip, 7000), reuse).ok());
  CHECK(layer.bind(at(Ipv4Address{}, 7000)).error() == UdpError::AddressInUse);
  CHECK(layer.bind(at(client_ip, 7000)).error() == UdpError::AddressInUse);

  bound(layer, at(Ipv4Address{}, 7001));  // without reuse: nobody may join it
  CHECK(layer.bind(at(Ipv4Address{}, 7001), reuse).error() == UdpError::AddressInUse);
}

TEST_CASE("bind to an address that is not this host's is refused with AddressNotAvailable, broadcast and multicast "
          "addresses are accepted as on Linux",
          "[udp][bind]") {
  UdpNet net;
  udp::UdpLayer& layer = net.client().udp();
  CHECK(layer.bind(at(server_ip, 7)).error() == UdpError::AddressNotAvailable);
  CHECK(layer.bind(at(Ipv4Address{192, 0, 2, 1}, 0)).error() == UdpError::AddressNotAvailable);
  CHECK(layer.bind(at(lan_broadcast, 67)).ok());
  CHECK(layer.bind(at(Ipv4Address::broadcast(), 68)).ok());
  CHECK(layer.bind(at(Ipv4Address{224, 0, 0, 251}, 5353)).ok());
  CHECK(layer.bind(at(Ipv4Address{127, 0, 0, 1}, 0)).ok());
  CHECK(layer.pcb_count() == 4);
}

TEST_CASE("with every ephemeral port taken, bind with port 0 reports NoEphemeralPort (Linux EAGAIN) until one is released",
          "[udp][bind]") {
  UdpNet net;
  udp::UdpLayer& layer = net.client().udp();
  layer.set_ephemeral_range(EphemeralRange{40000, 40003});
  std::set<std::uint16_t> ports;
  std::vector<udp::UdpPcb*> pcbs;
  for (int i = 0; i < 4; ++i) {
    pcbs.push_back(&bound(layer, Endpoint{}));
    ports.insert(pcbs.back()->local().port.value());
  }
  CHECK(ports == std::set<std::uint16_t>{40000, 40001, 40002, 40003});
  CHECK(layer.bind(Endpoint{}).error() == UdpError::NoEphemeralPort);
  CHECK(layer.bind(at(client_ip, 0)).error() == UdpError::NoEphemeralPort);

  const Port freed = pcbs[2]->local().port;
  layer.release(*pcbs[2]);
  CHECK(bound(layer, Endpoint{}).local().port == freed);
  CHECK(layer.bind(at(Ipv4Address{}, 40000)).error() == UdpError::AddressInUse);
  // An explicit port outside the range is not the range's business.
  CHECK(layer.bind(at(Ipv4Address{}, 5000)).ok());
}

TEST_CASE("set_ephemeral_range refuses an empty range or one including port 0, a zero receive buffer is refused too",
          "[udp][bind][config]") {
  UdpNet net;
  udp::UdpLayer& layer = net.client().udp();
  CHECK_THROWS_AS(layer.set_ephemeral_range(EphemeralRange{0, 10}), std::invalid_argument);
  CHECK_THROWS_AS(layer.set_ephemeral_range(EphemeralRange{5000, 4999}), std::invalid_argument);
  CHECK(layer.ephemeral_range().first == 32768);
  CHECK(layer.ephemeral_range().last == 60999);
  layer.set_ephemeral_range(EphemeralRange{9000, 9000});
  CHECK(bound(layer, Endpoint{}).local().port.value() == 9000);

  CHECK_THROWS_AS(layer.set_config(udp::UdpConfig{0}), std::invalid_argument);
  CHECK(layer.config().receive_buffer == 212992);
  layer.set_config(udp::UdpConfig{4096});
  CHECK(bound(layer, at(Ipv4Address{}, 7777)).receive_buffer() == 4096);
}

TEST_CASE("release frees the port at once for a new bind, and releasing twice is harmless", "[udp][bind]") {
  UdpNet net;
  udp::UdpLayer& layer = net.client().udp();
  udp::UdpPcb& pcb = bound(layer, at(Ipv4Address{}, 5000));
  layer.release(pcb);
  layer.release(pcb);  // already released: ignored, not freed twice
  CHECK(layer.pcb_count() == 0);
  CHECK(layer.bound_count() == 0);
  CHECK(layer.find(at(server_ip, 1), at(client_ip, 5000)) == nullptr);
  CHECK(layer.bind(at(Ipv4Address{}, 5000)).ok());
  net.settle(1ms);  // the released PCB is freed by a loop event
  CHECK(layer.pcb_count() == 1);
}

TEST_CASE("every UdpError has a name and a sentence", "[udp][errors]") {
  for (int i = 0; i <= static_cast<int>(UdpError::BlackholeRoute); ++i) {
    const auto e = static_cast<UdpError>(i);
    CHECK(udp::to_string(e) != "?");
    CHECK(udp::explain(e).size() > udp::to_string(e).size());
  }
}
