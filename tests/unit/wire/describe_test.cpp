#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "wire/describe.hpp"
#include "wire_test_util.hpp"

using namespace netstep;
using namespace netstep::wire;
using namespace netstep::wire_test;

TEST_CASE("ARP frames read like tcpdump", "[wire][describe][golden]") {
  CHECK(describe_frame(frame(golden::arp_0)) == "ARP who-has 10.0.0.2 tell 10.0.0.1");
  CHECK(describe_frame(frame(golden::arp_1)) == "ARP 10.0.0.2 is-at 02:00:00:00:00:02");
}

TEST_CASE("ICMP echo and errors", "[wire][describe][golden]") {
  CHECK(describe_frame(frame(golden::ping_0)) == "IPv4 10.0.0.1 > 10.0.0.2: ICMP echo request id 8661 seq 1, 64 bytes");
  CHECK(describe_frame(frame(golden::ping_1)) == "IPv4 10.0.0.2 > 10.0.0.1: ICMP echo reply id 8661 seq 1, 64 bytes");
  CHECK(describe_frame(frame(golden::unreach_1)) ==
        "IPv4 10.0.0.2 > 10.0.0.1: ICMP destination port unreachable for udp 10.0.0.2:9, 55 bytes");
}

TEST_CASE("fragments show id and offset, + when more follow", "[wire][describe][golden][fragment]") {
  CHECK(describe_frame(frame(golden::frag_0)) == "IPv4 10.0.0.1 > 10.0.0.2: ICMP frag id 37822 offset 0+, 1480 bytes");
  CHECK(describe_frame(frame(golden::frag_1)) == "IPv4 10.0.0.1 > 10.0.0.2: ICMP frag id 37822 offset 1480+, 1480 bytes");
  CHECK(describe_frame(frame(golden::frag_2)) == "IPv4 10.0.0.1 > 10.0.0.2: ICMP frag id 37822 offset 2960, 48 bytes");
}

TEST_CASE("UDP and TCP show ports, flags, numbers and options", "[wire][describe][golden]") {
  CHECK(describe_frame(frame(golden::udp_0)) == "IPv4 10.0.0.1 > 10.0.0.2: UDP 5000 > 7, 19 bytes");
  CHECK(describe_frame(frame(golden::tcp_0)) ==
        "IPv4 10.0.0.1 > 10.0.0.2: TCP 49152 > 80 [SYN] seq 3334061785 win 64240 "
        "<mss 1460,sackOK,TS val 1309079493 ecr 0,wscale 10>");
  CHECK(describe_frame(frame(golden::tcp_3)) ==
        "IPv4 10.0.0.1 > 10.0.0.2: TCP 49152 > 80 [PSH,ACK] seq 3334061786 ack 3039508218 win 63 "
        "<TS val 1309079493 ecr 2812501322>, 6 bytes");
  CHECK(describe_frame(frame(golden::rst_1)) ==
        "IPv4 10.0.0.2 > 10.0.0.1: TCP 81 > 49152 [RST,ACK] seq 0 ack 329191137 win 0");
}

TEST_CASE("VLAN tags and IPv4 options are shown", "[wire][describe][golden]") {
  CHECK(describe_frame(frame(golden::vlan_0)) ==
        "vlan 10: IPv4 10.0.0.1 > 10.0.0.2: ICMP echo request id 8661 seq 1, 64 bytes");
  CHECK(describe_frame(frame(golden::rr_0)) ==
        "IPv4 10.0.0.1 > 10.0.0.2 [options NOP,RR]: ICMP echo request id 9047 seq 1, 64 bytes");
}

TEST_CASE("unparseable frames say which layer refused them and why", "[wire][describe]") {
  CHECK(describe_frame(Bytes{}) == "Ethernet (dropped: truncated)");
  auto bad_ip = copy_of(frame(golden::ping_0));
  bad_ip[14 + 8] = std::byte{1};  // TTL changed, header checksum not
  CHECK(describe_frame(bad_ip) == "IPv4 (dropped: checksum mismatch)");
  auto bad_udp = copy_of(frame(golden::udp_0));
  bad_udp.back() ^= std::byte{0xff};
  CHECK(describe_frame(bad_udp) == "IPv4 10.0.0.1 > 10.0.0.2: UDP (dropped: checksum mismatch)");
  auto bad_tcp = copy_of(frame(golden::tcp_0));
  bad_tcp[14 + 20 + 12] = std::byte{0xf0};  // data offset 15 in a 40-byte segment
  CHECK(describe_frame(bad_tcp) == "IPv4 10.0.0.1 > 10.0.0.2: TCP (dropped: impossible header length)");
  CHECK(describe_frame(frame(golden::arp_0).first(30)) == "ARP (dropped: truncated)");
  CHECK(describe_frame(frame(golden::ping_0).first(40)) == "IPv4 (dropped: impossible total length)");
  auto bad_icmp = copy_of(frame(golden::ping_0));
  bad_icmp.back() ^= std::byte{1};
  CHECK(describe_frame(bad_icmp) == "IPv4 10.0.0.1 > 10.0.0.2: ICMP (dropped: checksum mismatch)");
}

TEST_CASE("other ethertypes are named, not parsed", "[wire][describe]") {
  auto ipv6 = copy_of(frame(golden::ping_0));
  ipv6[12] = std::byte{0x86}, ipv6[13] = std::byte{0xdd};
  CHECK(describe_frame(ipv6) == "IPv6 (not supported), 84 bytes");
  auto lldp = copy_of(frame(golden::arp_0));
  lldp[12] = std::byte{0x88}, lldp[13] = std::byte{0xcc};
  CHECK(describe_frame(lldp) == "ethertype 0x88cc, 28 bytes");
}
