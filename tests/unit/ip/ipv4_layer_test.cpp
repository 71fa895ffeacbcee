#include <catch2/catch.hpp>

#include "app/ping.hpp"
#include "three_hosts.hpp"
#include "wire/ethernet.hpp"
#include "wire/icmp.hpp"

using namespace netstep;
using namespace netstep::testing;

namespace {

const Ipv4Address client_ip{10, 0, 0, 1};
const Ipv4Address router_near{10, 0, 0, 254};
const Ipv4Address remote_ip{10, 0, 1, 2};
constexpr std::uint8_t experimental = 253;  // RFC 3692: no transport knows it

struct FakeTransport final : TransportProtocol {
  std::vector<IcmpErrorReport> errors;
  std::vector<std::vector<std::byte>> payloads;
  std::string_view transport_name() const override { return "fake"; }
  void receive_ipv4(const wire::Ipv4Repr&, Bytes payload, Bytes, bool) override {
    payloads.emplace_back(payload.begin(), payload.end());
  }
  void receive_icmp_error(const IcmpErrorReport& report) override { errors.push_back(report); }
};

std::vector<std::byte> bytes(std::size_t n) { return std::vector<std::byte>(n, std::byte{0x5a}); }

std::size_t frames_sent_by(const Recorder& r, std::string_view host) {
  std::size_t n = 0;
  for (const auto* e : r.all<FrameSent>()) n += e->host == host;
  return n;
}

}  // namespace

TEST_CASE("no route, and Linux's unreachable, prohibit and blackhole routes: refused at once, nothing sent",
          "[ip][send][T07][T07b]") {
  ThreeHosts net;
  CableEnd nowhere{net.loop, "x", MacAddress::local(99)};  // outlives the host that uses it
  Host lonely{net.loop, net.bus, HostConfig{"lonely", {}, {}, 9}};
  lonely.add_interface(nowhere, *Ipv4Cidr::parse("10.9.0.1/24"));
  CHECK(lonely.ip().send(remote_ip, experimental, Bytes{bytes(8)}) == SendStatus::NoRoute);

  net.client.add_special_route(*Ipv4Cidr::parse("192.0.2.0/24"), RouteKind::Unreachable);
  net.client.add_special_route(*Ipv4Cidr::parse("198.51.100.0/24"), RouteKind::Prohibit);
  net.client.add_special_route(*Ipv4Cidr::parse("203.0.113.0/24"), RouteKind::Blackhole);
  const auto payload = bytes(8);
  CHECK(net.client.ip().send(Ipv4Address{192, 0, 2, 1}, experimental, Bytes{payload}) == SendStatus::UnreachableRoute);
  CHECK(net.client.ip().send(Ipv4Address{198, 51, 100, 1}, experimental, Bytes{payload}) == SendStatus::ProhibitRoute);
  CHECK(net.client.ip().send(Ipv4Address{203, 0, 113, 1}, experimental, Bytes{payload}) == SendStatus::BlackholeRoute);
  net.loop.run_until_idle();
  CHECK(frames_sent_by(net.recorder, "client") == 0);
  CHECK(nowhere.transmitted.empty());
}

TEST_CASE("a gateway that is not on a connected network is refused with its address named", "[ip][routes]") {
  ThreeHosts net;
  CHECK_THROWS_WITH(net.client.add_route(*Ipv4Cidr::parse("172.16.0.0/12"), Ipv4Address{10, 9, 9, 9}),
                    Catch::Contains("10.9.9.9"));
}

TEST_CASE("don't-fragment and larger than the MTU: TooBig, nothing sent", "[ip][send]") {
  ThreeHosts net;
  SendOptions df;
  df.dont_fragment = true;
  CHECK(net.client.ip().send(remote_ip, experimental, Bytes{bytes(1481)}, df) == SendStatus::TooBig);
  CHECK(net.client.ip().send(remote_ip, experimental, Bytes{bytes(70000)}) == SendStatus::TooBig);
}

