#include <catch2/catch.hpp>

#include <array>

#include "wire/arp.hpp"
#include "wire_test_util.hpp"

using namespace netstep;
using namespace netstep::wire;
using namespace netstep::wire_test;

namespace {
const MacAddress mac1 = *MacAddress::parse("02:00:00:00:00:01");
const MacAddress mac2 = *MacAddress::parse("02:00:00:00:00:02");
const Ipv4Address ip1{10, 0, 0, 1};
const Ipv4Address ip2{10, 0, 0, 2};
}  // namespace

TEST_CASE("golden ARP request: who-has 10.0.0.2 tell 10.0.0.1, emits identical bytes", "[wire][arp][golden]") {
  // tcpdump: Request who-has 10.0.0.2 tell 10.0.0.1, length 28
  const Bytes packet = link_payload(frame(golden::arp_0));
  auto arp = ArpRepr::parse(packet);
  REQUIRE(arp.ok());
  CHECK(arp->operation == ArpOperation::Request);
  CHECK(arp->sender_mac == mac1);
  CHECK(arp->sender_ip == ip1);
  CHECK(arp->target_mac == MacAddress::zero());
  CHECK(arp->target_ip == ip2);
  CHECK_FALSE(arp->is_gratuitous());
  CHECK(to_string(*arp) == "who-has 10.0.0.2 tell 10.0.0.1");
  std::array<std::byte, ArpRepr::length()> out{};
  arp->emit(out);
  CHECK(same_bytes(out, packet));
}

TEST_CASE("golden ARP reply: 10.0.0.2 is-at 02:00:00:00:00:02, emits identical bytes", "[wire][arp][golden]") {
  const Bytes packet = link_payload(frame(golden::arp_1));
  auto arp = ArpRepr::parse(packet);
  REQUIRE(arp.ok());
  CHECK(arp->operation == ArpOperation::Reply);
  CHECK(*arp == ArpRepr{ArpOperation::Reply, mac2, ip2, mac1, ip1});
  CHECK(to_string(*arp) == "10.0.0.2 is-at 02:00:00:00:00:02");
  std::array<std::byte, ArpRepr::length()> out{};
  arp->emit(out);
  CHECK(same_bytes(out, packet));
}

TEST_CASE("ARP padded to the Ethernet minimum parses, the padding is ignored", "[wire][arp]") {
  auto padded = copy_of(link_payload(frame(golden::arp_0)));
  padded.resize(46, std::byte{0});
  auto arp = ArpRepr::parse(padded);
  REQUIRE(arp.ok());
  CHECK(arp->target_ip == ip2);
}

TEST_CASE("every truncation of an ARP packet is Truncated", "[wire][arp][truncation]") {
  const Bytes packet = link_payload(frame(golden::arp_1));
  for (std::size_t n = 0; n < packet.size(); ++n) {
    auto r = ArpRepr::parse(packet.first(n));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == WireError::Truncated);
  }
}

TEST_CASE("ARP for other hardware, protocols or operations is refused by name", "[wire][arp]") {
  const Bytes packet = link_payload(frame(golden::arp_0));
  auto poke = [&](std::size_t at, std::uint8_t value) {
    auto bad = copy_of(packet);
    bad[at] = std::byte{value};
    auto r = ArpRepr::parse(bad);
    REQUIRE_FALSE(r.ok());
    return r.error();
  };
  CHECK(poke(1, 6) == WireError::BadHardwareType);     // IEEE 802 hardware type
  CHECK(poke(4, 8) == WireError::BadHardwareType);     // 8-octet hardware addresses
  CHECK(poke(2, 0x86) == WireError::BadProtocolType);  // protocol 0x86dd
  CHECK(poke(5, 16) == WireError::BadProtocolType);    // 16-octet protocol addresses
  CHECK(poke(7, 3) == WireError::BadOperation);        // RARP request
  CHECK(poke(7, 0) == WireError::BadOperation);
}

TEST_CASE("a gratuitous ARP announces the sender's own address", "[wire][arp]") {
  const ArpRepr announce{ArpOperation::Request, mac1, ip1, MacAddress::zero(), ip1};
  CHECK(announce.is_gratuitous());
  CHECK(to_string(announce) == "announce 10.0.0.1 is-at 02:00:00:00:00:01");
  std::array<std::byte, ArpRepr::length()> out{};
  announce.emit(out);
  CHECK(*ArpRepr::parse(out) == announce);
}
