#include <catch2/catch.hpp>

#include "base/port.hpp"

using netstep::Endpoint;
using netstep::Ipv4Address;
using netstep::Port;

TEST_CASE("Port holds its value, zero is the unset port", "[base][port]") {
  CHECK(Port{}.is_zero());
  CHECK(Port{80}.value() == 80);
  CHECK_FALSE(Port{65535}.is_zero());
  CHECK(Port{80} < Port{443});
}

TEST_CASE("Endpoint prints address:port and compares address first, then port", "[base][port]") {
  const Endpoint a{Ipv4Address(10, 0, 0, 1), Port{8080}};
  CHECK(a.to_string() == "10.0.0.1:8080");
  CHECK(Endpoint{}.to_string() == "0.0.0.0:0");
  CHECK(a == Endpoint{Ipv4Address(10, 0, 0, 1), Port{8080}});
  CHECK(a < Endpoint{Ipv4Address(10, 0, 0, 1), Port{8081}});
  CHECK(Endpoint{Ipv4Address(10, 0, 0, 1), Port{9999}} < Endpoint{Ipv4Address(10, 0, 0, 2), Port{1}});
}
