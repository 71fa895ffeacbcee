#include <catch2/catch.hpp>

#include "base/random.hpp"
#include "sim/dissect.hpp"
#include "sim_harness.hpp"
#include "wire/checksum.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

namespace {
Frame syn_to(std::uint16_t port, std::uint32_t isn = 1000) {
  return ipv4_frame(mac_b, mac_a, ip_a, ip_b, 6, tcp_segment(ip_a, ip_b, 40000, port, isn, 0, tcp_flag::syn));
}

FrameMatch syns_to_web_server() {
  return FrameMatch{.ip_destination = FrameMatch::host(ip_b),
                    .ip_protocol = 6,
                    .destination_port = Port{80},
                    .tcp_flags_set = tcp_flag::syn,
                    .tcp_flags_clear = tcp_flag::ack};
}
}  // namespace

TEST_CASE("sim: 'drop the first 2 SYNs to 10.0.0.2:80' drops exactly 2, then lets them pass", "[sim][rule]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  Link& link = w.network.connect(a, b);
  w.network.add_rule(link, Direction::AtoB, FrameRule{syns_to_web_server(), Drop{}, 2});
  Inbox inbox{w.loop, b};

  a.transmit(bytes_of(syn_to(81)));  // another port: passes, uses up nothing
  for (std::uint32_t i = 0; i < 4; ++i) a.transmit(bytes_of(syn_to(80, 1000 + i)));
  a.transmit(bytes_of(ipv4_frame(mac_b, mac_a, ip_a, ip_b, 6,
                                 tcp_segment(ip_a, ip_b, 40000, 80, 1, 1, tcp_flag::syn | tcp_flag::ack))));
  w.loop.run_until_idle();

  CHECK(inbox.arrivals.size() == 4);
  CHECK(link.counters(Direction::AtoB).dropped_by_rule == 2);
  CHECK(link.rules(Direction::AtoB).applied(0) == 2);
  CHECK(w.log.count("dropped", "rule: drop (1 of 2)") == 1);
  CHECK(w.log.count("dropped", "rule: drop (2 of 2)") == 1);
  // The third SYN (isn 1002) is the first to get through.
  CHECK(load_be32(bytes_of(inbox.arrivals[1].frame), 14 + 20 + 4) == 1002);
}

TEST_CASE("sim: a rule without a count applies to every matching frame", "[sim][rule]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  Link& link = w.network.connect(a, b);
  link.add_rule(Direction::AtoB, FrameRule{FrameMatch{.ip_protocol = 17}, Drop{}, std::nullopt});
  Inbox inbox{w.loop, b};
  for (int i = 0; i < 5; ++i) a.transmit(bytes_of(ipv4_frame(mac_b, mac_a, ip_a, ip_b, 17, udp_datagram(ip_a, ip_b, 5000, 53))));
  a.transmit(bytes_of(syn_to(80)));
  w.loop.run_until_idle();
  CHECK(inbox.arrivals.size() == 1);
  CHECK(w.log.count("dropped", "rule: drop") == 5);
}

