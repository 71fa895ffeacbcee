#include <catch2/catch.hpp>

#include "base/ipv4_address.hpp"

using netstep::Ipv4Address;
using netstep::Ipv4Cidr;

TEST_CASE("Ipv4Address parses a dotted quad into host byte order", "[base][ipv4]") {
  const auto a = Ipv4Address::parse("10.0.0.1");
  REQUIRE(a);
  CHECK(a->to_u32() == 0x0a000001u);
  CHECK(*a == Ipv4Address(10, 0, 0, 1));
  CHECK(a->octet(0) == 10);
  CHECK(a->octet(3) == 1);
}

TEST_CASE("Ipv4Address parses the extremes 0.0.0.0 and 255.255.255.255", "[base][ipv4]") {
  CHECK(Ipv4Address::parse("0.0.0.0") == Ipv4Address::any());
  CHECK(Ipv4Address::parse("255.255.255.255") == Ipv4Address::broadcast());
}

TEST_CASE("Ipv4Address rejects anything that is not exactly a dotted quad", "[base][ipv4]") {
  const char* bad = GENERATE("256.1.1.1", "1.2.3", "1.2.3.4.5", "01234.1.1.1", "", " 1.2.3.4",
                             "1.2.3.4 ", "1..2.3", ".1.2.3", "1.2.3.", "a.b.c.d", "1.2.3.-4",
                             "1.2.3.+4", "1.2.3.4/24", "99999999999999999999.1.1.1");
  INFO("input \"" << bad << "\"");
  CHECK_FALSE(Ipv4Address::parse(bad));
}

TEST_CASE("Ipv4Address to_string round-trips through parse", "[base][ipv4]") {
  const char* text = GENERATE("0.0.0.0", "10.0.0.1", "192.168.100.254", "255.255.255.255", "1.2.3.4");
  const auto a = Ipv4Address::parse(text);
  REQUIRE(a);
  CHECK(a->to_string() == text);
  CHECK(Ipv4Address::parse(a->to_string()) == a);
}

TEST_CASE("Ipv4Address classifies unspecified, broadcast, multicast and loopback", "[base][ipv4]") {
  CHECK(Ipv4Address::any().is_unspecified());
  CHECK(Ipv4Address::broadcast().is_broadcast());
  CHECK(Ipv4Address(224, 0, 0, 1).is_multicast());
  CHECK(Ipv4Address(239, 255, 255, 255).is_multicast());
  CHECK_FALSE(Ipv4Address(240, 0, 0, 1).is_multicast());
  CHECK_FALSE(Ipv4Address(223, 255, 255, 255).is_multicast());
  CHECK(Ipv4Address(127, 0, 0, 1).is_loopback());
  CHECK_FALSE(Ipv4Address(128, 0, 0, 1).is_loopback());
}

TEST_CASE("Ipv4Address orders by numeric value", "[base][ipv4]") {
  CHECK(Ipv4Address(9, 255, 255, 255) < Ipv4Address(10, 0, 0, 0));
  CHECK(Ipv4Address(10, 0, 0, 1) < Ipv4Address(10, 0, 1, 0));
}

TEST_CASE("Ipv4Cidr 10.0.0.1/24 contains 10.0.0.255 but not 10.0.1.0", "[base][ipv4]") {
  const auto c = Ipv4Cidr::parse("10.0.0.1/24");
  REQUIRE(c);
  CHECK(c->contains(Ipv4Address(10, 0, 0, 255)));
  CHECK(c->contains(Ipv4Address(10, 0, 0, 0)));
  CHECK_FALSE(c->contains(Ipv4Address(10, 0, 1, 0)));
  CHECK_FALSE(c->contains(Ipv4Address(9, 255, 255, 255)));
}

TEST_CASE("Ipv4Cidr keeps the host bits in address() and strips them in network()", "[base][ipv4]") {
  const auto c = Ipv4Cidr::parse("192.168.1.77/26");
  REQUIRE(c);
  CHECK(c->address() == Ipv4Address(192, 168, 1, 77));
  CHECK(c->length() == 26);
  CHECK(c->mask() == 0xffffffc0u);
  CHECK(c->network() == Ipv4Address(192, 168, 1, 64));
  CHECK(c->broadcast() == Ipv4Address(192, 168, 1, 127));
}

TEST_CASE("Ipv4Cidr /0 has mask 0 and contains every address", "[base][ipv4]") {
  const auto c = Ipv4Cidr::parse("10.1.2.3/0");
  REQUIRE(c);
  CHECK(c->mask() == 0u);
  CHECK(c->network() == Ipv4Address::any());
  CHECK(c->broadcast() == Ipv4Address::broadcast());
  CHECK(c->contains(Ipv4Address(1, 2, 3, 4)));
  CHECK(c->contains(Ipv4Address::broadcast()));
}

TEST_CASE("Ipv4Cidr /32 has an all-ones mask and contains only its address", "[base][ipv4]") {
  const auto c = Ipv4Cidr::parse("10.0.0.7/32");
  REQUIRE(c);
  CHECK(c->mask() == 0xffffffffu);
  CHECK(c->network() == Ipv4Address(10, 0, 0, 7));
  CHECK(c->broadcast() == Ipv4Address(10, 0, 0, 7));
  CHECK(c->contains(Ipv4Address(10, 0, 0, 7)));
  CHECK_FALSE(c->contains(Ipv4Address(10, 0, 0, 6)));
  CHECK_FALSE(c->contains(Ipv4Address(10, 0, 0, 8)));
}

TEST_CASE("Ipv4Cidr masks for every length have exactly length leading ones", "[base][ipv4]") {
  for (int length = 0; length <= 32; ++length) {
    const Ipv4Cidr c{Ipv4Address(255, 255, 255, 255), length};
    INFO("length " << length);
    const std::uint32_t mask = c.mask();
    int ones = 0;
    for (std::uint32_t m = mask; (m & 0x80000000u) != 0; m <<= 1) ++ones;
    CHECK(ones == length);
    const std::uint32_t host_bits = ~mask;
    CHECK((host_bits & (host_bits + 1)) == 0u);  // the ones are contiguous from the top
  }
}

TEST_CASE("Ipv4Cidr rejects missing or impossible prefixes", "[base][ipv4]") {
  const char* bad = GENERATE("/33", "10.0.0.1", "10.0.0.1/", "10.0.0.1/33", "10.0.0.1/-1", "10.0.0.1/-0",
                             "10.0.0.1/+8", "10.0.0.1/ 8", "10.0.0.1/8 ", "10.0.0.1/8/8", "10.0.0/8",
                             "", "/", "/24", "10.0.0.1/x", "256.0.0.1/8");
  INFO("input \"" << bad << "\"");
  CHECK_FALSE(Ipv4Cidr::parse(bad));
}

TEST_CASE("Ipv4Cidr to_string round-trips through parse", "[base][ipv4]") {
  const char* text = GENERATE("10.0.0.1/24", "0.0.0.0/0", "255.255.255.255/32", "172.16.5.4/12");
  const auto c = Ipv4Cidr::parse(text);
  REQUIRE(c);
  CHECK(c->to_string() == text);
  CHECK(Ipv4Cidr::parse(c->to_string()) == c);
}
