#include <catch2/catch.hpp>

#include "link_fixture.hpp"
#include "wire/arp.hpp"
#include "wire/ethernet.hpp"

using namespace netstep;
using namespace netstep::testing;

namespace {

std::vector<Instant> arp_request_times(const Recorder& recorder, std::string_view host) {
  std::vector<Instant> times;
  for (const auto* e : recorder.all<FrameSent>()) {
    if (e->host != host) continue;
    const auto eth = wire::EthernetRepr::parse(Bytes{e->frame});
    if (!eth || eth->ethertype != wire::ethertype::arp) continue;
    const auto arp = wire::ArpRepr::parse(Bytes{e->frame}.subspan(14));
    if (arp && arp->operation == wire::ArpOperation::Request) times.push_back(e->time);
  }
  return times;
}

}  // namespace

TEST_CASE("first packet to a neighbour: one ARP request, the reply makes it REACHABLE, the packet follows",
          "[link][arp]") {
  LinkFixture f;
  f.send_from_a(ip_b);
  REQUIRE(f.a.neighbours().find(ip_b)->state == NeighbourState::Incomplete);
  REQUIRE(f.a.neighbours().queued_packets(ip_b) == 1);

  f.loop.run_until(instant_from_ns(1'000'000));
  const auto entry = f.a.neighbours().find(ip_b);
  REQUIRE(entry);
  CHECK(entry->state == NeighbourState::Reachable);
  CHECK(entry->mac == mac_b);
  CHECK(f.upper_b.received.size() == 1);
  CHECK(arp_request_times(f.recorder, "a").size() == 1);
  // The target learned the asker from its request, unconfirmed (Linux: STALE).
  CHECK(f.b.neighbours().find(ip_a)->state == NeighbourState::Stale);
}

TEST_CASE("no answer: three broadcast requests one second apart, FAILED at 3 s, waiting packets reported unresolved",
          "[link][arp][T08]") {
  LinkFixture f;
  const Ipv4Address nobody{10, 0, 0, 77};
  f.send_from_a(nobody);
  f.loop.run_until(Instant{500ms});
  f.send_from_a(nobody);  // a second packet joins the queue; no extra request
  f.loop.run_until_idle();

  const auto times = arp_request_times(f.recorder, "a");
  REQUIRE(times.size() == 3);
  CHECK(times[0] == Instant{0s});
  CHECK(times[1] == Instant{1s});
  CHECK(times[2] == Instant{2s});
  CHECK(f.upper_a.unresolved == std::vector<Ipv4Address>{nobody, nobody});

  const auto failed = f.recorder.all<NeighbourStateChanged>();
  const auto it = std::find_if(failed.begin(), failed.end(),
                               [](const RecordedEvent* e) { return e->as<NeighbourStateChanged>()->to == "FAILED"; });
  REQUIRE(it != failed.end());
  CHECK((*it)->time == Instant{3s});
}

TEST_CASE("ARP schedule is configurable: 5 requests 200 ms apart", "[link][arp]") {
  ArpConfig arp;
  arp.request_attempts = 5;
  arp.retransmit_interval = 200ms;
  LinkFixture f{arp};
  f.send_from_a(Ipv4Address{10, 0, 0, 77});
  f.loop.run_until_idle();
  const auto times = arp_request_times(f.recorder, "a");
  REQUIRE(times.size() == 5);
  CHECK(times.back() == Instant{800ms});
  CHECK(f.upper_a.unresolved.size() == 1);
}

TEST_CASE("a full ARP queue drops its oldest packet and says so", "[link][arp]") {
  ArpConfig arp;
  arp.queue_limit = 2;
  LinkFixture f{arp};
  const Ipv4Address nobody{10, 0, 0, 77};
  for (int i = 0; i < 3; ++i) f.send_from_a(nobody);
  CHECK(f.a.neighbours().queued_packets(nobody) == 2);
  const auto drops = f.recorder.all<Dropped>();
  REQUIRE(drops.size() == 1);
  CHECK(drops.front()->as<Dropped>()->reason == "ARP queue full: oldest waiting packet dropped");
}