TEST_CASE("a datagram crosses the router: TTL one lower, checksum still right", "[ip][forward]") {
  ThreeHosts net;
  FakeTransport sink;
  net.remote.ip().register_transport(experimental, sink);
  CHECK(net.client.ip().send(remote_ip, experimental, Bytes{bytes(100)}) == SendStatus::Sent);
  net.loop.run_until(Instant{1s});
  REQUIRE(sink.payloads.size() == 1);
  CHECK(sink.payloads.front() == bytes(100));
  // The remote parsed (and so checksum-verified) a packet with TTL 63.
  bool saw_ttl_63 = false;
  for (const auto* e : net.recorder.all<FrameReceived>()) {
    if (e->host == "remote" && e->frame.size() > 22 && static_cast<int>(e->frame[14 + 8]) == 63) saw_ttl_63 = true;
  }
  CHECK(saw_ttl_63);
}

TEST_CASE("a router with forwarding off drops what is not for it", "[ip][forward]") {
  ThreeHosts net;
  net.router.ip().set_forwarding(false);
  net.client.ip().send(remote_ip, experimental, Bytes{bytes(10)});
  net.loop.run_until(Instant{1s});
  CHECK(contains(drop_reasons(net.recorder, "router"), "not addressed to this host (forwarding is off)"));
}

TEST_CASE("a datagram larger than the MTU leaves in fragments and arrives whole", "[ip][fragments]") {
  ThreeHosts net;
  FakeTransport sink;
  net.remote.ip().register_transport(experimental, sink);
  CHECK(net.client.ip().send(remote_ip, experimental, Bytes{bytes(4000)}) == SendStatus::Sent);
  net.loop.run_until(Instant{1s});
  REQUIRE(sink.payloads.size() == 1);
  CHECK(sink.payloads.front().size() == 4000);
  CHECK(net.recorder.all<FragmentsReassembled>().size() == 1);
}

TEST_CASE("a router fragments for a smaller next link, with don't-fragment it answers fragmentation needed",
          "[ip][forward][fragments]") {
  ThreeHosts net{/*far_mtu*/ 1000};
  FakeTransport at_remote, at_client;
  net.remote.ip().register_transport(experimental, at_remote);
  net.client.ip().register_transport(experimental, at_client);

  net.client.ip().send(remote_ip, experimental, Bytes{bytes(1400)});
  net.loop.run_until(Instant{1s});
  REQUIRE(at_remote.payloads.size() == 1);
  CHECK(at_remote.payloads.front().size() == 1400);

  SendOptions df;
  df.dont_fragment = true;
  net.client.ip().send(remote_ip, experimental, Bytes{bytes(1400)}, df);
  net.loop.run_until(Instant{2s});
  REQUIRE(at_client.errors.size() == 1);
  CHECK(at_client.errors.front().type == wire::icmp_type::destination_unreachable);
  CHECK(at_client.errors.front().code == static_cast<std::uint8_t>(wire::UnreachableCode::FragmentationNeeded));
  CHECK((at_client.errors.front().rest_of_header & 0xffff) == 1000);
  CHECK(at_client.errors.front().reporter == router_near);
}

TEST_CASE("an unknown protocol is answered with ICMP protocol unreachable, handed to the sending transport",
          "[ip][icmp]") {
  ThreeHosts net;
  FakeTransport at_client;
  net.client.ip().register_transport(experimental, at_client);
  net.client.ip().send(remote_ip, experimental, Bytes{bytes(20)});
  net.loop.run_until(Instant{1s});
  REQUIRE(at_client.errors.size() == 1);
  const IcmpErrorReport& report = at_client.errors.front();
  CHECK(report.code == static_cast<std::uint8_t>(wire::UnreachableCode::Protocol));
  CHECK(report.reporter == remote_ip);
  CHECK(report.quoted_header.destination == remote_ip);
  CHECK(report.quoted_header.protocol == experimental);
  CHECK(report.quoted_transport.size() >= 8);
  const auto delivered = net.recorder.all<IcmpErrorDelivered>();
  REQUIRE(delivered.size() == 1);
  CHECK(delivered.front()->as<IcmpErrorDelivered>()->delivered_to == "fake");
}

