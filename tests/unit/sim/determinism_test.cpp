#include <catch2/catch.hpp>

#include "sim_harness.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

namespace {
// Everything observable about one run: who got which frame when.
struct Delivery {
  std::string to;
  std::int64_t time_ns;
  Frame frame;
  bool operator==(const Delivery&) const = default;
};

std::vector<Delivery> run_busy_network(std::uint64_t seed) {
  World w{seed};
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  SimNic& c = w.network.add_nic("h3", "eth0", mac_c);
  Switch& sw = w.network.add_switch("sw0", 3);
  Impairments rough;
  rough.delay = 200us;
  rough.jitter = 150us;
  rough.loss = 0.05;
  rough.duplicate = 0.05;
  rough.reorder = 0.05;
  rough.corrupt = 0.05;
  w.network.connect(a, sw.port(0), LinkConfig::symmetric(rough));
  w.network.connect(b, sw.port(1), LinkConfig::symmetric(rough, 10'000'000));
  w.network.connect(c, sw.port(2), LinkConfig::symmetric(rough));

  std::vector<Delivery> log;
  struct Recorder final : FrameReceiver {
    Recorder(std::string n, EventLoop& l, std::vector<Delivery>& o) : name{std::move(n)}, loop{&l}, out{&o} {}
    void receive_frame(Bytes f) override { out->push_back({name, to_ns(loop->now()), Frame(f.begin(), f.end())}); }
    std::string name;
    EventLoop* loop;
    std::vector<Delivery>* out;
  };
  Recorder ra{"h1", w.loop, log}, rb{"h2", w.loop, log}, rc{"h3", w.loop, log};
  a.attach(ra);
  b.attach(rb);
  c.attach(rc);

  for (std::uint32_t i = 0; i < 300; ++i) {
    a.transmit(bytes_of(numbered_frame(mac_b, mac_a, i)));
    b.transmit(bytes_of(numbered_frame(i % 7 == 0 ? MacAddress::broadcast() : mac_c, mac_b, 1000 + i)));
    c.transmit(bytes_of(numbered_frame(mac_a, mac_c, 2000 + i)));
    w.loop.run_until(w.loop.now() + 37us);
  }
  w.loop.run_until_idle();
  return log;
}
}  // namespace

TEST_CASE("sim: the same seed gives an identical delivery log", "[sim][determinism]") {
  const auto first = run_busy_network(2024);
  const auto second = run_busy_network(2024);
  REQUIRE(first.size() > 500);
  CHECK(first == second);
}

TEST_CASE("sim: a different seed gives a different delivery log", "[sim][determinism]") {
  CHECK(run_busy_network(2024) != run_busy_network(2025));
}

TEST_CASE("sim: adding a link elsewhere does not change another link's random stream", "[sim][determinism]") {
  const auto arrivals = [](bool extra_link) {
    World w{5};
    if (extra_link) {
      SimNic& x = w.network.add_nic("x", "eth0", MacAddress::local(10));
      SimNic& y = w.network.add_nic("y", "eth0", MacAddress::local(11));
      LinkConfig other;
      other.name = "other";
      w.network.connect(x, y, other);
    }
    SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
    SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
    Impairments jittery;
    jittery.delay = 100us;
    jittery.jitter = 100us;
    jittery.loss = 0.2;
    LinkConfig config = LinkConfig::symmetric(jittery);
    config.name = "main";
    w.network.connect(a, b, config);
    Inbox inbox{w.loop, b};
    for (std::uint32_t i = 0; i < 100; ++i) {
      a.transmit(bytes_of(numbered_frame(mac_b, mac_a, i)));
      w.loop.run_until(w.loop.now() + 1ms);
    }
    w.loop.run_until_idle();
    std::vector<std::pair<std::int64_t, std::uint32_t>> out;
    for (const Arrival& x : inbox.arrivals) out.emplace_back(to_ns(x.time), number_of(x.frame));
    return out;
  };
  CHECK(arrivals(false) == arrivals(true));
}
