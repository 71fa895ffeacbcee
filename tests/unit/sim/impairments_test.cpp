#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <limits>

#include "sim_harness.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

namespace {
struct Pair {
  explicit Pair(const Impairments& a_to_b, std::uint64_t seed = 1)
      : w{seed},
        a{w.network.add_nic("h1", "eth0", mac_a)},
        b{w.network.add_nic("h2", "eth0", mac_b)},
        link{w.network.connect(a, b, LinkConfig{"wire", a_to_b, Impairments{}, 0})},
        inbox{w.loop, b} {}
  void send_numbered(std::uint32_t count, Duration spacing = 10us) {
    for (std::uint32_t i = 0; i < count; ++i) {
      a.transmit(bytes_of(numbered_frame(mac_b, mac_a, i)));
      w.loop.run_until(w.loop.now() + spacing);
    }
    w.loop.run_until_idle();
  }
  const LinkCounters& counters() const { return link.counters(Direction::AtoB); }
  World w;
  SimNic& a;
  SimNic& b;
  Link& link;
  Inbox inbox;
};
}  // namespace

TEST_CASE("sim: impairments are validated at construction with a message naming the field", "[sim][impairments]") {
  const auto rejects = [](auto&& mutate, std::string_view words) {
    Impairments i;
    mutate(i);
    try {
      i.validate();
      FAIL("accepted an invalid configuration");
    } catch (const std::invalid_argument& e) {
      INFO(e.what());
      CHECK(std::string_view{e.what()}.find(words) != std::string_view::npos);
    }
  };
  rejects([](Impairments& i) { i.loss = 1.5; }, "loss");
  rejects([](Impairments& i) { i.duplicate = -0.1; }, "duplicate");
  rejects([](Impairments& i) { i.reorder = std::numeric_limits<double>::quiet_NaN(); }, "reorder");
  rejects([](Impairments& i) { i.corrupt = 2; }, "corrupt");
  rejects([](Impairments& i) { i.delay = -1us; }, "delay");
  rejects([](Impairments& i) { i.jitter = 11us; }, "arrive before it was sent");
  rejects([](Impairments& i) { i.reorder_delay = -1ms; }, "reorder_delay");
  CHECK_NOTHROW(Impairments{}.validate());

  World w;
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  LinkConfig bad;
  bad.b_to_a.loss = 7;
  CHECK_THROWS_AS(w.network.connect(a, b, bad), std::invalid_argument);
  CHECK_FALSE(a.plugged());  // a refused cable leaves nothing plugged in
  Link& link = w.network.connect(a, b);
  Impairments worse;
  worse.jitter = 1s;
  CHECK_THROWS_AS(link.set_impairments(Direction::AtoB, worse), std::invalid_argument);
}

TEST_CASE("sim: loss drops close to p of 10000 frames, each with a traced reason", "[sim][impairments][loss]") {
  Impairments lossy;
  lossy.loss = 0.1;
  Pair p{lossy, 12345};
  p.send_numbered(10'000, 1us);

  const auto lost = p.counters().dropped_by_loss;
  CHECK(lost + p.inbox.arrivals.size() == 10'000);
  CHECK(p.counters().delivered == p.inbox.arrivals.size());
  // Binomial(10000, 0.1): sd = 30, so +-150 is five standard deviations.
  CHECK(lost > 850);
  CHECK(lost < 1150);
  CHECK(p.w.log.count("dropped", "impairment: loss") == lost);
  CHECK(p.w.log.records.front().host == "wire");
  CHECK(p.w.log.records.front().interface == "h1.eth0 -> h2.eth0");
}

TEST_CASE("sim: duplicate = 1 delivers every frame twice", "[sim][impairments][duplicate]") {
  Impairments doubling;
  doubling.duplicate = 1;
  Pair p{doubling};
  p.send_numbered(10);

  REQUIRE(p.inbox.arrivals.size() == 20);
  for (std::uint32_t i = 0; i < 10; ++i) {
    CHECK(number_of(p.inbox.arrivals[2 * i].frame) == i);
    CHECK(p.inbox.arrivals[2 * i + 1].frame == p.inbox.arrivals[2 * i].frame);
  }
  CHECK(p.counters().duplicated == 10);
  CHECK(p.counters().delivered == 20);
  CHECK(p.w.log.count("wire_impairment", "duplicated") == 10);
}

TEST_CASE("sim: corrupt = 1 flips exactly one bit of every frame", "[sim][impairments][corrupt]") {
  Impairments noisy;
  noisy.corrupt = 1;
  Pair p{noisy};
  p.send_numbered(50);

  REQUIRE(p.inbox.arrivals.size() == 50);
  for (std::uint32_t i = 0; i < 50; ++i) {
    const Frame sent = numbered_frame(mac_b, mac_a, i);
    const Frame& got = p.inbox.arrivals[i].frame;
    REQUIRE(got.size() == sent.size());
    int flipped = 0;
    for (std::size_t k = 0; k < got.size(); ++k) {
      flipped += std::popcount(static_cast<unsigned>(got[k] ^ sent[k]));
    }
    CHECK(flipped == 1);
  }
  CHECK(p.counters().corrupted == 50);
  CHECK(p.w.log.count("wire_impairment", "corrupted") == 50);
}

TEST_CASE("sim: a reordered frame is held back and the next one overtakes it", "[sim][impairments][reorder]") {
  Impairments held;
  held.reorder = 1;
  held.reorder_delay = 1ms;
  Pair p{held};

  p.a.transmit(bytes_of(numbered_frame(mac_b, mac_a, 1)));
  p.link.set_impairments(Direction::AtoB, Impairments{});
  p.w.loop.run_until(p.w.loop.now() + 10us);
  p.a.transmit(bytes_of(numbered_frame(mac_b, mac_a, 2)));
  p.w.loop.run_until_idle();

  REQUIRE(p.inbox.arrivals.size() == 2);
  CHECK(number_of(p.inbox.arrivals[0].frame) == 2);
  CHECK(number_of(p.inbox.arrivals[1].frame) == 1);
  CHECK(p.inbox.arrivals[1].time == Instant{} + 10us + 1ms);
  CHECK(p.counters().reordered == 1);
  CHECK(p.w.log.count("wire_impairment", "reordered") == 1);
}

TEST_CASE("sim: reorder with probability p moves some frames out of order, never before they were sent",
          "[sim][impairments][reorder]") {
  Impairments shuffled;
  shuffled.reorder = 0.2;
  shuffled.reorder_delay = 50us;
  Pair p{shuffled, 99};
  p.send_numbered(500, 10us);

  REQUIRE(p.inbox.arrivals.size() == 500);
  int inversions = 0;
  for (std::size_t i = 1; i < 500; ++i) {
    inversions += number_of(p.inbox.arrivals[i].frame) < number_of(p.inbox.arrivals[i - 1].frame) ? 1 : 0;
  }
  CHECK(inversions > 20);
  CHECK(p.counters().reordered > 50);
  for (const Arrival& arrival : p.inbox.arrivals) {
    CHECK(arrival.time >= Instant{} + 10us * number_of(arrival.frame) + 10us);
  }
}
