#include <catch2/catch.hpp>

#include "base/mac_address.hpp"

using netstep::MacAddress;

TEST_CASE("MacAddress parses colon-separated hex in either case", "[base][mac]") {
  const auto a = MacAddress::parse("02:00:5E:10:aB:ff");
  REQUIRE(a);
  CHECK(a->octets() == std::array<std::uint8_t, 6>{0x02, 0x00, 0x5e, 0x10, 0xab, 0xff});
}

TEST_CASE("MacAddress to_string prints lower-case and round-trips", "[base][mac]") {
  const auto a = MacAddress::parse("DE:AD:BE:EF:00:01");
  REQUIRE(a);
  CHECK(a->to_string() == "de:ad:be:ef:00:01");
  CHECK(MacAddress::parse(a->to_string()) == a);
  CHECK(MacAddress::zero().to_string() == "00:00:00:00:00:00");
  CHECK(MacAddress::broadcast().to_string() == "ff:ff:ff:ff:ff:ff");
}

TEST_CASE("MacAddress rejects wrong lengths, separators and digits", "[base][mac]") {
  const char* bad = GENERATE("", "02:00:00:00:00", "02:00:00:00:00:01:", "02-00-00-00-00-01",
                             "02:00:00:00:00:0g", "02:00:00:00:00:1", " 02:00:00:00:00:01",
                             "0200.0000.0001.0", "02:00:00:00:00::1", "02:00:00:00:0001");
  INFO("input \"" << bad << "\"");
  CHECK_FALSE(MacAddress::parse(bad));
}

TEST_CASE("MacAddress::local(n) is a locally administered unicast address carrying n", "[base][mac]") {
  const auto a = MacAddress::local(1);
  CHECK(a.to_string() == "02:00:00:00:00:01");
  CHECK((a.octets()[0] & 0x02) != 0);  // locally administered bit
  CHECK_FALSE(a.is_multicast());
  CHECK(MacAddress::local(0x0a0b0c0du).to_string() == "02:00:0a:0b:0c:0d");
  CHECK(MacAddress::local(1) != MacAddress::local(2));
}

TEST_CASE("MacAddress broadcast is also multicast: the group bit decides multicast", "[base][mac]") {
  CHECK(MacAddress::broadcast().is_broadcast());
  CHECK(MacAddress::broadcast().is_multicast());
  const auto ipv4_mcast = MacAddress::parse("01:00:5e:00:00:01");
  REQUIRE(ipv4_mcast);
  CHECK(ipv4_mcast->is_multicast());
  CHECK_FALSE(ipv4_mcast->is_broadcast());
  CHECK(MacAddress::zero().is_zero());
  CHECK_FALSE(MacAddress::zero().is_multicast());
}
