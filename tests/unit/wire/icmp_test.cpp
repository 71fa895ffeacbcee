#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "wire/icmp.hpp"
#include "wire/ipv4.hpp"
#include "wire_test_util.hpp"

using namespace netstep;
using namespace netstep::wire;
using namespace netstep::wire_test;

TEST_CASE("golden echo request and reply: id 8661 seq 1, 56 data bytes, emit identical", "[wire][icmp][golden]") {
  // tcpdump: ICMP echo request, id 8661, seq 1, length 64
  for (auto [golden_frame, type] : {std::pair{frame(golden::ping_0), icmp_type::echo_request},
                                    std::pair{frame(golden::ping_1), icmp_type::echo_reply}}) {
    const Bytes message = ip_payload(golden_frame);
    auto icmp = IcmpRepr::parse(message);
    REQUIRE(icmp.ok());
    CHECK(icmp->type == type);
    CHECK(icmp->code == 0);
    CHECK(icmp->identifier() == 8661);
    CHECK(icmp->sequence() == 1);
    CHECK(icmp->data.size() == 56);
    CHECK(icmp->length() == 64);
    CHECK_FALSE(icmp->is_error());
    std::vector<std::byte> out(icmp->length());
    icmp->emit(out);
    CHECK(same_bytes(out, message));
  }
  auto request = IcmpRepr::parse(ip_payload(frame(golden::ping_0)));
  CHECK(to_string(*request) == "echo request id 8661 seq 1 len 56");
  // An echo reply is the request with the type changed (RFC 792).
  auto reply = IcmpRepr::echo_reply(request->identifier(), request->sequence(), request->data);
  std::vector<std::byte> out(reply.length());
  reply.emit(out);
  CHECK(same_bytes(out, ip_payload(frame(golden::ping_1))));
}

TEST_CASE("golden port unreachable quotes the UDP datagram, error() rebuilds it byte for byte", "[wire][icmp][golden]") {
  // tcpdump: ICMP 10.0.0.2 udp port 9 unreachable, length 55
  const Bytes message = ip_payload(frame(golden::unreach_1));
  auto icmp = IcmpRepr::parse(message);
  REQUIRE(icmp.ok());
  CHECK(icmp->type == icmp_type::destination_unreachable);
  CHECK(icmp->code == static_cast<std::uint8_t>(UnreachableCode::Port));
  CHECK(icmp->is_error());
  CHECK(icmp->length() == 55);
  auto quoted = icmp->quoted();
  REQUIRE(quoted.ok());
  CHECK(quoted->header.source == Ipv4Address{10, 0, 0, 1});
  CHECK(quoted->header.destination == Ipv4Address{10, 0, 0, 2});
  CHECK(quoted->header.protocol == ip_protocol::udp);
  CHECK(quoted->header.identification == 56631);
  CHECK(quoted->transport.size() == 27);
  CHECK(load_be16(quoted->transport, 0) == 5000);
  CHECK(load_be16(quoted->transport, 2) == 9);
  CHECK(to_string(*icmp) == "destination port unreachable for udp 10.0.0.2:9");

  const Bytes original = link_payload(frame(golden::unreach_0));
  CHECK(IcmpRepr::quote_length(original) == 47);
  auto rebuilt = IcmpRepr::error(icmp_type::destination_unreachable, 3, original);
  std::vector<std::byte> out(rebuilt.length());
  rebuilt.emit(out);
  CHECK(same_bytes(out, message));
}

TEST_CASE("every destination-unreachable code 0-15 has its own description", "[wire][icmp]") {
  std::set<std::string> seen;
  for (std::uint8_t code = 0; code < 16; ++code) {
    const auto text = describe_icmp(icmp_type::destination_unreachable, code);
    INFO("code " << int{code});
    CHECK_FALSE(text.empty());
    seen.emplace(text);
  }
  CHECK(seen.size() == 16);
  CHECK(describe_icmp(3, 1) == "destination host unreachable");
  CHECK(describe_icmp(3, 3) == "destination port unreachable");
  CHECK(describe_icmp(3, 16).empty());
}

