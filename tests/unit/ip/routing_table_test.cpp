#include <catch2/catch.hpp>

#include "ip/routing_table.hpp"

using namespace netstep;

namespace {
Ipv4Cidr cidr(const char* text) { return *Ipv4Cidr::parse(text); }
Ipv4Address ip(const char* text) { return *Ipv4Address::parse(text); }
}  // namespace

TEST_CASE("longest prefix wins: /32 over /24 over /16 over /8 over the default", "[ip][routing]") {
  RoutingTable table;
  table.add(Route{cidr("0.0.0.0/0"), RouteKind::Unicast, ip("192.0.2.1"), 0, 0});
  table.add(Route{cidr("10.0.0.0/8"), RouteKind::Unicast, std::nullopt, 1, 0});
  table.add(Route{cidr("10.1.0.0/16"), RouteKind::Unicast, std::nullopt, 2, 0});
  table.add(Route{cidr("10.1.2.0/24"), RouteKind::Unicast, std::nullopt, 3, 0});
  table.add(Route{cidr("10.1.2.3/32"), RouteKind::Unicast, std::nullopt, 4, 0});

  CHECK(table.lookup(ip("10.1.2.3"))->interface == 4);
  CHECK(table.lookup(ip("10.1.2.4"))->interface == 3);
  CHECK(table.lookup(ip("10.1.3.1"))->interface == 2);
  CHECK(table.lookup(ip("10.200.0.1"))->interface == 1);
  CHECK(table.lookup(ip("8.8.8.8"))->interface == 0);
  CHECK(table.size() == 5);
}

TEST_CASE("no covering route: lookup finds nothing", "[ip][routing]") {
  RoutingTable table;
  table.add(Route{cidr("10.0.0.0/24"), RouteKind::Unicast, std::nullopt, 0, 0});
  CHECK(table.lookup(ip("10.0.1.1")) == nullptr);
  CHECK(table.lookup(ip("10.0.0.255")) != nullptr);
}

TEST_CASE("equal prefixes: the lowest metric wins, identical routes are not added twice", "[ip][routing]") {
  RoutingTable table;
  CHECK(table.add(Route{cidr("10.0.0.0/24"), RouteKind::Unicast, std::nullopt, 7, 100}));
  CHECK(table.add(Route{cidr("10.0.0.0/24"), RouteKind::Unicast, std::nullopt, 8, 10}));
  CHECK_FALSE(table.add(Route{cidr("10.0.0.0/24"), RouteKind::Unicast, std::nullopt, 8, 10}));
  CHECK(table.lookup(ip("10.0.0.9"))->interface == 8);
  CHECK(table.size() == 2);
}

TEST_CASE("host bits in a route's prefix are cleared", "[ip][routing]") {
  RoutingTable table;
  table.add(Route{cidr("10.0.0.77/24"), RouteKind::Unicast, std::nullopt, 0, 0});
  CHECK(table.routes().front().prefix == cidr("10.0.0.0/24"));
}

TEST_CASE("special routes are found like any other and keep their kind", "[ip][routing][T07b]") {
  RoutingTable table;
  table.add(Route{cidr("0.0.0.0/0"), RouteKind::Unicast, ip("10.0.0.254"), 0, 0});
  table.add(Route{cidr("192.0.2.0/24"), RouteKind::Unreachable, std::nullopt, 0, 0});
  table.add(Route{cidr("198.51.100.0/24"), RouteKind::Prohibit, std::nullopt, 0, 0});
  table.add(Route{cidr("203.0.113.0/24"), RouteKind::Blackhole, std::nullopt, 0, 0});
  CHECK(table.lookup(ip("192.0.2.1"))->kind == RouteKind::Unreachable);
  CHECK(table.lookup(ip("198.51.100.1"))->kind == RouteKind::Prohibit);
  CHECK(table.lookup(ip("203.0.113.1"))->kind == RouteKind::Blackhole);
}

TEST_CASE("remove takes every route of a prefix away and lookups fall back to shorter ones", "[ip][routing]") {
  RoutingTable table;
  table.add(Route{cidr("10.0.0.0/8"), RouteKind::Unicast, std::nullopt, 1, 0});
  table.add(Route{cidr("10.0.0.0/24"), RouteKind::Unicast, std::nullopt, 2, 0});
  table.add(Route{cidr("10.0.0.0/24"), RouteKind::Unicast, std::nullopt, 3, 5});
  CHECK(table.remove(cidr("10.0.0.0/24")) == 2);
  CHECK(table.lookup(ip("10.0.0.1"))->interface == 1);
  CHECK(table.remove(cidr("10.0.0.0/24")) == 0);
  table.clear();
  CHECK(table.lookup(ip("10.0.0.1")) == nullptr);
}

TEST_CASE("routes() lists longest prefixes first", "[ip][routing]") {
  RoutingTable table;
  table.add(Route{cidr("0.0.0.0/0"), RouteKind::Unicast, ip("10.0.0.254"), 0, 0});
  table.add(Route{cidr("10.0.0.0/24"), RouteKind::Unicast, std::nullopt, 0, 0});
  const auto routes = table.routes();
  REQUIRE(routes.size() == 2);
  CHECK(routes[0].prefix.length() == 24);
  CHECK(routes[1].prefix.length() == 0);
}

TEST_CASE("a lookup after a change sees the change (the last answer is not reused)", "[ip][routing]") {
  RoutingTable table;
  table.add(Route{cidr("10.0.0.0/8"), RouteKind::Unicast, std::nullopt, 1, 0});
  CHECK(table.lookup(ip("10.1.2.3"))->interface == 1);
  CHECK(table.lookup(ip("10.1.2.3"))->interface == 1);  // the same question again
  table.add(Route{cidr("10.1.2.0/24"), RouteKind::Unicast, std::nullopt, 2, 0});
  CHECK(table.lookup(ip("10.1.2.3"))->interface == 2);
  table.remove(cidr("10.1.2.0/24"));
  CHECK(table.lookup(ip("10.1.2.3"))->interface == 1);
  table.clear();
  CHECK(table.lookup(ip("10.1.2.3")) == nullptr);
  table.add(Route{cidr("10.1.2.3/32"), RouteKind::Blackhole, std::nullopt, 0, 0});
  CHECK(table.lookup(ip("10.1.2.3"))->kind == RouteKind::Blackhole);
  CHECK(table.lookup(ip("10.1.2.4")) == nullptr);
}
