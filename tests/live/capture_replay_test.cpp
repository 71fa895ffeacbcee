// Offline replay: a capture written by netstep's own pcapng writer (a ping
// on the simulated network), read back through libpcap and fed to a fresh
// host with the server's address and MAC. That host answers the client's
// ARP request and its echo requests as the original server did.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "app/ping.hpp"
#include "capture/pcapng_writer.hpp"
#include "live/live_error.hpp"
#include "pcap/capture_replay.hpp"
#include "topology/capture_links.hpp"
#include "topology/default_topology.hpp"

namespace netstep::live {
namespace {

std::filesystem::path write_ping_capture() {
  const auto path = std::filesystem::temp_directory_path() / "nsl-replay-test.pcapng";
  EventLoop loop;
  TraceBus bus{loop};
  topology::DefaultTopology network{loop, bus, topology::DefaultTopologyOptions{1, 0.0}};
  std::ofstream out{path, std::ios::binary};
  capture::PcapngWriter writer{out, topology::capture_links(network.network())};
  bus.attach(writer);
  PingConfig config;
  config.destination = Ipv4Address{10, 0, 0, 2};
  config.count = 2;
  Ping ping{loop, network.client().tracer(), network.client().icmp(), config};
  ping.start();
  while (!ping.done() && loop.run_next()) {
  }
  writer.finish();
  bus.detach(writer);
  return path;
}

bool is_arp_reply(const std::vector<std::byte>& f) {
  return f.size() >= 42 && f[12] == std::byte{0x08} && f[13] == std::byte{0x06} && f[21] == std::byte{2};
}
bool is_echo_reply(const std::vector<std::byte>& f) {
  return f.size() >= 42 && f[12] == std::byte{0x08} && f[13] == std::byte{0x00} && f[23] == std::byte{1} &&
         f[34] == std::byte{0};
}

}  // namespace

TEST_CASE("capture replay: a host fed a recorded ping answers its ARP and echo requests") {
  const auto path = write_ping_capture();
  EventLoop loop;
  TraceBus bus{loop};
  ReplayDevice device{"eth0", MacAddress::local(0x000002)};  // the server's MAC in the default topology
  HostConfig config;
  config.name = "replayed-server";
  Host host{loop, bus, config};
  host.add_interface(device, *Ipv4Cidr::parse("10.0.0.2/24"));
  const std::size_t frames = device.replay(path.string());
  loop.run_until_idle(100'000);
  std::filesystem::remove(path);

  CHECK(frames >= 6);  // ARP request and reply, two echo requests and replies, on several links
  std::size_t arp_replies = 0;
  std::size_t echo_replies = 0;
  for (const auto& frame : device.sent) {
    if (is_arp_reply(frame)) ++arp_replies;
    if (is_echo_reply(frame)) ++echo_replies;
  }
  CHECK(arp_replies >= 1);
  CHECK(echo_replies >= 2);  // a frame seen on two links of the capture is fed twice
}

TEST_CASE("capture replay: a missing file is a clear error") {
  ReplayDevice device{"eth0", MacAddress::local(1)};
  CHECK_THROWS_AS(device.replay("/nonexistent/nsl.pcap"), LiveError);
}

}  // namespace netstep::live
