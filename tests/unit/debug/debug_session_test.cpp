#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>

#include "debug_support.hpp"

namespace netstep::debug {
namespace {

using test::lab_world;
using test::lines_of;
using test::straight_run;

TEST_CASE("Stepping a scenario to its end reveals exactly the trace of a straight run") {
  const std::vector<std::string> straight = straight_run("handshake");
  REQUIRE(straight.size() > 20);
  DebugSession session{lab_world("handshake")};
  std::vector<std::string> stepped = lines_of(session.history());  // traced while building
  std::uint64_t steps = 0;
  while (true) {
    const Position before = session.position();
    const Stop stop = session.step();
    if (stop.kind == Stop::Kind::End) break;
    ++steps;
    // One loop event each, all of its events revealed.
    CHECK(session.position().loop_events == before.loop_events + 1);
    CHECK(session.position().revealed == session.current_size());
    CHECK(stop.revealed.size() == session.current_size());
    for (const std::string& l : lines_of(stop.revealed)) stepped.push_back(l);
  }
  CHECK(session.at_end());
  CHECK(steps == session.position().loop_events);
  CHECK(stepped == straight);
  CHECK(lines_of(session.history()) == straight);
}

TEST_CASE("Step into reveals one loop event's trace events one at a time, in the order the layers emitted them") {
  DebugSession session{lab_world("handshake")};
  // Find a loop event that carries a frame up through the stack to TCP.
  std::size_t reveals = 0;
  bool saw_up_the_stack = false;
  while (!saw_up_the_stack && session.step_into().kind != Stop::Kind::End) {
    ++reveals;
    const auto current = session.current();
    REQUIRE(!current.empty());
    CHECK(session.position().revealed == current.size());
    REQUIRE(session.current_layer().has_value());
    CHECK(*session.current_layer() == current.back().layer);
    if (session.position().revealed == session.current_size()) {
      // Up the stack (eth -> tcp), then down it for the answer (tcp -> ipv4 -> eth).
      const auto index = [&](auto pred) {
        return static_cast<long>(std::find_if(current.begin(), current.end(), pred) - current.begin());
      };
      const long tcp = index([](const RecordedEvent& e) { return e.layer == Layer::Tcp; });
      const long route = index([](const RecordedEvent& e) { return e.as<RouteDecision>() != nullptr; });
      const long sent = index([](const RecordedEvent& e) { return e.as<FrameSent>() != nullptr; });
      const long size = static_cast<long>(current.size());
      if (current.front().as<FrameReceived>() != nullptr && tcp < size && sent < size) {
        saw_up_the_stack = true;
        CHECK(current.front().layer == Layer::Ethernet);
        CHECK(tcp < route);
        CHECK(route < sent);
      }
    }
  }
  CHECK(saw_up_the_stack);
  // Stepping into every event one by one reveals the same trace as stepping.
  DebugSession other{lab_world("handshake")};
  while (other.position().loop_events < session.position().loop_events) (void)other.step();
  CHECK(lines_of(other.history()) == lines_of(session.history()));
  CHECK(reveals + lines_of(DebugSession{lab_world("handshake")}.history()).size() == session.history().size());
}

TEST_CASE("Step back re-executes to the end of the previous loop event, with the same trace") {
  DebugSession session{lab_world("refused")};
  for (int i = 0; i < 12; ++i) REQUIRE(session.step().kind == Stop::Kind::Stepped);
  const Position eleventh = [&] {
    DebugSession s{lab_world("refused")};
    for (int i = 0; i < 11; ++i) (void)s.step();
    return s.position();
  }();
  const std::vector<std::string> at_eleven = [&] {
    DebugSession s{lab_world("refused")};
    for (int i = 0; i < 11; ++i) (void)s.step();
    return lines_of(s.history());
  }();
  const Instant time_at_twelve = session.now();
  const Stop back = session.step_back();
  CHECK(back.kind == Stop::Kind::Position);
  CHECK(session.builds() == 2);
  CHECK(session.position() == eleventh);
  CHECK(lines_of(session.history()) == at_eleven);
  CHECK(session.now() <= time_at_twelve);
  // And forward again: the same twelfth event.
  (void)session.step();
  DebugSession again{lab_world("refused")};
  for (int i = 0; i < 12; ++i) (void)again.step();
  CHECK(lines_of(session.history()) == lines_of(again.history()));
}

TEST_CASE("Step back into hides the last trace event revealed, one at a time") {
  DebugSession session{lab_world("refused")};
  for (int i = 0; i < 30; ++i) (void)session.step_into();
  const std::vector<std::string> full = lines_of(session.history());
  REQUIRE(full.size() >= 30);
  for (std::size_t k = 1; k <= 5; ++k) {
    (void)session.step_back_into();
    const std::vector<std::string> now = lines_of(session.history());
    CHECK(now.size() == full.size() - k);
    CHECK(std::equal(now.begin(), now.end(), full.begin()));
  }
}

TEST_CASE("Run to a position forward and back, and restart") {
  DebugSession session{lab_world("handshake")};
  Position target;
  target.loop_events = 20;
  target.revealed = 1;
  (void)session.run_to(target);
  CHECK(session.position() == target);
  const std::vector<std::string> there = lines_of(session.history());
  target.loop_events = 30;
  target.revealed = Position::all;
  (void)session.run_to(target);
  CHECK(session.position().loop_events == 30);
  CHECK(session.position().revealed == session.current_size());
  target.loop_events = 20;
  target.revealed = 1;
  (void)session.run_to(target);
  CHECK(session.position() == target);
  CHECK(lines_of(session.history()) == there);
  (void)session.restart();
  CHECK(session.position() == Position{});
  CHECK(lines_of(session.history()) == lines_of(DebugSession{lab_world("handshake")}.history()));
}

struct Listener final : RevealListener {
  std::vector<std::string> lines;
  int rewinds = 0;
  void rewound() override {
    ++rewinds;
    lines.clear();
  }
  void revealed(const TraceEvent& e) override { lines.push_back(test::line_of(e)); }
};

TEST_CASE("A listener sees every revealed event, and starts over when the session goes back") {
  DebugSession session{lab_world("refused")};
  Listener listener;
  session.add_listener(listener);
  for (int i = 0; i < 15; ++i) (void)session.step_into();
  CHECK(listener.lines == lines_of(session.history()));
  const int rewinds = listener.rewinds;
  (void)session.step_back();
  CHECK(listener.rewinds == rewinds + 1);
  CHECK(listener.lines == lines_of(session.history()));
  (void)session.continue_();
  CHECK(listener.lines == lines_of(session.history()));
  CHECK(listener.lines == straight_run("refused"));
}

}  // namespace
}  // namespace netstep::debug

