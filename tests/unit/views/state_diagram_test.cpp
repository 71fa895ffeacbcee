#include <catch2/catch.hpp>

#include <set>

#include "views_support.hpp"
#include "views/state_diagram.hpp"

namespace netstep::views {
namespace {

using debug::DebugSession;

StateTimeline timeline_of(const std::string& lab, socket::PersonalityId p = socket::PersonalityId::Linux) {
  DebugSession session{debug::test::lab_world(lab, p)};
  SessionViews views;
  session.add_listener(views);
  (void)session.continue_();
  return views.timeline;
}

TEST_CASE("The diagram has RFC 9293's eleven states in twelve boxes on a grid and its twenty arrows between them") {
  std::set<std::string_view> names;
  std::set<std::string_view> ids;
  std::set<std::pair<int, int>> cells;
  for (const DiagramState& s : rfc9293_states()) {
    names.insert(s.name);
    ids.insert(s.id);
    cells.insert({s.column, s.row});
  }
  CHECK(names.size() == 11);
  CHECK(ids.size() == 12);  // CLOSED twice, as the RFC draws it
  CHECK(cells.size() == 12);
  CHECK(rfc9293_edges().size() == 20);
  for (const DiagramEdge& e : rfc9293_edges()) {
    CHECK(find_box(e.from) != nullptr);
    CHECK(find_box(e.to) != nullptr);
  }
  REQUIRE(find_edge("SYN-SENT", "ESTABLISHED") != nullptr);
  CHECK(find_edge("SYN-SENT", "ESTABLISHED")->event == "rcv SYN,ACK");
  CHECK(find_edge("ESTABLISHED", "SYN-SENT") == nullptr);
}

TEST_CASE("The client of the handshake goes CLOSED, SYN-SENT, ESTABLISHED and on to the close along the figure's arrows") {
  StateDiagram diagram;
  diagram.select(timeline_of("handshake"));
  REQUIRE(diagram.connection());
  CHECK(diagram.connection()->host == "client");
  REQUIRE(diagram.path().size() >= 2);
  CHECK(diagram.path()[0].from == "CLOSED");
  CHECK(diagram.path()[0].to == "SYN-SENT");
  CHECK(diagram.path()[1].to == "ESTABLISHED");
  REQUIRE(diagram.path()[1].edge != nullptr);
  CHECK(diagram.path()[1].edge->action == "snd ACK");
  for (const auto& step : diagram.path()) CHECK(step.edge != nullptr);
  CHECK(diagram.current() == diagram.path().back().to);
  CHECK(diagram.text().find("path: CLOSED -> SYN-SENT -> ESTABLISHED") != std::string::npos);
}

TEST_CASE("A refused connect ends with a transition the figure does not draw, and says so") {
  StateDiagram diagram;
  diagram.select(timeline_of("refused"));
  REQUIRE(diagram.last());
  CHECK(diagram.last()->from == "SYN-SENT");
  CHECK(diagram.last()->to == "CLOSED");
  CHECK(diagram.last()->edge == nullptr);
  CHECK(diagram.current() == "CLOSED");
  CHECK(diagram.current_box() == "CLOSED");
  const std::string text = diagram.text();
  CHECK(text.find("not drawn in the figure") != std::string::npos);
  CHECK(text.find("rcv RST,ACK") != std::string::npos);
}

TEST_CASE("The server's side of the handshake is selected by its key and goes through LISTEN-less SYN-RECEIVED") {
  const StateTimeline timeline = timeline_of("handshake");
  std::optional<ConnectionKey> server;
  for (const auto& [key, entries] : timeline.timelines()) {
    if (key.host == "server") server = key;
  }
  REQUIRE(server);
  StateDiagram diagram;
  diagram.select(timeline, server);
  REQUIRE(!diagram.path().empty());
  CHECK(diagram.path().front().to == "SYN-RECEIVED");
  REQUIRE(diagram.path().front().edge != nullptr);
  CHECK(diagram.path().front().edge->from == "LISTEN");
  CHECK(diagram.connection()->host == "server");
}

TEST_CASE("The active closer walks FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT and back to CLOSED by the 2MSL arrow") {
  // close-time-wait.yaml: the first connection's TIME-WAIT is taken over by
  // a new connect() (Linux's tcp_tw_reuse, which the figure does not draw);
  // the second one's runs out its 2 MSL.
  StateDiagram diagram;
  diagram.select(timeline_of("close-time-wait"));
  REQUIRE(diagram.last());
  std::string walked;
  int not_drawn = 0;
  for (const auto& step : diagram.path()) {
    walked += step.to + " ";
    if (step.edge == nullptr) {
      ++not_drawn;
      CHECK(step.cause.find("tcp_tw_reuse") != std::string::npos);
    }
  }
  CHECK(not_drawn == 1);
  CHECK(walked.find("FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT CLOSED") != std::string::npos);
  REQUIRE(diagram.last()->edge != nullptr);
  CHECK(diagram.last()->edge->event == "Timeout=2MSL");
  CHECK(diagram.current_box() == "CLOSED (end)");
}

TEST_CASE("Before any connection the diagram is at CLOSED with nothing selected") {
  StateDiagram diagram;
  diagram.select(StateTimeline{});
  CHECK_FALSE(diagram.connection());
  CHECK(diagram.current() == "CLOSED");
  CHECK(diagram.text() == "no TCP connection yet\n");
}

}  // namespace
}  // namespace netstep::views