TEST_CASE("REACHABLE ages to STALE, a stale entry in use goes DELAY, then PROBE with unicast requests",
          "[link][arp]") {
  LinkFixture f;
  f.send_from_a(ip_b);
  f.loop.run_until(Instant{1s});
  REQUIRE(f.a.neighbours().find(ip_b)->state == NeighbourState::Reachable);

  f.loop.run_until(Instant{31s});
  REQUIRE(f.a.neighbours().find(ip_b)->state == NeighbourState::Stale);

  // Used while stale: sent at once with the cached address, then checked.
  f.cable.b.lose = [](Bytes) { return true; };  // b can no longer answer
  const auto before = f.upper_b.received.size();
  f.send_from_a(ip_b);
  f.loop.run_until(Instant{31s + 1ms});
  CHECK(f.upper_b.received.size() == before + 1);
  CHECK(f.a.neighbours().find(ip_b)->state == NeighbourState::Delay);

  f.loop.run_until(Instant{36s + 1ms});
  CHECK(f.a.neighbours().find(ip_b)->state == NeighbourState::Probe);
  f.loop.run_until(Instant{40s});
  CHECK(f.a.neighbours().find(ip_b)->state == NeighbourState::Failed);
  // The probes were unicast to the cached address.
  std::size_t unicast_requests = 0;
  for (const auto* e : f.recorder.all<FrameSent>()) {
    const auto eth = wire::EthernetRepr::parse(Bytes{e->frame});
    if (e->host == "a" && eth->ethertype == wire::ethertype::arp && eth->destination == mac_b) ++unicast_requests;
  }
  CHECK(unicast_requests == 3);
}

TEST_CASE("a probe answered returns the entry to REACHABLE", "[link][arp]") {
  LinkFixture f;
  f.send_from_a(ip_b);
  f.loop.run_until(Instant{31s});
  f.send_from_a(ip_b);
  f.loop.run_until(Instant{37s});
  CHECK(f.a.neighbours().find(ip_b)->state == NeighbourState::Reachable);
}

TEST_CASE("gratuitous ARP updates an existing entry but creates none", "[link][arp]") {
  LinkFixture f;
  f.send_from_a(ip_b);
  f.loop.run_until(Instant{1s});
  REQUIRE(f.b.neighbours().find(ip_a));

  // b announces itself: a already knows b at that address, nothing changes.
  f.b.announce();
  f.loop.run_until(Instant{2s});
  CHECK(f.a.neighbours().find(ip_b)->mac == mac_b);

  // A third host's announcement, never asked for, is not cached.
  LinkFixture g;
  g.b.announce();
  g.loop.run_until_idle();
  CHECK_FALSE(g.a.neighbours().find(ip_b));
}

TEST_CASE("an unused entry is forgotten after the stale lifetime", "[link][arp]") {
  LinkFixture f;
  f.send_from_a(ip_b);
  f.loop.run_until_idle();
  CHECK_FALSE(f.a.neighbours().find(ip_b));
  CHECK(f.a.neighbours().entries().empty());
}

TEST_CASE("upper-layer confirmation keeps an entry REACHABLE", "[link][arp]") {
  LinkFixture f;
  f.send_from_a(ip_b);
  f.loop.run_until(Instant{29s});
  f.a.neighbours().confirm(ip_b);
  f.loop.run_until(Instant{40s});
  CHECK(f.a.neighbours().find(ip_b)->state == NeighbourState::Reachable);
}

TEST_CASE("ArpConfig refuses impossible values", "[link][arp]") {
  ArpConfig arp;
  arp.request_attempts = 0;
  CHECK_THROWS_AS(arp.validate(), std::invalid_argument);
  arp = {};
  arp.retransmit_interval = 0s;
  CHECK_THROWS_AS(arp.validate(), std::invalid_argument);
}

TEST_CASE("an unsolicited ARP reply creates no entry (Linux arp_accept = 0)", "[link][arp]") {
  LinkFixture f;
  const wire::ArpRepr reply{wire::ArpOperation::Reply, mac_b, ip_b, mac_a, ip_a};
  f.a.neighbours().receive_arp(reply);
  CHECK_FALSE(f.a.neighbours().find(ip_b));
}
