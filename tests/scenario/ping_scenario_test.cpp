#include <catch2/catch.hpp>

#include "app/ping.hpp"
#include "sinks/recorder.hpp"
#include "topology/default_topology.hpp"
#include "wire/arp.hpp"
#include "wire/ethernet.hpp"
#include "wire/icmp.hpp"

using namespace netstep;

namespace {

struct Run {
  explicit Run(const char* destination, int count = 3, topology::DefaultTopologyOptions options = {})
      : network{loop, bus, options},
        ping{loop, network.client().tracer(), network.client().icmp(),
             PingConfig{*Ipv4Address::parse(destination), count, 1s, 56, 10s, 0, 1}} {
    bus.attach(recorder);
    ping.start();
    while (!ping.done() && loop.run_next()) {
    }
  }
  std::size_t arp_frames(std::string_view host, wire::ArpOperation op) const {
    std::size_t n = 0;
    for (const auto* e : recorder.all<FrameSent>()) {
      if (e->host != host) continue;
      const auto eth = wire::EthernetRepr::parse(Bytes{e->frame});
      if (!eth || eth->ethertype != wire::ethertype::arp) continue;
      n += wire::ArpRepr::parse(Bytes{e->frame}.subspan(14))->operation == op;
    }
    return n;
  }

  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  topology::DefaultTopology network;
  Ping ping;
};

}  // namespace

TEST_CASE("ping 10.0.0.2 --count 3: one ARP exchange, three replies", "[scenario][ping]") {
  Run run{"10.0.0.2"};
  CHECK(run.ping.statistics().received == 3);
  CHECK(run.arp_frames("client", wire::ArpOperation::Request) == 1);
  CHECK(run.arp_frames("server", wire::ArpOperation::Reply) == 1);
  CHECK(run.recorder.all<PingReply>().size() == 3);
}

TEST_CASE("ping 10.0.1.2 crosses the router: ARP for the gateway, TTL 63", "[scenario][ping]") {
  Run run{"10.0.1.2", 2};
  CHECK(run.ping.statistics().received == 2);
  CHECK(run.arp_frames("client", wire::ArpOperation::Request) == 1);
  CHECK(run.arp_frames("router", wire::ArpOperation::Request) == 1);
  for (const auto* e : run.recorder.all<PingReply>()) CHECK(e->as<PingReply>()->ttl == 63);
  bool forwarded = false;
  for (const auto* e : run.recorder.all<RouteDecision>()) {
    forwarded |= e->host == "router" && e->as<RouteDecision>()->purpose == "forward";
  }
  CHECK(forwarded);
}

TEST_CASE("ping 10.0.0.77: three ARP requests at 0, 1, 2 s, then host unreachable at 3 s", "[scenario][ping][T08]") {
  Run run{"10.0.0.77", 1};
  CHECK(run.arp_frames("client", wire::ArpOperation::Request) == 3);
  const auto errors = run.recorder.all<PingError>();
  REQUIRE(errors.size() == 1);
  CHECK(errors.front()->time == Instant{3s});
  CHECK(errors.front()->as<PingError>()->meaning ==
        wire::describe_icmp(wire::icmp_type::destination_unreachable,
                            static_cast<std::uint8_t>(wire::UnreachableCode::Host)));
}

TEST_CASE("with 30% loss some pings are lost, and the statistics add up", "[scenario][ping][loss]") {
  topology::DefaultTopologyOptions lossy;
  lossy.loss = 0.3;
  lossy.seed = 7;
  Run run{"10.0.0.2", 20, lossy};
  const auto& s = run.ping.statistics();
  CHECK(s.transmitted == 20);
  CHECK(s.received < 20);
  CHECK(s.received > 0);
  CHECK(run.recorder.all<PingReply>().size() == static_cast<std::size_t>(s.received + s.duplicates));
  bool loss_reported = false;
  for (const auto* e : run.recorder.all<Dropped>()) loss_reported |= e->layer == Layer::Driver;
  CHECK(loss_reported);
}

TEST_CASE("an impossible loss probability is refused", "[scenario]") {
  EventLoop loop;
  TraceBus bus{loop};
  topology::DefaultTopologyOptions bad;
  bad.loss = 1.5;
  CHECK_THROWS_AS(topology::DefaultTopology(loop, bus, bad), std::invalid_argument);
}
