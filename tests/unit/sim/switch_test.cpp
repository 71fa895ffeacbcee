#include <catch2/catch.hpp>

#include "sim_harness.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

namespace {
struct Star {
  Star()
      : a{w.network.add_nic("h1", "eth0", mac_a)},
        b{w.network.add_nic("h2", "eth0", mac_b)},
        c{w.network.add_nic("h3", "eth0", mac_c)},
        sw{w.network.add_switch("sw0", 4)},
        in_a{w.loop, a},
        in_b{w.loop, b},
        in_c{w.loop, c} {
    w.network.connect(a, sw.port(0));
    w.network.connect(b, sw.port(1));
    w.network.connect(c, sw.port(2));  // port 3 stays empty
  }
  void send(SimNic& from, MacAddress to, std::uint32_t number) {
    from.transmit(bytes_of(numbered_frame(to, from.mac(), number)));
    w.loop.run_until_idle();
  }
  World w;
  SimNic& a;
  SimNic& b;
  SimNic& c;
  Switch& sw;
  Inbox in_a, in_b, in_c;
};
}  // namespace

TEST_CASE("sim: a switch floods an unknown destination, learns the source, then forwards only to it",
          "[sim][switch]") {
  Star s;
  s.send(s.a, mac_b, 1);  // b unknown: flooded to b and c
  CHECK(s.in_b.arrivals.size() == 1);
  CHECK(s.in_c.arrivals.size() == 1);
  CHECK(s.sw.lookup(mac_a) == std::optional<std::size_t>{0});

  s.send(s.b, mac_a, 2);  // a known: only to a
  CHECK(s.in_a.arrivals.size() == 1);
  CHECK(s.in_c.arrivals.size() == 1);

  s.send(s.a, mac_b, 3);  // b learned from its reply: c hears nothing more
  CHECK(s.in_b.arrivals.size() == 2);
  CHECK(s.in_c.arrivals.size() == 1);
  CHECK(s.sw.table_size() == 2);
  CHECK(s.sw.counters().flooded == 1);
  CHECK(s.sw.counters().forwarded == 2);
}

TEST_CASE("sim: a switch floods broadcast and multicast even to known stations", "[sim][switch]") {
  Star s;
  s.send(s.a, MacAddress::broadcast(), 0);  // teaches the switch where a is
  s.send(s.b, mac_a, 1);
  s.send(s.c, mac_a, 2);                    // b and c learned too
  s.send(s.a, MacAddress::broadcast(), 3);
  s.send(s.a, MacAddress{{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}}, 4);
  CHECK(s.in_a.arrivals.size() == 2);  // never its own floods back
  CHECK(s.in_b.arrivals.size() == 3);
  CHECK(s.in_c.arrivals.size() == 3);
  CHECK(s.sw.counters().flooded == 3);
}

TEST_CASE("sim: a learned address ages out after 300 s of silence, and the switch floods again", "[sim][switch][ageing]") {
  Star s;
  s.send(s.b, mac_a, 1);  // learns b on port 1
  REQUIRE(s.sw.lookup(mac_b).has_value());

  s.w.loop.run_until(s.w.loop.now() + 299s);
  CHECK(s.sw.lookup(mac_b).has_value());
  s.w.loop.run_until(s.w.loop.now() + 2s);
  CHECK_FALSE(s.sw.lookup(mac_b).has_value());
  CHECK(s.sw.table_size() == 0);

  const auto c_before = s.in_c.arrivals.size();
  s.send(s.a, mac_b, 2);
  CHECK(s.in_c.arrivals.size() == c_before + 1);  // flooded
}

TEST_CASE("sim: hearing from a station refreshes its entry, so it does not age out", "[sim][switch][ageing]") {
  Star s;
  for (int i = 0; i < 5; ++i) {
    s.send(s.b, mac_a, static_cast<std::uint32_t>(i));
    s.w.loop.run_until(s.w.loop.now() + 200s);
  }
  CHECK(s.sw.lookup(mac_b).has_value());
}

TEST_CASE("sim: a station that moves to another port is relearned there", "[sim][switch]") {
  Star s;
  s.send(s.b, mac_a, 1);
  REQUIRE(s.sw.lookup(mac_b) == std::optional<std::size_t>{1});
  s.c.transmit(bytes_of(numbered_frame(mac_a, mac_b, 2)));  // b's address now behind port 2
  s.w.loop.run_until_idle();
  CHECK(s.sw.lookup(mac_b) == std::optional<std::size_t>{2});
}

TEST_CASE("sim: a switch-port egress rule drops frames leaving through that port", "[sim][switch][rule]") {
  Star s;
  s.sw.add_rule(2, FrameRule{FrameMatch{.ethertype = 0x88b5}, Drop{}, 1}, PortDirection::Egress);
  s.send(s.a, MacAddress::broadcast(), 1);
  s.send(s.a, MacAddress::broadcast(), 2);
  CHECK(s.in_b.arrivals.size() == 2);
  REQUIRE(s.in_c.arrivals.size() == 1);
  CHECK(number_of(s.in_c.arrivals[0].frame) == 2);
  CHECK(s.w.log.count("dropped", "rule: drop (1 of 1)") == 1);
}

TEST_CASE("sim: switches chain through a switch-to-switch link", "[sim][switch]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  Switch& s1 = w.network.add_switch("sw1", 2);
  Switch& s2 = w.network.add_switch("sw2", 2);
  w.network.connect(a, s1.port(0));
  w.network.connect(s1.port(1), s2.port(0));
  w.network.connect(s2.port(1), b);
  Inbox in_b{w.loop, b};
  a.transmit(bytes_of(numbered_frame(mac_b, mac_a, 9)));
  w.loop.run_until_idle();
  REQUIRE(in_b.arrivals.size() == 1);
  CHECK(in_b.arrivals[0].time == Instant{} + 30us);  // three default 10 us links
  CHECK(s2.lookup(mac_a) == std::optional<std::size_t>{0});
}
