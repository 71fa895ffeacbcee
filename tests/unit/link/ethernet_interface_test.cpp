#include <catch2/catch.hpp>

#include "link_fixture.hpp"
#include "wire/ethernet.hpp"

using namespace netstep;
using namespace netstep::testing;

namespace {

std::vector<std::byte> frame_to(MacAddress destination, std::uint16_t ethertype, std::size_t payload = 46) {
  std::vector<std::byte> frame(14 + payload);
  wire::EthernetRepr{destination, MacAddress::local(9), ethertype, std::nullopt}.emit(MutableBytes{frame});
  return frame;
}

std::string_view last_drop(const Recorder& r) {
  const auto drops = r.all<Dropped>();
  return drops.empty() ? std::string_view{} : drops.back()->as<Dropped>()->reason;
}

}  // namespace

TEST_CASE("frames for another MAC are dropped with a reason", "[link][ethernet]") {
  LinkFixture f;
  const auto frame = frame_to(MacAddress::local(42), wire::ethertype::ipv4);
  f.a.receive_frame(Bytes{frame});
  CHECK(last_drop(f.recorder) == "not addressed to this interface");
  CHECK(f.a.counters().frames_dropped == 1);
  CHECK(f.upper_a.received.empty());
}

TEST_CASE("a frame shorter than an Ethernet header is dropped as truncated", "[link][ethernet]") {
  LinkFixture f;
  const std::vector<std::byte> runt(13);
  f.a.receive_frame(Bytes{runt});
  CHECK(last_drop(f.recorder) == "truncated");
}

TEST_CASE("unknown EtherTypes and VLAN tags on an untagged interface are dropped", "[link][ethernet]") {
  LinkFixture f;
  f.a.receive_frame(Bytes{frame_to(mac_a, wire::ethertype::ipv6)});
  CHECK(last_drop(f.recorder) == "unsupported EtherType");

  std::vector<std::byte> tagged(64);
  wire::EthernetRepr{mac_a, mac_b, wire::ethertype::ipv4, wire::VlanTag{0, false, 10}}.emit(MutableBytes{tagged});
  f.a.receive_frame(Bytes{tagged});
  CHECK(last_drop(f.recorder) == "VLAN-tagged frame on an untagged interface");
}

TEST_CASE("broadcast IPv4 frames reach the IPv4 layer", "[link][ethernet]") {
  LinkFixture f;
  f.a.receive_frame(Bytes{frame_to(MacAddress::broadcast(), wire::ethertype::ipv4)});
  CHECK(f.upper_a.received.size() == 1);
}

TEST_CASE("short frames are padded to the 60-byte Ethernet minimum", "[link][ethernet]") {
  LinkFixture f;
  f.send_from_a(ip_b);  // triggers a 42-byte ARP request
  REQUIRE(!f.cable.a.transmitted.empty());
  CHECK(f.cable.a.transmitted.front().size() == 60);
}

TEST_CASE("a packet to the subnet broadcast goes to ff:ff:ff:ff:ff:ff without ARP", "[link][ethernet]") {
  LinkFixture f;
  f.send_from_a(Ipv4Address{10, 0, 0, 255});
  REQUIRE(f.cable.a.transmitted.size() == 1);
  const auto eth = wire::EthernetRepr::parse(Bytes{f.cable.a.transmitted.front()});
  CHECK(eth->destination == MacAddress::broadcast());
  CHECK(eth->ethertype == wire::ethertype::ipv4);
}