TEST_CASE("sim: each FrameMatch field narrows the match", "[sim][rule][match]") {
  const Frame syn = syn_to(80);
  const Frame udp = ipv4_frame(mac_b, mac_a, ip_a, ip_b, 17, udp_datagram(ip_a, ip_b, 5353, 53));
  Frame ping = ipv4_frame(mac_b, mac_a, ip_a, ip_b, 1, Frame(16, std::byte{0}));
  ping[34] = std::byte{8};  // echo request

  CHECK(FrameMatch{}.matches(bytes_of(syn)));
  CHECK(FrameMatch{.ethertype = 0x0800}.matches(bytes_of(syn)));
  CHECK_FALSE(FrameMatch{.ethertype = 0x0806}.matches(bytes_of(syn)));
  CHECK(FrameMatch{.ip_source = Ipv4Cidr{Ipv4Address{10, 0, 0, 0}, 24}}.matches(bytes_of(syn)));
  CHECK_FALSE(FrameMatch{.ip_source = Ipv4Cidr{Ipv4Address{10, 0, 1, 0}, 24}}.matches(bytes_of(syn)));
  CHECK_FALSE(FrameMatch{.ip_destination = FrameMatch::host(ip_a)}.matches(bytes_of(syn)));
  CHECK(FrameMatch{.source_port = Port{5353}, .destination_port = Port{53}}.matches(bytes_of(udp)));
  CHECK_FALSE(FrameMatch{.destination_port = Port{54}}.matches(bytes_of(udp)));
  CHECK_FALSE(FrameMatch{.destination_port = Port{53}}.matches(bytes_of(ping)));
  CHECK_FALSE(FrameMatch{.tcp_flags_set = tcp_flag::syn}.matches(bytes_of(udp)));
  CHECK_FALSE(FrameMatch{.tcp_flags_set = tcp_flag::syn, .tcp_flags_clear = tcp_flag::syn}.matches(bytes_of(syn)));
  CHECK(FrameMatch{.icmp_type = 8}.matches(bytes_of(ping)));
  CHECK_FALSE(FrameMatch{.icmp_type = 0}.matches(bytes_of(ping)));
  CHECK_FALSE(FrameMatch{.icmp_type = 8}.matches(bytes_of(syn)));
  CHECK_FALSE(FrameMatch{.ip_protocol = 6}.matches(bytes_of(numbered_frame(mac_b, mac_a, 1))));

  // A VLAN-tagged copy matches the same IP criteria.
  Frame tagged = syn;
  const std::byte tag[4] = {std::byte{0x81}, std::byte{0x00}, std::byte{0x00}, std::byte{0x07}};
  tagged.insert(tagged.begin() + 12, std::begin(tag), std::end(tag));
  CHECK(syns_to_web_server().matches(bytes_of(tagged)));
}

TEST_CASE("sim: a non-first fragment never matches a port, flag or ICMP criterion", "[sim][rule][match]") {
  Frame fragment = syn_to(80);
  store_be16(fragment, 14 + 6, 0x0001);  // offset 8 bytes, DF clear
  store_be16(fragment, 14 + 10, 0);
  store_be16(fragment, 14 + 10, wire::internet_checksum(bytes_of(fragment).subspan(14, 20)));
  CHECK(FrameMatch{.ip_protocol = 6}.matches(bytes_of(fragment)));
  CHECK_FALSE(FrameMatch{.destination_port = Port{80}}.matches(bytes_of(fragment)));
  CHECK_FALSE(FrameMatch{.tcp_flags_set = tcp_flag::syn}.matches(bytes_of(fragment)));
}

TEST_CASE("sim: garbage bytes through rules never crash and never match IP criteria", "[sim][rule][robustness]") {
  Random random{77};
  const FrameMatch criteria[] = {syns_to_web_server(), FrameMatch{.icmp_type = 8},
                                 FrameMatch{.source_port = Port{1}}, FrameMatch{.ip_source = FrameMatch::host(ip_a)}};
  int ip_matches = 0;
  for (int round = 0; round < 20'000; ++round) {
    Frame junk(random.below(120));
    for (auto& byte : junk) byte = static_cast<std::byte>(random.below(256));
    // Half the time make it look like IPv4, so the deeper parsers see junk too.
    if (junk.size() >= 15 && random.chance(0.5)) {
      store_be16(junk, 12, 0x0800);
      junk[14] = std::byte{static_cast<std::uint8_t>(0x40 | random.below(16))};
    }
    for (const FrameMatch& m : criteria) ip_matches += m.matches(bytes_of(junk)) ? 1 : 0;
    std::array<std::byte, max_reply_length> out{};
    (void)build_tcp_reset(bytes_of(junk), out);
    (void)build_icmp_reject(bytes_of(junk), RejectWithIcmp{3, 1, Ipv4Address{10, 0, 0, 254}}, out);
  }
  CHECK(ip_matches < 50);  // junk rarely passes an IPv4 header check; it may, but never crashes

  // And through a link whose rules reject everything that parses.
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  Link& link = w.network.connect(a, b);
  link.add_rule(Direction::AtoB, FrameRule{FrameMatch{.ip_protocol = 6}, RejectWithTcpReset{}, std::nullopt});
  link.add_rule(Direction::AtoB, FrameRule{FrameMatch{.ethertype = 0x0800}, RejectWithIcmp{3, 13, ip_b}, std::nullopt});
  for (int round = 0; round < 2'000; ++round) {
    Frame junk(14 + random.below(100));
    for (auto& byte : junk) byte = static_cast<std::byte>(random.below(256));
    store_be16(junk, 12, 0x0800);
    a.transmit(bytes_of(junk));
  }
  w.loop.run_until_idle();
  CHECK(link.counters(Direction::AtoB).sent == 2'000);
}
