#include <catch2/catch.hpp>

#include "app/ping.hpp"
#include "three_hosts.hpp"
#include "wire/icmp.hpp"

using namespace netstep;
using namespace netstep::testing;

namespace {

struct PingRun {
  PingRun(ThreeHosts& net, const char* destination, int count = 3, std::size_t size = 56)
      : ping{net.loop, net.client.tracer(), net.client.icmp(),
             PingConfig{*Ipv4Address::parse(destination), count, 1s, size, 10s, 0, 1}} {
    ping.start();
    net.loop.run_until_idle();
  }
  Ping ping;
};

std::vector<const PingError*> ping_errors(const Recorder& r) {
  std::vector<const PingError*> errors;
  for (const auto* e : r.all<PingError>()) errors.push_back(e->as<PingError>());
  return errors;
}

}  // namespace

TEST_CASE("ping across the router: three replies with TTL 63", "[ip][ping]") {
  ThreeHosts net;
  PingRun run{net, "10.0.1.2"};
  CHECK(run.ping.done());
  CHECK(run.ping.statistics().transmitted == 3);
  CHECK(run.ping.statistics().received == 3);
  const auto replies = net.recorder.all<PingReply>();
  REQUIRE(replies.size() == 3);
  for (const auto* r : replies) CHECK(r->as<PingReply>()->ttl == 63);
  // The first reply waited for two ARP exchanges; later ones did not.
  CHECK(replies[0]->as<PingReply>()->rtt > replies[1]->as<PingReply>()->rtt);
}

TEST_CASE("ping a host that does not exist on the local network: host unreachable from ourselves after 3 s",
          "[ip][ping][T08]") {
  ThreeHosts net;
  PingRun run{net, "10.0.0.77"};
  CHECK(run.ping.statistics().received == 0);
  CHECK(run.ping.statistics().errors == 3);
  const auto errors = net.recorder.all<PingError>();
  REQUIRE(errors.size() == 3);
  CHECK(errors.front()->time == Instant{3s});
  CHECK(errors.front()->as<PingError>()->from == Ipv4Address{10, 0, 0, 1});
  CHECK(errors.front()->as<PingError>()->meaning ==
        wire::describe_icmp(wire::icmp_type::destination_unreachable, 1));
}

TEST_CASE("ping a missing host behind the router: the router reports host unreachable after its ARP gives up",
          "[ip][ping][T08]") {
  ThreeHosts net;
  PingRun run{net, "10.0.1.77", 1};
  const auto errors = ping_errors(net.recorder);
  REQUIRE(errors.size() == 1);
  // Like Linux (icmp_errors_use_inbound_ifaddr = 0), the error comes from the
  // address of the interface that leads back to the sender.
  CHECK(errors.front()->from == Ipv4Address{10, 0, 0, 254});
  CHECK(net.recorder.all<PingError>().front()->time > Instant{3s});
  CHECK(net.recorder.all<PingError>().front()->time < Instant{3s + 1ms});
}

TEST_CASE("ping a network the router has no route to: net unreachable from the router", "[ip][ping][T04]") {
  ThreeHosts net;
  PingRun run{net, "192.0.2.1", 1};
  const auto errors = ping_errors(net.recorder);
  REQUIRE(errors.size() == 1);
  CHECK(errors.front()->from == Ipv4Address{10, 0, 0, 254});
  CHECK(errors.front()->meaning == wire::describe_icmp(wire::icmp_type::destination_unreachable, 0));
}

TEST_CASE("ping with TTL 1 through a router: time exceeded from the router", "[ip][ping]") {
  ThreeHosts net;
  Ping ping{net.loop, net.client.tracer(), net.client.icmp(),
            PingConfig{Ipv4Address{10, 0, 1, 2}, 1, 1s, 56, 10s, /*ttl*/ 1, 1}};
  ping.start();
  net.loop.run_until_idle();
  const auto errors = ping_errors(net.recorder);
  REQUIRE(errors.size() == 1);
  CHECK(errors.front()->meaning == wire::describe_icmp(wire::icmp_type::time_exceeded, 0));
}

TEST_CASE("ping with 3000 bytes: fragments both ways, replies all the same", "[ip][ping][fragments]") {
  ThreeHosts net;
  PingRun run{net, "10.0.1.2", 2, 3000};
  CHECK(run.ping.statistics().received == 2);
  CHECK(net.recorder.all<FragmentsReassembled>().size() == 4);  // 2 requests at remote, 2 replies at client
}

TEST_CASE("ping with nowhere to send: the local error is kept and nothing waits", "[ip][ping]") {
  ThreeHosts net;
  Host lonely{net.loop, net.bus, HostConfig{"lonely", {}, {}, 9}};
  Ping ping{net.loop, lonely.tracer(), lonely.icmp(), PingConfig{Ipv4Address{10, 0, 1, 2}, 3, 1s, 56, 10s, 0, 1}};
  ping.start();
  CHECK(ping.done());
  CHECK(ping.local_error() == SendStatus::NoRoute);
}

TEST_CASE("ping ourselves: answered through the loopback path in zero time", "[ip][ping]") {
  ThreeHosts net;
  PingRun run{net, "10.0.0.1", 1};
  REQUIRE(run.ping.statistics().received == 1);
  CHECK(run.ping.statistics().rtt_max == Duration::zero());
}

TEST_CASE("lost replies count as loss once the linger time is over", "[ip][ping]") {
  ThreeHosts net;
  net.far.b.lose = [](Bytes frame) { return frame.size() > 60; };  // the remote's replies vanish, ARP survives
  Ping ping{net.loop, net.client.tracer(), net.client.icmp(),
            PingConfig{Ipv4Address{10, 0, 1, 2}, 2, 1s, 56, 10s, 0, 1}};
  ping.start();
  net.loop.run_until(Instant{11s} - 1ns);  // last request at 1 s, then 10 s of linger
  CHECK_FALSE(ping.done());
  net.loop.run_until(Instant{11s});
  CHECK(ping.done());
  CHECK(ping.statistics().received == 0);
  CHECK(ping.statistics().loss_percent() == 100);
}

TEST_CASE("PingConfig refuses impossible values", "[ip][ping]") {
  PingConfig config;
  config.count = 0;
  CHECK_THROWS_AS(config.validate(), std::invalid_argument);
}
