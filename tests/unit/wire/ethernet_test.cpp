#include <catch2/catch.hpp>

#include <array>

#include "wire/ethernet.hpp"
#include "wire_test_util.hpp"

using namespace netstep;
using namespace netstep::wire;
using namespace netstep::wire_test;

TEST_CASE("golden ARP request: broadcast destination, ARP ethertype, header round-trips", "[wire][ethernet][golden]") {
  const Bytes f = frame(golden::arp_0);
  auto eth = EthernetRepr::parse(f);
  REQUIRE(eth.ok());
  CHECK(eth->destination == MacAddress::broadcast());
  CHECK(eth->source == *MacAddress::parse("02:00:00:00:00:01"));
  CHECK(eth->ethertype == ethertype::arp);
  CHECK_FALSE(eth->vlan);
  CHECK(eth->header_length() == 14);
  std::array<std::byte, 14> out{};
  eth->emit(out);
  CHECK(same_bytes(out, f.first(14)));
}

TEST_CASE("golden VLAN frame: tag 10 priority 0, inner IPv4, header round-trips", "[wire][ethernet][golden][vlan]") {
  const Bytes f = frame(golden::vlan_0);
  auto view = EthernetView::check(f);
  REQUIRE(view.ok());
  CHECK(view->has_vlan());
  CHECK(view->header_length() == 18);
  CHECK(view->vlan_tci() == 10);
  auto eth = EthernetRepr::from_view(*view);
  REQUIRE(eth.vlan);
  CHECK(eth.vlan->id == 10);
  CHECK(eth.vlan->priority == 0);
  CHECK_FALSE(eth.vlan->drop_eligible);
  CHECK(eth.ethertype == ethertype::ipv4);
  std::array<std::byte, 18> out{};
  eth.emit(out);
  CHECK(same_bytes(out, f.first(18)));
  // The tagged frame carries exactly the untagged ping's IPv4 packet.
  CHECK(same_bytes(view->payload(), link_payload(frame(golden::ping_0))));
  CHECK(to_string(eth) == "02:00:00:00:00:01 > 02:00:00:00:00:02 vlan 10 type 0x0800");
}

TEST_CASE("VLAN tag fields survive emit and parse", "[wire][ethernet][vlan]") {
  EthernetRepr repr{MacAddress::local(2), MacAddress::local(1), ethertype::arp, VlanTag{5, true, 4094}};
  std::array<std::byte, 18> out{};
  repr.emit(out);
  auto back = EthernetRepr::parse(out);
  REQUIRE(back.ok());
  CHECK(*back == repr);
}

TEST_CASE("every truncation of an Ethernet header is Truncated", "[wire][ethernet][truncation]") {
  const Bytes untagged = frame(golden::arp_0);
  for (std::size_t n = 0; n < 14; ++n) {
    auto r = EthernetRepr::parse(untagged.first(n));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == WireError::Truncated);
  }
  const Bytes tagged = frame(golden::vlan_0);
  for (std::size_t n = 0; n < 18; ++n) {
    auto r = EthernetRepr::parse(tagged.first(n));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == WireError::Truncated);
  }
}
