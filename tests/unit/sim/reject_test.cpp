#include <catch2/catch.hpp>

#include "sim_harness.hpp"
#include "wire/checksum.hpp"
#include "wire/ethernet.hpp"
#include "wire/icmp.hpp"
#include "wire/ipv4.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

namespace {
constexpr Ipv4Address router{10, 0, 0, 254};

struct Pair {
  Pair()
      : a{w.network.add_nic("h1", "eth0", mac_a)},
        b{w.network.add_nic("h2", "eth0", mac_b)},
        link{w.network.connect(a, b)},
        in_a{w.loop, a},
        in_b{w.loop, b} {}
  World w;
  SimNic& a;
  SimNic& b;
  Link& link;
  Inbox in_a, in_b;
};

// The TCP checksum over the pseudo-header verifies (sums to 0).
bool tcp_checksum_ok(Bytes ip_packet) {
  const Bytes tcp = ip_packet.subspan(20);
  wire::ChecksumAccumulator sum;
  wire::add_pseudo_header(sum, Ipv4Address{load_be32(ip_packet, 12)}, Ipv4Address{load_be32(ip_packet, 16)}, 6,
                          static_cast<std::uint16_t>(tcp.size()));
  sum.add(tcp);
  return sum.checksum() == 0;
}
}  // namespace

TEST_CASE("sim: RejectWithIcmp swallows the datagram and answers with an ICMP error quoting it", "[sim][rule][icmp]") {
  Pair p;
  p.link.add_rule(Direction::AtoB,
                  FrameRule{FrameMatch{.ip_destination = FrameMatch::host(ip_b), .ip_protocol = 17},
                            RejectWithIcmp{3, 1, router}, std::nullopt});
  const Frame datagram = ipv4_frame(mac_b, mac_a, ip_a, ip_b, 17, udp_datagram(ip_a, ip_b, 40000, 53, 100));
  p.a.transmit(bytes_of(datagram));
  p.w.loop.run_until_idle();

  CHECK(p.in_b.arrivals.empty());
  REQUIRE(p.in_a.arrivals.size() == 1);
  // Rules sit at the sending end of a direction: the answer crosses the cable once.
  CHECK(p.in_a.arrivals[0].time == Instant{} + 10us);
  const Bytes reply = bytes_of(p.in_a.arrivals[0].frame);

  const auto eth = wire::EthernetRepr::parse(reply);
  REQUIRE(eth.ok());
  CHECK(eth->source == mac_b);
  CHECK(eth->destination == mac_a);
  CHECK(eth->ethertype == wire::ethertype::ipv4);

  const Bytes packet = reply.subspan(eth->header_length());
  const auto ip = wire::Ipv4Repr::parse(packet);
  REQUIRE(ip.ok());
  CHECK(ip->source == router);
  CHECK(ip->destination == ip_a);
  CHECK(ip->protocol == wire::ip_protocol::icmp);
  CHECK(ip->ttl == 64);

  const auto icmp = wire::IcmpRepr::parse(packet.subspan(20, ip->payload_length));
  REQUIRE(icmp.ok());
  CHECK(icmp->type == 3);
  CHECK(icmp->code == 1);
  const auto quoted = icmp->quoted();
  REQUIRE(quoted.ok());
  const auto original = wire::Ipv4Repr::parse(bytes_of(datagram).subspan(14));
  REQUIRE(original.ok());
  CHECK(quoted->header == *original);
  REQUIRE(quoted->transport.size() >= 8);
  CHECK(load_be16(quoted->transport, 2) == 53);

  CHECK(p.link.counters(Direction::AtoB).dropped_by_rule == 1);
  CHECK(p.link.counters(Direction::AtoB).replies_sent == 1);
  CHECK(p.link.counters(Direction::BtoA).delivered == 1);
  REQUIRE(p.w.log.records.size() == 1);
  CHECK(p.w.log.records[0].text.starts_with("rule: rejected with ICMP"));
  CHECK(p.w.log.records[0].frame_length == datagram.size());
}

TEST_CASE("sim: no ICMP error is sent about an ICMP error or a broadcast (RFC 1812 4.3.2.7)", "[sim][rule][icmp]") {
  Pair p;
  p.link.add_rule(Direction::AtoB, FrameRule{FrameMatch{.ethertype = 0x0800}, RejectWithIcmp{3, 13, router}, std::nullopt});
  Frame error(36, std::byte{0});
  error[0] = std::byte{3};  // an ICMP destination unreachable
  p.a.transmit(bytes_of(ipv4_frame(mac_b, mac_a, ip_a, ip_b, 1, error)));
  p.a.transmit(bytes_of(ipv4_frame(MacAddress::broadcast(), mac_a, ip_a, Ipv4Address::broadcast(), 17,
                                   udp_datagram(ip_a, Ipv4Address::broadcast(), 68, 67))));
  p.w.loop.run_until_idle();
  CHECK(p.in_a.arrivals.empty());
  CHECK(p.in_b.arrivals.empty());
  CHECK(p.link.counters(Direction::AtoB).dropped_by_rule == 2);
}

