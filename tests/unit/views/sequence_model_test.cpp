#include <catch2/catch.hpp>

#include "views_support.hpp"

namespace netstep::views {
namespace {

using debug::DebugSession;
using debug::Stop;
using test::all_of;

TEST_CASE("The diagram has an arrow per frame sent, with the sender's TCP numbers and who took it") {
  DebugSession session{debug::test::lab_world("handshake")};
  SessionViews views;
  session.add_listener(views);
  (void)session.continue_();
  const auto history = session.history();
  const auto sent = all_of<FrameSent>(history);
  REQUIRE(!sent.empty());
  std::size_t from_hosts = 0;
  for (const Arrow& a : views.diagram.arrows()) from_hosts += a.from.empty() ? 0U : 1U;
  CHECK(from_hosts == sent.size());
  // Every frame received was taken by some arrow's receivers.
  std::size_t taken = 0;
  for (const Arrow& a : views.diagram.arrows()) taken += a.to.size();
  CHECK(taken == all_of<FrameReceived>(history).size());
  // Each TCP segment the trace says was sent is on exactly one arrow from its host.
  const auto segments = all_of<TcpSegment>(history);
  std::size_t sent_segments = 0;
  for (const RecordedEvent* e : segments) {
    const TcpSegment& s = *e->as<TcpSegment>();
    if (s.direction != "sent") continue;
    ++sent_segments;
    const auto arrow = std::find_if(views.diagram.arrows().begin(), views.diagram.arrows().end(), [&](const Arrow& a) {
      return a.from == e->host && a.tcp && a.tcp->seq == s.seq && a.tcp->ack == s.ack && a.tcp->flags == s.flags;
    });
    REQUIRE(arrow != views.diagram.arrows().end());
    CHECK(arrow->tcp->relative_seq == s.relative_seq);
    CHECK(arrow->tcp->relative_ack == s.relative_ack);
    CHECK(arrow->tcp->window == s.window);
    CHECK(arrow->tcp->length == s.length);
    CHECK(arrow->delivered());
    if ((s.flags & 0x02) != 0) CHECK(arrow->label.find("SYN") != std::string::npos);
  }
  CHECK(sent_segments >= 3);
  // A row per state change, beside its host.
  std::size_t states = 0;
  for (const DiagramRow& r : views.diagram.rows()) states += r.kind == DiagramRow::Kind::State ? 1U : 0U;
  CHECK(states == all_of<TcpStateChanged>(history).size());
  CHECK(views.diagram.lifelines().size() >= 2);
}

TEST_CASE("A frame the wire loses is an arrow dropped, with who dropped it and why") {
  DebugSession session{debug::test::lab_world("silent-host")};
  SessionViews views;
  session.add_listener(views);
  (void)session.continue_();
  std::vector<const RecordedEvent*> drops;
  for (const RecordedEvent* e : all_of<Dropped>(session.history())) {
    if (!e->frame.empty() && e->as<Dropped>()->reason != "not addressed to this interface") drops.push_back(e);
  }
  REQUIRE(!drops.empty());
  std::size_t dropped = 0;
  for (const Arrow& a : views.diagram.arrows()) {
    if (!a.dropped) continue;
    ++dropped;
    CHECK(!a.drop_reason.empty());
    CHECK(!a.dropped_by.empty());
  }
  CHECK(dropped >= 1);
  CHECK(dropped <= drops.size());
  CHECK(views.diagram.text().find("dropped by " + std::string{drops.front()->as<Dropped>()->interface}) !=
        std::string::npos);
}

TEST_CASE("The diagram's current row follows the session, and going back rebuilds it") {
  DebugSession session{debug::test::lab_world("refused")};
  SessionViews views;
  session.add_listener(views);
  (void)session.add_breakpoint(std::make_unique<debug::TcpStateBreakpoint>("CLOSED", std::nullopt));
  REQUIRE(session.continue_().kind == Stop::Kind::Breakpoint);
  REQUIRE(views.diagram.current_row().has_value());
  const DiagramRow& row = views.diagram.rows()[*views.diagram.current_row()];
  CHECK(row.event == session.history().back().sequence);
  CHECK(row.text == "[CLOSED]");
  CHECK(views.diagram.text().find("> #" + std::to_string(row.event)) != std::string::npos);
  const std::string at_stop = views.diagram.text();
  (void)session.step();
  (void)session.step();
  (void)session.step_back();
  (void)session.step_back();
  // Where the breakpoint stopped is mid loop event: back at the loop event's end, then forward.
  DebugSession fresh{debug::test::lab_world("refused")};
  SessionViews fresh_views;
  fresh.add_listener(fresh_views);
  (void)fresh.run_to(session.position());
  CHECK(views.diagram.text() == fresh_views.diagram.text());
  CHECK(views.timeline.text() == fresh_views.timeline.text());
}

}  // namespace
}  // namespace netstep::views

namespace netstep::views {
namespace {

// The views read the trace stream and nothing else: fed by a plain sink
// during a straight run (no session), they end as the session's do.
struct Feed final : TraceSink {
  SessionViews& views;
  explicit Feed(SessionViews& v) : views{v} {}
  void receive(const TraceEvent& e) override { views.revealed(e); }
};

TEST_CASE("Views fed by the trace stream of a straight run show what views fed by the session show") {
  for (const std::string lab : {"handshake", "silent-host", "lossy-transfer"}) {
    SessionViews straight;
    {
      const auto s = debug::test::lab(lab);
      EventLoop loop;
      TraceBus bus{loop};
      Feed feed{straight};
      bus.attach(feed);
      (void)scenario::run_scenario(*s, socket::PersonalityId::Linux, loop, bus);
      bus.detach(feed);
    }
    DebugSession session{debug::test::lab_world(lab)};
    SessionViews stepped;
    session.add_listener(stepped);
    (void)session.continue_();
    CHECK(straight.diagram.text() == stepped.diagram.text());
    CHECK(straight.timeline.text() == stepped.timeline.text());
    CHECK(straight.table.text() == stepped.table.text());
    CHECK(straight.calls.text() == stepped.calls.text());
    CHECK(straight.tcb.text() == stepped.tcb.text());
    CHECK(!stepped.diagram.arrows().empty());
  }
}

}  // namespace
}  // namespace netstep::views