// T08: the host whose ARP failed tells its own transport at once, with no
// ICMP message to itself (which would wait behind a SYN retransmission due
// at the same instant); a router tells the sender with a real message.
TEST_CASE("ARP fails: host unreachable goes straight to our own transport, as ICMP to a sender we forwarded for",
          "[ip][icmp][arp][T08]") {
  ThreeHosts net;
  FakeTransport at_client;
  net.client.ip().register_transport(experimental, at_client);
  const auto icmp_sent_by = [&](std::string_view host) {
    std::size_t n = 0;
    for (const auto* e : net.recorder.all<IcmpSent>()) n += e->host == host;
    return n;
  };

  SECTION("a datagram this host sent") {
    net.client.ip().send(Ipv4Address{10, 0, 0, 77}, experimental, Bytes{bytes(20)});
    net.loop.run_until(Instant{4s});
    REQUIRE(at_client.errors.size() == 1);
    CHECK(at_client.errors.front().code == static_cast<std::uint8_t>(wire::UnreachableCode::Host));
    CHECK(at_client.errors.front().reporter == client_ip);
    CHECK(at_client.errors.front().quoted_header.destination == Ipv4Address{10, 0, 0, 77});
    CHECK(icmp_sent_by("client") == 0);
    const auto delivered = net.recorder.all<IcmpErrorDelivered>();
    REQUIRE(delivered.size() == 1);
    CHECK(delivered.front()->time == Instant{3s});
    CHECK(delivered.front()->as<IcmpErrorDelivered>()->delivered_to == "fake");
    CHECK(delivered.front()->as<IcmpErrorDelivered>()->local_reason == "next hop did not answer ARP");
  }
  SECTION("a datagram the router forwarded") {
    net.client.ip().send(Ipv4Address{10, 0, 1, 77}, experimental, Bytes{bytes(20)});
    net.loop.run_until(Instant{4s});
    REQUIRE(at_client.errors.size() == 1);
    CHECK(at_client.errors.front().reporter == router_near);
    CHECK(icmp_sent_by("router") == 1);
    const auto delivered = net.recorder.all<IcmpErrorDelivered>();
    REQUIRE(delivered.size() == 1);
    CHECK(delivered.front()->as<IcmpErrorDelivered>()->local_reason.empty());
  }
}

TEST_CASE("no ICMP error about a broadcast (RFC 1122 3.2.2)", "[ip][icmp]") {
  ThreeHosts net;
  net.client.ip().send(Ipv4Address{10, 0, 0, 255}, experimental, Bytes{bytes(20)});
  net.loop.run_until(Instant{1s});
  CHECK(net.recorder.all<IcmpSent>().empty());
  CHECK(contains(drop_reasons(net.recorder, "router"), "no transport for this protocol"));
}

TEST_CASE("a corrupted header is dropped with the check that failed", "[ip][receive]") {
  ThreeHosts net;
  net.near.a.lose = [](Bytes) { return false; };
  wire::Ipv4Repr header;
  header.source = client_ip;
  header.destination = router_near;
  header.protocol = experimental;
  header.payload_length = 8;
  std::vector<std::byte> packet(28);
  header.emit(MutableBytes{packet});
  packet[10] ^= std::byte{0xff};  // break the header checksum
  net.router.ip().receive_ipv4(net.router.interface(0), Bytes{packet}, false);
  CHECK(contains(drop_reasons(net.recorder, "router"), wire::describe(wire::WireError::BadChecksum)));
}

TEST_CASE("packets to our own address go round the loopback path", "[ip][local]") {
  ThreeHosts net;
  FakeTransport sink;
  net.client.ip().register_transport(experimental, sink);
  CHECK(net.client.ip().send(client_ip, experimental, Bytes{bytes(5)}) == SendStatus::DeliveredLocally);
  CHECK(sink.payloads.empty());  // not inside the call
  net.loop.run_until_idle();
  CHECK(sink.payloads.size() == 1);
  CHECK(frames_sent_by(net.recorder, "client") == 0);
}

