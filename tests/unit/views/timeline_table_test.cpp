#include <catch2/catch.hpp>

#include <map>

#include "views_support.hpp"

namespace netstep::views {
namespace {

using debug::DebugSession;
using debug::Stop;
using test::all_of;

TEST_CASE("The state timeline has every state change of each connection, chained, with cause and RFC section") {
  for (const std::string lab : {"handshake", "close-time-wait", "simultaneous-open"}) {
    DebugSession session{debug::test::lab_world(lab)};
    SessionViews views;
    session.add_listener(views);
    (void)session.continue_();
    const auto changes = all_of<TcpStateChanged>(session.history());
    REQUIRE(!changes.empty());
    std::size_t entries = 0;
    for (const auto& [key, timeline] : views.timeline.timelines()) {
      entries += timeline.size();
      for (std::size_t i = 1; i < timeline.size(); ++i) CHECK(timeline[i].from == timeline[i - 1].state);
    }
    CHECK(entries == changes.size());
    for (const RecordedEvent* e : changes) {
      const TcpStateChanged& c = *e->as<TcpStateChanged>();
      const auto& timeline = views.timeline.timelines().at(ConnectionKey::of(e->host, c.local, c.remote));
      const auto entry = std::find_if(timeline.begin(), timeline.end(),
                                      [&](const StateTimeline::Entry& x) { return x.event == e->sequence; });
      REQUIRE(entry != timeline.end());
      CHECK(entry->state == c.to);
      CHECK(entry->since == e->time);
      CHECK(entry->cause == c.cause);
      CHECK(entry->rfc == c.rfc);
    }
  }
}

TEST_CASE("The socket table lists the connections not CLOSED at the current position, with their send queue") {
  DebugSession session{debug::test::lab_world("close-time-wait")};
  SessionViews views;
  session.add_listener(views);
  (void)session.add_breakpoint(std::make_unique<debug::TcpStateBreakpoint>(std::nullopt, std::nullopt));
  int stops = 0;
  while (session.continue_().kind == Stop::Kind::Breakpoint) {
    ++stops;
    // What the trace says so far, worked out here from the events.
    std::map<ConnectionKey, std::string> state;
    std::map<ConnectionKey, std::uint32_t> queue;
    for (const RecordedEvent& e : session.history()) {
      if (const auto* c = e.as<TcpStateChanged>()) {
        if (c->to == "CLOSED") state.erase(ConnectionKey::of(e.host, c->local, c->remote));
        else state[ConnectionKey::of(e.host, c->local, c->remote)] = std::string{c->to};
      } else if (const auto* t = e.as<TcpVariables>()) {
        queue[ConnectionKey::of(e.host, t->local, t->remote)] = t->snd_nxt - t->snd_una;
      }
    }
    REQUIRE(views.table.rows().size() == state.size());
    for (const auto& [key, row] : views.table.rows()) {
      CHECK(state.at(key) == row.state);
      if (row.send_queue) CHECK(*row.send_queue == queue.at(key));
    }
    const std::string text = views.table.text();
    for (const auto& [key, s] : state) CHECK(text.find(key.local.to_string()) != std::string::npos);
  }
  CHECK(stops >= 6);
}

}  // namespace
}  // namespace netstep::views