namespace netstep::debug {
namespace {

// A world that is not the same twice: each build's timer traces one more
// event than the last build's did. Going back must say so, not show a
// different past.
struct Drifting final : DebugWorld {
  Drifting(EventLoop& loop, TraceBus& bus, int events) {
    loop.post_after(std::chrono::milliseconds{1}, [&bus, events] {
      for (int i = 0; i < events; ++i) Tracer{bus, "h"}.emit(Layer::App, TimerFired{"drift"});
    });
    loop.post_after(std::chrono::milliseconds{2}, [&bus] { Tracer{bus, "h"}.emit(Layer::App, TimerFired{"second"}); });
  }
  [[nodiscard]] std::vector<std::string> hosts() const override { return {"h"}; }
};

TEST_CASE("Going back in a world that does not rebuild the same run is an error, not a different past") {
  int builds = 0;
  DebugSession session{[&builds](EventLoop& loop, TraceBus& bus) -> std::unique_ptr<DebugWorld> {
    return std::make_unique<Drifting>(loop, bus, ++builds);
  }};
  REQUIRE(session.step().revealed.size() == 1);
  REQUIRE(session.step().revealed.size() == 1);
  CHECK_THROWS_AS(session.step_back(), std::logic_error);
}

}  // namespace
}  // namespace netstep::debug