TEST_CASE("sim: RejectWithTcpReset answers a SYN with RST|ACK, seq 0, ack = its seq + 1 (RFC 9293 3.10.7.1)",
          "[sim][rule][tcp]") {
  Pair p;
  p.link.add_rule(Direction::AtoB, FrameRule{FrameMatch{.destination_port = Port{80}}, RejectWithTcpReset{}, std::nullopt});
  p.a.transmit(bytes_of(ipv4_frame(mac_b, mac_a, ip_a, ip_b, 6, tcp_segment(ip_a, ip_b, 40000, 80, 5000, 0, tcp_flag::syn))));
  p.w.loop.run_until_idle();

  REQUIRE(p.in_a.arrivals.size() == 1);
  const Bytes reply = bytes_of(p.in_a.arrivals[0].frame);
  REQUIRE(reply.size() == 14 + 20 + 20);
  const Bytes ip = reply.subspan(14);
  CHECK(wire::internet_checksum(ip.first(20)) == 0);
  CHECK(Ipv4Address{load_be32(ip, 12)} == ip_b);
  CHECK(Ipv4Address{load_be32(ip, 16)} == ip_a);
  const Bytes tcp = ip.subspan(20);
  CHECK(load_be16(tcp, 0) == 80);
  CHECK(load_be16(tcp, 2) == 40000);
  CHECK(load_be32(tcp, 4) == 0);
  CHECK(load_be32(tcp, 8) == 5001);
  CHECK(load_u8(tcp, 13) == (tcp_flag::rst | tcp_flag::ack));
  CHECK(tcp_checksum_ok(ip));
  CHECK(p.w.log.count("dropped", "rule: rejected with TCP RST") == 1);
}

TEST_CASE("sim: RejectWithTcpReset answers an ACK-bearing segment with RST, seq = its ack", "[sim][rule][tcp]") {
  Pair p;
  p.link.add_rule(Direction::AtoB, FrameRule{FrameMatch{.destination_port = Port{80}}, RejectWithTcpReset{}, std::nullopt});
  p.a.transmit(bytes_of(ipv4_frame(mac_b, mac_a, ip_a, ip_b, 6,
                                   tcp_segment(ip_a, ip_b, 40000, 80, 5000, 777, tcp_flag::ack | tcp_flag::psh, 10))));
  // A RST is never answered.
  p.a.transmit(bytes_of(ipv4_frame(mac_b, mac_a, ip_a, ip_b, 6, tcp_segment(ip_a, ip_b, 40000, 80, 1, 0, tcp_flag::rst))));
  p.w.loop.run_until_idle();

  REQUIRE(p.in_a.arrivals.size() == 1);
  const Bytes tcp = bytes_of(p.in_a.arrivals[0].frame).subspan(34);
  CHECK(load_be32(tcp, 4) == 777);
  CHECK(load_be32(tcp, 8) == 0);
  CHECK(load_u8(tcp, 13) == tcp_flag::rst);
  CHECK(tcp_checksum_ok(bytes_of(p.in_a.arrivals[0].frame).subspan(14)));
  CHECK(p.in_b.arrivals.empty());
}

TEST_CASE("sim: a switch-port ingress reject answers out of the same port", "[sim][switch][rule][tcp]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  Switch& sw = w.network.add_switch("sw0", 2);
  w.network.connect(a, sw.port(0));
  w.network.connect(b, sw.port(1));
  w.network.add_rule(sw, 0, FrameRule{FrameMatch{.tcp_flags_set = tcp_flag::syn}, RejectWithTcpReset{}, 1});
  Inbox in_a{w.loop, a}, in_b{w.loop, b};
  const Frame syn = ipv4_frame(mac_b, mac_a, ip_a, ip_b, 6, tcp_segment(ip_a, ip_b, 40000, 22, 9, 0, tcp_flag::syn));
  a.transmit(bytes_of(syn));
  w.loop.run_until_idle();
  a.transmit(bytes_of(syn));  // the rule is used up: this one passes
  w.loop.run_until_idle();

  REQUIRE(in_a.arrivals.size() == 1);
  CHECK(load_u8(bytes_of(in_a.arrivals[0].frame), 34 + 13) == (tcp_flag::rst | tcp_flag::ack));
  CHECK(in_b.arrivals.size() == 1);
  CHECK(w.log.count("dropped", "rule: rejected with TCP RST (1 of 1)") == 1);
  CHECK(w.log.records[0].host == "sw0");
  CHECK(w.log.records[0].interface == "p0");
}