TEST_CASE("time exceeded: in transit and during reassembly", "[wire][icmp]") {
  CHECK(describe_icmp(icmp_type::time_exceeded, 0) == "time to live exceeded in transit");
  CHECK(describe_icmp(icmp_type::time_exceeded, 1) == "fragment reassembly time exceeded");
  CHECK(is_icmp_error(icmp_type::time_exceeded));
  const Bytes original = link_payload(frame(golden::ping_0));
  auto err = IcmpRepr::error(icmp_type::time_exceeded, 0, original);
  std::vector<std::byte> out(err.length());
  err.emit(out);
  auto back = IcmpRepr::parse(out);
  REQUIRE(back.ok());
  CHECK(back->type == icmp_type::time_exceeded);
  auto quoted = back->quoted();
  REQUIRE(quoted.ok());
  CHECK(quoted->header.protocol == ip_protocol::icmp);
  CHECK(to_string(*back) == "time to live exceeded in transit for icmp 10.0.0.2");
}

TEST_CASE("which types are errors, and unknown pairs", "[wire][icmp]") {
  for (int t : {3, 4, 5, 11, 12}) CHECK(is_icmp_error(static_cast<std::uint8_t>(t)));
  for (int t : {0, 8, 13, 14, 42}) CHECK_FALSE(is_icmp_error(static_cast<std::uint8_t>(t)));
  CHECK(describe_icmp(42, 0).empty());
  const IcmpRepr odd{42, 7, 0, {}};
  CHECK(to_string(odd) == "icmp type 42 code 7");
}

TEST_CASE("errors quote at most 548 bytes: the ICMP datagram fits in 576 (RFC 1812 4.3.2.3)", "[wire][icmp][quote]") {
  const Bytes big = link_payload(frame(golden::frag_0));  // a 1500-byte datagram
  CHECK(IcmpRepr::quote_length(big) == 548);
  CHECK(IcmpRepr::max_quote_length == 548);
  auto err = IcmpRepr::error(icmp_type::destination_unreachable, 4, big, 1400);
  CHECK(err.data.size() == 548);
  CHECK(20 + err.length() == 576);
  CHECK(to_string(err) == "fragmentation needed and DF set (mtu 1400) for icmp 10.0.0.2");
  // Small datagrams are quoted whole, but not the Ethernet padding after them.
  auto padded = copy_of(link_payload(frame(golden::unreach_0)));
  padded.resize(60, std::byte{0});
  CHECK(IcmpRepr::quote_length(padded) == 47);
}

TEST_CASE("quoted() names what is wrong with the quote", "[wire][icmp][quote]") {
  const Bytes original = link_payload(frame(golden::unreach_0));
  CHECK(IcmpRepr::echo_request(1, 1, original).quoted().error() == WireError::NotIcmpError);
  CHECK(IcmpRepr::error(3, 3, original.first(27)).quoted().error() == WireError::Truncated);  // 7 transport bytes
  CHECK(IcmpRepr::error(3, 3, original.first(28)).quoted().ok());
  CHECK(IcmpRepr::error(3, 3, original.first(19)).quoted().error() == WireError::Truncated);
  auto bad_version = copy_of(original);
  bad_version[0] = std::byte{0x65};
  CHECK(IcmpRepr::error(3, 3, bad_version).quoted().error() == WireError::BadVersion);
  CHECK(to_string(IcmpRepr::error(3, 3, original.first(10))) == "destination port unreachable (quote truncated)");
}

TEST_CASE("ICMP checksum and length checks", "[wire][icmp]") {
  const Bytes message = ip_payload(frame(golden::ping_0));
  for (std::size_t n = 0; n < 8; ++n) CHECK(IcmpRepr::parse(message.first(n)).error() == WireError::Truncated);
  for (std::size_t n = 8; n < message.size(); ++n) {
    CHECK(IcmpRepr::parse(message.first(n)).error() == WireError::BadChecksum);  // the checksum covers all data
  }
  auto flipped = copy_of(message);
  flipped[30] ^= std::byte{0x10};
  CHECK(IcmpRepr::parse(flipped).error() == WireError::BadChecksum);
  auto view = IcmpView::check(flipped);
  REQUIRE(view.ok());
  CHECK_FALSE(view->checksum_ok());
  CHECK(view->rest_of_header() == (8661u << 16 | 1u));
}
