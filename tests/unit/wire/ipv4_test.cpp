#include <catch2/catch.hpp>

#include <array>
#include <vector>

#include "wire/checksum.hpp"
#include "wire/ipv4.hpp"
#include "wire_test_util.hpp"

using namespace netstep;
using namespace netstep::wire;
using namespace netstep::wire_test;

namespace {
const Ipv4Address ip1{10, 0, 0, 1};
const Ipv4Address ip2{10, 0, 0, 2};

// A copy of a packet with one byte changed and, unless told not to, the
// header checksum fixed up so only the poked field is wrong.
std::vector<std::byte> poked(Bytes packet, std::size_t at, std::uint8_t value, bool fix_checksum = true) {
  auto copy = copy_of(packet);
  copy[at] = std::byte{value};
  const std::size_t ihl = std::min<std::size_t>(std::size_t{static_cast<std::uint8_t>(copy[0]) & 0x0fu} * 4, copy.size());
  if (fix_checksum && ihl >= 20) {
    store_be16(copy, 10, 0);
    store_be16(copy, 10, internet_checksum(Bytes{copy}.first(ihl)));
  }
  return copy;
}

WireError parse_error(Bytes packet) {
  auto r = Ipv4Repr::parse(packet);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

// parse -> emit gives the captured header back, byte for byte.
void check_emits_identical(Bytes packet) {
  auto ip = Ipv4Repr::parse(packet);
  REQUIRE(ip.ok());
  std::array<std::byte, Ipv4Repr::header_length> out{};
  ip->emit(out);
  CHECK(same_bytes(out, packet.first(Ipv4Repr::header_length)));
}
}  // namespace

TEST_CASE("golden echo request: tos 0 ttl 64 id 37714 DF icmp length 84", "[wire][ipv4][golden]") {
  const Bytes packet = link_payload(frame(golden::ping_0));
  auto ip = Ipv4Repr::parse(packet);
  REQUIRE(ip.ok());
  CHECK(ip->source == ip1);
  CHECK(ip->destination == ip2);
  CHECK(ip->protocol == ip_protocol::icmp);
  CHECK(ip->ttl == 64);
  CHECK(ip->dscp == 0);
  CHECK(ip->ecn == 0);
  CHECK(ip->identification == 37714);
  CHECK(ip->dont_fragment);
  CHECK_FALSE(ip->is_fragment());
  CHECK(ip->payload_length == 64);
  CHECK(ip->total_length() == 84);
  CHECK(ip->options.count == 0);
  CHECK(to_string(*ip) == "10.0.0.1 > 10.0.0.2 icmp ttl 64 id 37714 len 84 [DF]");
  check_emits_identical(packet);
  check_emits_identical(link_payload(frame(golden::ping_1)));
}

TEST_CASE("golden port unreachable: tos 0xc0 is DSCP 48 (CS6), no flags", "[wire][ipv4][golden]") {
  const Bytes packet = link_payload(frame(golden::unreach_1));
  auto ip = Ipv4Repr::parse(packet);
  REQUIRE(ip.ok());
  CHECK(ip->dscp == 48);
  CHECK(ip->ecn == 0);
  CHECK(ip->identification == 64919);
  CHECK_FALSE(ip->dont_fragment);
  CHECK(ip->total_length() == 75);
  check_emits_identical(packet);
}

TEST_CASE("golden ping -s 3000: three fragments each way with offsets 0, 1480, 2960", "[wire][ipv4][golden][fragment]") {
  struct Expect {
    std::span<const std::uint8_t> bytes;
    std::uint16_t id, offset, payload;
    bool more;
  };
  const Expect expected[] = {
      {golden::frag_0, 37822, 0, 1480, true},     {golden::frag_1, 37822, 1480, 1480, true},
      {golden::frag_2, 37822, 2960, 48, false},   {golden::frag_3, 64854, 0, 1480, true},
      {golden::frag_4, 64854, 1480, 1480, true},  {golden::frag_5, 64854, 2960, 48, false},
  };
  for (const auto& e : expected) {
    const Bytes packet = link_payload(frame(e.bytes));
    auto ip = Ipv4Repr::parse(packet);
    REQUIRE(ip.ok());
    CHECK(ip->identification == e.id);
    CHECK(ip->fragment_offset == e.offset);
    CHECK(ip->payload_length == e.payload);
    CHECK(ip->more_fragments == e.more);
    CHECK_FALSE(ip->dont_fragment);
    CHECK(ip->is_fragment());
    check_emits_identical(packet);
  }
  auto second = Ipv4Repr::parse(link_payload(frame(golden::frag_1)));
  CHECK(to_string(*second) == "10.0.0.1 > 10.0.0.2 icmp ttl 64 id 37822 len 1500 frag offset 1480+");
}

TEST_CASE("golden ping -R: record-route option reported and skipped", "[wire][ipv4][golden][options]") {
  // tcpdump: length 124, options (NOP,RR 10.0.0.1, 0.0.0.0 ...)
  const Bytes request = link_payload(frame(golden::rr_0));
  auto ip = Ipv4Repr::parse(request);
  REQUIRE(ip.ok());
  CHECK(ip->parsed_header_length == 60);
  CHECK(ip->payload_length == 64);
  REQUIRE(ip->options.count == 2);
  CHECK(ip->options.types[0] == 1);  // NOP
  CHECK(ip->options.types[1] == 7);  // RR
  CHECK(to_string(*ip) == "10.0.0.1 > 10.0.0.2 icmp ttl 64 id 38127 len 124 [DF] options NOP,RR");
  auto view = Ipv4View::check(request);
  REQUIRE(view.ok());
  CHECK(view->options().size() == 40);
  CHECK(view->payload().size() == 64);
  CHECK(static_cast<std::uint8_t>(view->payload()[0]) == 8);  // the ICMP echo request follows the options

  // The reply: (RR 10.0.0.1, 10.0.0.2, 10.0.0.2, ...,EOL)
  auto reply = Ipv4Repr::parse(link_payload(frame(golden::rr_1)));
  REQUIRE(reply.ok());
  REQUIRE(reply->options.count == 2);
  CHECK(reply->options.types[0] == 7);
  CHECK(reply->options.types[1] == 0);

  // emit() sends no options: the same header fields at IHL 5, with the payload after them.
  std::array<std::byte, 20> out{};
  ip->emit(out);
  auto back = Ipv4Repr::parse_quoted(out);
  REQUIRE(back.ok());
  CHECK(back->identification == ip->identification);
  CHECK(back->payload_length == ip->payload_length);
  CHECK(back->parsed_header_length == 20);
  CHECK(back->options.count == 0);
}

TEST_CASE("bytes past the total length (Ethernet padding) are ignored", "[wire][ipv4]") {
  auto padded = copy_of(link_payload(frame(golden::unreach_1)));
  padded.resize(padded.size() + 10, std::byte{0xee});
  auto view = Ipv4View::check(padded);
  REQUIRE(view.ok());
  CHECK(view->payload().size() == 55);
  CHECK(Ipv4Repr::parse(padded).ok());
}

TEST_CASE("every truncation of a golden IPv4 packet is refused", "[wire][ipv4][truncation]") {
  for (auto golden_frame : {frame(golden::ping_0), frame(golden::rr_0), frame(golden::frag_2)}) {
    const Bytes packet = link_payload(golden_frame);
    for (std::size_t n = 0; n < packet.size(); ++n) {
      const WireError e = parse_error(packet.first(n));
      INFO("prefix " << n);
      if (n < 20) CHECK(e == WireError::Truncated);
      else CHECK((e == WireError::BadTotalLength || e == WireError::BadHeaderLength));
    }
  }
}

TEST_CASE("a header checksum that does not verify is BadChecksum", "[wire][ipv4]") {
  const Bytes packet = link_payload(frame(golden::ping_0));
  CHECK(parse_error(poked(packet, 8, 63, false)) == WireError::BadChecksum);  // TTL changed, checksum not
  CHECK(parse_error(poked(packet, 11, static_cast<std::uint8_t>(packet[11]) ^ 1, false)) == WireError::BadChecksum);
  const auto stale = poked(packet, 8, 63, false);
  auto view = Ipv4View::check(stale);
  REQUIRE(view.ok());  // the view does not check the checksum; checksum_ok() does
  CHECK_FALSE(view->checksum_ok());
}

TEST_CASE("impossible version and lengths are refused by name", "[wire][ipv4]") {
  const Bytes packet = link_payload(frame(golden::ping_0));
  SECTION("version 6") { CHECK(parse_error(poked(packet, 0, 0x65)) == WireError::BadVersion); }
  SECTION("IHL below 5") {
    for (std::uint8_t ihl = 0; ihl < 5; ++ihl) CHECK(parse_error(poked(packet, 0, 0x40 | ihl)) == WireError::BadHeaderLength);
  }
  SECTION("IHL 15 on a 20-byte packet") {
    auto header_only = poked(packet.first(20), 3, 20);  // total length 20
    header_only[0] = std::byte{0x4f};
    CHECK(parse_error(header_only) == WireError::BadHeaderLength);
  }
  SECTION("total length beyond the buffer") {
    CHECK(parse_error(poked(packet, 3, 85)) == WireError::BadTotalLength);
    CHECK(parse_error(poked(poked(packet, 2, 0xff), 3, 0xff)) == WireError::BadTotalLength);
  }
  SECTION("total length shorter than the header") {
    CHECK(parse_error(poked(packet, 3, 19)) == WireError::BadTotalLength);
    CHECK(parse_error(poked(poked(packet, 2, 0), 3, 0)) == WireError::BadTotalLength);
  }
}

TEST_CASE("an option whose length byte is impossible is BadOption", "[wire][ipv4][options]") {
  const Bytes packet = link_payload(frame(golden::rr_0));  // options: NOP at 20, RR at 21 with length at 22
  CHECK(parse_error(poked(packet, 22, 0)) == WireError::BadOption);
  CHECK(parse_error(poked(packet, 22, 1)) == WireError::BadOption);
  CHECK(parse_error(poked(packet, 22, 40)) == WireError::BadOption);  // one past the 40 option bytes
  CHECK(Ipv4Repr::parse(poked(packet, 22, 39)).ok());                 // as sent
  CHECK(Ipv4Repr::parse(poked(packet, 21, 0)).ok());                  // EOL: the rest is padding
  auto last = poked(packet, 21, 1);                                    // NOPs up to a type byte with no length
  for (std::size_t i = 22; i < 59; ++i) last[i] = std::byte{1};
  last[59] = std::byte{7};
  store_be16(last, 10, 0);
  store_be16(last, 10, internet_checksum(Bytes{last}.first(60)));
  CHECK(parse_error(last) == WireError::BadOption);
}

TEST_CASE("a fragment reaching past 65535 bytes is BadFragment", "[wire][ipv4][fragment]") {
  // frag_1 carries 1480 bytes; an offset of 8191 * 8 = 65528 puts its end at 67008.
  const Bytes packet = link_payload(frame(golden::frag_1));
  auto far = poked(poked(packet, 6, 0x3f), 7, 0xff);
  CHECK(parse_error(far) == WireError::BadFragment);
  auto edge = poked(poked(link_payload(frame(golden::frag_2)), 6, 0x1f), 7, 0xf9);  // 65480 + 48 fits
  CHECK(Ipv4Repr::parse(edge).ok());
}

TEST_CASE("parse_quoted accepts a header whose payload was cut short", "[wire][ipv4][quoted]") {
  const Bytes packet = link_payload(frame(golden::ping_0));
  const Bytes quote = packet.first(28);  // header + 8 bytes, as an ICMP error quotes it
  CHECK(parse_error(quote) == WireError::BadTotalLength);
  auto ip = Ipv4Repr::parse_quoted(quote);
  REQUIRE(ip.ok());
  CHECK(ip->payload_length == 64);  // what the original claimed
  CHECK(ip->identification == 37714);
  auto view = Ipv4View::check_quoted(quote);
  REQUIRE(view.ok());
  CHECK(view->payload().size() == 8);
  // No checksum check: a router may have changed the TTL (and we do not care).
  CHECK(Ipv4Repr::parse_quoted(poked(quote, 8, 1, false)).ok());
  // The header itself must still be whole and sane.
  for (std::size_t n = 0; n < 20; ++n) CHECK(Ipv4Repr::parse_quoted(packet.first(n)).error() == WireError::Truncated);
  CHECK(Ipv4Repr::parse_quoted(poked(quote, 0, 0x44)).error() == WireError::BadHeaderLength);
  CHECK(Ipv4Repr::parse_quoted(poked(quote, 0, 0x55)).error() == WireError::BadVersion);
}

TEST_CASE("emit writes a 20-byte header with a correct checksum", "[wire][ipv4]") {
  Ipv4Repr repr;
  repr.source = ip1;
  repr.destination = ip2;
  repr.protocol = ip_protocol::udp;
  repr.ttl = 1;
  repr.dscp = 46;
  repr.ecn = 2;
  repr.identification = 0xbeef;
  repr.more_fragments = true;
  repr.fragment_offset = 8 * 1000;
  repr.payload_length = 8;
  std::array<std::byte, 28> out{};
  repr.emit(out);
  auto back = Ipv4Repr::parse(out);
  REQUIRE(back.ok());
  CHECK(*back == repr);
  CHECK(protocol_name(ip_protocol::udp) == "udp");
  CHECK(protocol_name(47) == "47");
}