TEST_CASE("the source towards 127.0.0.0/8 is 127.0.0.1, as Linux's local route prefers, and towards an own address that address",
          "[ip][local][U04]") {
  ThreeHosts net;
  CHECK(net.client.ip().route_output(Ipv4Address{127, 0, 0, 2}).source == Ipv4Address{127, 0, 0, 1});
  CHECK(net.client.ip().route_output(client_ip).source == client_ip);
  CHECK(net.client.ip().route_output(Ipv4Address{127, 0, 0, 2}, Ipv4Address{127, 0, 0, 3}).source ==
        Ipv4Address{127, 0, 0, 3});  // a bound source stays
}

TEST_CASE("a broadcast goes onto the link as a broadcast frame, not to the default gateway", "[ip][send]") {
  ThreeHosts net;
  net.client.ip().send(Ipv4Address::broadcast(), experimental, Bytes{bytes(8)});
  REQUIRE(net.near.a.transmitted.size() == 1);
  const auto eth = wire::EthernetRepr::parse(Bytes{net.near.a.transmitted.front()});
  CHECK(eth->destination == MacAddress::broadcast());
  CHECK(eth->ethertype == wire::ethertype::ipv4);  // no ARP for the router
}

TEST_CASE("0.0.0.0 as a destination means this host: answered from 127.0.0.1, nothing on the wire",
          "[ip][local][T20]") {
  ThreeHosts net;
  Ping ping{net.loop, net.client.tracer(), net.client.icmp(), PingConfig{Ipv4Address{}, 1, 1s, 56, 10s, 0, 1}};
  ping.start();
  net.loop.run_until_idle();
  CHECK(ping.statistics().received == 1);
  REQUIRE(net.recorder.all<PingReply>().size() == 1);
  CHECK(net.recorder.all<PingReply>().front()->as<PingReply>()->from == Ipv4Address{127, 0, 0, 1});
  CHECK(net.near.a.transmitted.empty());
}

TEST_CASE("a loopback address arriving from the wire is a martian and is dropped", "[ip][receive]") {
  ThreeHosts net;
  wire::Ipv4Repr header;
  header.source = Ipv4Address{127, 0, 0, 1};
  header.destination = router_near;
  header.protocol = experimental;
  header.payload_length = 8;
  std::vector<std::byte> packet(28);
  header.emit(MutableBytes{packet});
  net.router.ip().receive_ipv4(net.router.interface(0), Bytes{packet}, false);
  CHECK(contains(drop_reasons(net.recorder, "router"), "loopback address on the wire (martian)"));
  CHECK(net.recorder.all<IcmpSent>().empty());
}

TEST_CASE("destroying a host with a loopback delivery pending leaves nothing behind in the loop", "[ip][local]") {
  EventLoop loop;
  TraceBus bus{loop};
  CableEnd nic{loop, "x", MacAddress::local(1)};
  {
    Host host{loop, bus, HostConfig{"short-lived", {}, {}, 1}};
    host.add_interface(nic, *Ipv4Cidr::parse("10.0.0.1/24"));
    CHECK(host.ip().send(Ipv4Address{10, 0, 0, 1}, experimental, Bytes{bytes(4)}) == SendStatus::DeliveredLocally);
  }
  CHECK(loop.run_until_idle() == 0);
}

TEST_CASE("an interface refuses a device whose MTU is below IPv4's 68 bytes", "[ip][link]") {
  EventLoop loop;
  TraceBus bus{loop};
  CableEnd tiny{loop, "x", MacAddress::local(1), 60};
  Host host{loop, bus, HostConfig{"h", {}, {}, 1}};
  CHECK_THROWS_WITH(host.add_interface(tiny, *Ipv4Cidr::parse("10.0.0.1/24")), Catch::Contains("below IPv4's minimum"));
}
