#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "wire/udp.hpp"
#include "wire_test_util.hpp"

using namespace netstep;
using namespace netstep::wire;
using namespace netstep::wire_test;

namespace {
const Ipv4Address ip1{10, 0, 0, 1};
const Ipv4Address ip2{10, 0, 0, 2};

WireError parse_error(Bytes datagram) {
  auto r = UdpRepr::parse(datagram, ip1, ip2);
  REQUIRE_FALSE(r.ok());
  return r.error();
}
}  // namespace

TEST_CASE("golden UDP datagram: 5000 > 7, 19 bytes, checksum verifies, emit identical", "[wire][udp][golden]") {
  // tcpdump: 10.0.0.1.5000 > 10.0.0.2.7: [udp sum ok] UDP, length 19
  const Bytes datagram = ip_payload(frame(golden::udp_0));
  auto udp = UdpRepr::parse(datagram, ip1, ip2);
  REQUIRE(udp.ok());
  CHECK(udp->source_port == Port{5000});
  CHECK(udp->destination_port == Port{7});
  CHECK(udp->length() == 27);
  CHECK(same_bytes(udp->payload, text_bytes("netstep golden udp\n")));
  CHECK(to_string(*udp) == "5000 > 7 len 19");
  std::vector<std::byte> out(udp->length());
  udp->emit(out, ip1, ip2);
  CHECK(same_bytes(out, datagram));
}

TEST_CASE("the pseudo-header is covered: other addresses fail the checksum", "[wire][udp]") {
  const Bytes datagram = ip_payload(frame(golden::udp_0));
  CHECK(UdpRepr::parse(datagram, ip1, Ipv4Address{10, 0, 0, 3}).error() == WireError::BadChecksum);
  CHECK(UdpRepr::parse(datagram, ip2, ip1).ok());  // the sum does not care about order
  auto flipped = copy_of(datagram);
  flipped[20] ^= std::byte{1};
  CHECK(parse_error(flipped) == WireError::BadChecksum);
}

TEST_CASE("checksum 0 means none was sent and is accepted (RFC 768)", "[wire][udp]") {
  auto none = copy_of(ip_payload(frame(golden::udp_0)));
  none[6] = none[7] = std::byte{0};
  none[20] ^= std::byte{1};  // not even checked
  CHECK(UdpRepr::parse(none, ip1, ip2).ok());
  auto view = UdpView::check(none);
  REQUIRE(view.ok());
  CHECK(view->checksum() == 0);
  CHECK(view->checksum_ok(ip1, ip2));
}

TEST_CASE("a computed checksum of 0 is sent as ffff, and verifies", "[wire][udp]") {
  // Find a payload whose checksum computes to 0: vary two bytes until it does.
  std::vector<std::byte> payload(2);
  std::vector<std::byte> out(10);
  bool found = false;
  for (unsigned v = 0; v <= 0xffff && !found; ++v) {
    payload[0] = std::byte(v >> 8);
    payload[1] = std::byte(v & 0xff);
    const UdpRepr repr{Port{1}, Port{2}, payload};
    repr.emit(out, ip1, ip2);
    const UdpView view = *UdpView::check(out);
    if (view.checksum() == 0xffff) found = true;
    REQUIRE(view.checksum() != 0);
    REQUIRE(view.checksum_ok(ip1, ip2));
  }
  CHECK(found);
  CHECK(UdpRepr::parse(out, ip1, ip2).ok());
}

TEST_CASE("every truncation of a UDP datagram is refused", "[wire][udp][truncation]") {
  const Bytes datagram = ip_payload(frame(golden::udp_0));
  for (std::size_t n = 0; n < datagram.size(); ++n) {
    INFO("prefix " << n);
    CHECK(parse_error(datagram.first(n)) == (n < 8 ? WireError::Truncated : WireError::BadTotalLength));
  }
}

TEST_CASE("impossible UDP lengths: 4 and 65535 are BadTotalLength", "[wire][udp]") {
  auto poke_length = [](std::uint16_t length) {
    auto d = copy_of(ip_payload(frame(golden::udp_0)));
    store_be16(d, 4, length);
    return d;
  };
  CHECK(parse_error(poke_length(4)) == WireError::BadTotalLength);
  CHECK(parse_error(poke_length(0)) == WireError::BadTotalLength);
  CHECK(parse_error(poke_length(65535)) == WireError::BadTotalLength);
  CHECK(parse_error(poke_length(28)) == WireError::BadTotalLength);
  // A shorter length field is legal: the bytes after it are not part of the datagram.
  auto short_length = poke_length(8);
  short_length[6] = short_length[7] = std::byte{0};
  auto udp = UdpRepr::parse(short_length, ip1, ip2);
  REQUIRE(udp.ok());
  CHECK(udp->payload.empty());
}

TEST_CASE("emit then parse round-trips an empty and a large payload", "[wire][udp]") {
  for (std::size_t n : {0u, 1u, 1472u}) {
    std::vector<std::byte> payload(n, std::byte{0x5a});
    const UdpRepr repr{Port{53}, Port{49152}, payload};
    std::vector<std::byte> out(repr.length());
    repr.emit(out, ip2, ip1);
    auto back = UdpRepr::parse(out, ip2, ip1);
    REQUIRE(back.ok());
    CHECK(back->source_port == Port{53});
    CHECK(back->destination_port == Port{49152});
    CHECK(same_bytes(back->payload, payload));
  }
}
