#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "sim_harness.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

namespace {
Impairments delay_only(Duration delay) {
  Impairments i;
  i.delay = delay;
  return i;
}
}  // namespace

TEST_CASE("sim: a frame arrives exactly one link delay after it was sent", "[sim][link]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  Link& link = w.network.connect(a, b, LinkConfig::symmetric(delay_only(250us)));
  Inbox inbox{w.loop, b};

  w.loop.run_until(instant_from_ns(1'000));
  a.transmit(bytes_of(numbered_frame(mac_b, mac_a, 7)));
  w.loop.run_until_idle();

  REQUIRE(inbox.arrivals.size() == 1);
  CHECK(inbox.arrivals[0].time == instant_from_ns(1'000) + 250us);
  CHECK(number_of(inbox.arrivals[0].frame) == 7);
  CHECK(link.counters(Direction::AtoB).delivered == 1);
  CHECK(link.counters(Direction::BtoA).sent == 0);
  CHECK(a.frames_transmitted() == 1);
  CHECK(b.frames_received() == 1);
}

TEST_CASE("sim: the delivered frame is a byte-exact copy, independent of the sender's buffer", "[sim][link]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  w.network.connect(a, b);
  Inbox inbox{w.loop, b};

  Frame frame = numbered_frame(mac_b, mac_a, 42, 100);
  const Frame original = frame;
  a.transmit(bytes_of(frame));
  std::fill(frame.begin(), frame.end(), std::byte{0});  // the stack reuses its buffer at once
  w.loop.run_until_idle();

  REQUIRE(inbox.arrivals.size() == 1);
  CHECK(inbox.arrivals[0].frame == original);
}

TEST_CASE("sim: bandwidth adds serialisation delay and keeps back-to-back frames in order", "[sim][link]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  w.network.connect(a, b, LinkConfig::symmetric(delay_only(100us), 1'000'000));  // 1 Mbit/s
  Inbox inbox{w.loop, b};

  // 125 bytes = 1000 bits = 1 ms on the wire.
  a.transmit(bytes_of(numbered_frame(mac_b, mac_a, 1, 125)));
  a.transmit(bytes_of(numbered_frame(mac_b, mac_a, 2, 125)));
  w.loop.run_until_idle();

  REQUIRE(inbox.arrivals.size() == 2);
  CHECK(inbox.arrivals[0].time == Instant{} + 1ms + 100us);
  CHECK(inbox.arrivals[1].time == Instant{} + 2ms + 100us);
  CHECK(number_of(inbox.arrivals[1].frame) == 2);
}

TEST_CASE("sim: with jitter and no reordering a link still delivers in FIFO order", "[sim][link][jitter]") {
  World w{7};
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  Impairments jittery = delay_only(100us);
  jittery.jitter = 100us;
  w.network.connect(a, b, LinkConfig::symmetric(jittery));
  Inbox inbox{w.loop, b};

  std::vector<Instant> sent;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    sent.push_back(w.loop.now());
    a.transmit(bytes_of(numbered_frame(mac_b, mac_a, i)));
    w.loop.run_until(w.loop.now() + 5us);
  }
  w.loop.run_until_idle();

  REQUIRE(inbox.arrivals.size() == 1000);
  std::set<Instant> distinct_delays;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    const Arrival& arrival = inbox.arrivals[i];
    REQUIRE(number_of(arrival.frame) == i);
    CHECK(arrival.time >= sent[i]);                   // never before it was sent
    CHECK(arrival.time <= sent[i] + 200us + 200us);   // delay + jitter, plus a little FIFO clamping
    if (i > 0) CHECK(arrival.time >= inbox.arrivals[i - 1].time);
    distinct_delays.insert(Instant{} + (arrival.time - sent[i]));
  }
  CHECK(distinct_delays.size() > 100);  // the jitter really varies the delay
}

TEST_CASE("sim: a NIC with no cable drops what it transmits, and says why", "[sim][nic]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  a.transmit(bytes_of(numbered_frame(mac_b, mac_a, 1)));
  CHECK(a.frames_dropped() == 1);
  CHECK(w.log.count("dropped", "no cable plugged in") == 1);
}

TEST_CASE("sim: a frame larger than the link MTU is dropped with a reason, the largest legal one passes", "[sim][nic][mtu]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  Link& link = w.network.connect(a, b);
  Inbox inbox{w.loop, b};

  a.transmit(bytes_of(numbered_frame(mac_b, mac_a, 1, 14 + 1500)));  // full-sized
  a.transmit(bytes_of(numbered_frame(mac_b, mac_a, 2, 14 + 1501)));  // one byte too many
  Frame tagged = numbered_frame(mac_b, mac_a, 3, 18 + 1500);          // full-sized with an 802.1Q tag
  store_be16(tagged, 12, 0x8100);
  a.transmit(bytes_of(tagged));
  w.loop.run_until_idle();

  REQUIRE(inbox.arrivals.size() == 2);
  CHECK(inbox.arrivals[0].frame.size() == 1514);
  CHECK(inbox.arrivals[1].frame.size() == 1518);
  CHECK(a.frames_dropped() == 1);
  CHECK(link.counters(Direction::AtoB).sent == 2);
  REQUIRE(w.log.count("dropped", "frame larger than the link MTU") == 1);
  CHECK(w.log.records[0].host == "h1");
  CHECK(w.log.records[0].interface == "eth0");
  CHECK(w.log.records[0].frame_length == 1515);
}

TEST_CASE("sim: a receiver with a smaller MTU drops what it cannot take", "[sim][nic][mtu]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a, 9000);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b, 1500);
  w.network.connect(a, b);
  Inbox inbox{w.loop, b};

  a.transmit(bytes_of(numbered_frame(mac_b, mac_a, 1, 14 + 9000)));
  w.loop.run_until_idle();
  CHECK(inbox.arrivals.empty());
  CHECK(b.frames_dropped() == 1);
  CHECK(w.log.count("dropped", "frame larger than the link MTU") == 1);
}

TEST_CASE("sim: a frame shorter than an Ethernet header never reaches the wire", "[sim][nic]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  w.network.connect(a, b);
  const Frame runt(5, std::byte{0xff});
  a.transmit(bytes_of(runt));
  a.transmit({});
  CHECK(a.frames_dropped() == 2);
  CHECK(w.log.count("dropped", "frame shorter than an Ethernet header") == 2);
}

TEST_CASE("sim: destroying the network with frames on the cable cancels their deliveries", "[sim][link]") {
  EventLoop loop;
  TraceBus bus{loop};
  {
    Network network{loop, bus, 1};
    SimNic& a = network.add_nic("h1", "eth0", mac_a);
    SimNic& b = network.add_nic("h2", "eth0", mac_b);
    network.connect(a, b);
    a.transmit(bytes_of(numbered_frame(mac_b, mac_a, 1)));
    CHECK(loop.pending_count() == 1);
  }
  CHECK(loop.pending_count() == 0);
  CHECK(loop.run_until_idle() == 0);
}

TEST_CASE("sim: connect refuses an endpoint that already has a cable, and a duplicate name", "[sim][network]") {
  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  SimNic& c = w.network.add_nic("h3", "eth0", mac_c);
  LinkConfig named;
  named.name = "uplink";
  w.network.connect(a, b, named);
  CHECK_THROWS_AS(w.network.connect(a, c), std::invalid_argument);
  CHECK_THROWS_AS(w.network.connect(c, c), std::invalid_argument);
  SimNic& d = w.network.add_nic("h4", "eth0", MacAddress::local(4));
  CHECK_THROWS_AS(w.network.connect(c, d, named), std::invalid_argument);
  CHECK_THROWS_AS(w.network.add_nic("h1", "eth0", mac_a), std::invalid_argument);
  CHECK_THROWS_AS(w.network.add_nic("h9", "eth0", mac_a, 40), std::invalid_argument);
  CHECK(w.network.find_link("uplink") != nullptr);
  CHECK(w.network.find_nic("h2", "eth0") == &b);
}
