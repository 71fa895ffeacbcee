// Trace queries on the scenario library: the values a lab question's
// answer is computed from agree with the trace itself.
#include <catch2/catch.hpp>

#include "debug/debug_session.hpp"
#include "run_trace.hpp"
#include "scenario/debug_world.hpp"
#include "scenario/scenario_loader.hpp"
#include "socket/personality.hpp"
#include "trace_query.hpp"

using namespace netstep;
using namespace netstep::lab;

namespace {

RunTrace run_of(const std::string& file, const std::string& personality) {
  const auto s = scenario::load_scenario_file(std::string{NETSTEP_SOURCE_DIR} + "/labs/scenarios/" + file);
  return record_run(s, socket::Personality::find(personality)->id());
}

TraceQuery query(FindKind find, std::map<std::string, std::vector<std::string>> where, std::string field, int nth = 1) {
  TraceQuery q;
  q.find = find;
  q.where = std::move(where);
  q.field = std::move(field);
  q.nth = nth;
  q.place.file = "test";
  return q;
}

}  // namespace

TEST_CASE("the client's SYN seq is the one the trace shows", "[lab]") {
  const RunTrace trace = run_of("handshake.yaml", "linux");
  const auto r = run_query(trace, query(FindKind::Segment, {{"from", {"client"}}, {"flags", {"SYN"}}, {"not_flags", {"ACK"}}}, "seq"));
  REQUIRE(r.found);
  REQUIRE(r.value);
  const TracedEvent* syn = nullptr;
  for (const auto& e : trace.events) {
    if (e.kind == "tcp_segment" && e.host == "client" && e.field("direction") == "sent" && e.integer("flags") == 2) {
      syn = &e;
      break;
    }
  }
  REQUIRE(syn != nullptr);
  CHECK(r.event == syn->sequence);
  CHECK(*r.value->number == static_cast<double>(syn->integer("seq")));
  // Relative to its own ISN the SYN is 0, and the SYN,ACK acknowledges 1.
  const auto rel = run_query(trace, query(FindKind::Segment, {{"from", {"client"}}, {"flags", {"SYN"}}}, "rel_seq"));
  CHECK(*rel.value->number == 0);
  const auto synack = run_query(trace, query(FindKind::Segment, {{"from", {"server"}}, {"flags", {"SYN,ACK"}}}, "rel_ack"));
  CHECK(*synack.value->number == 1);
  const auto flags = run_query(trace, query(FindKind::Segment, {{"from", {"server"}}, {"flags", {"SYN"}}}, "flags"));
  CHECK(flags.value->text == "SYN,ACK");
  const auto mss = run_query(trace, query(FindKind::Segment, {{"from", {"client"}}, {"flags", {"SYN"}}}, "mss"));
  REQUIRE(mss.value);
  CHECK(*mss.value->number == 1460);
}

TEST_CASE("silent-host under linux sends 11 SYNs", "[lab]") {
  const RunTrace trace = run_of("silent-host.yaml", "linux");
  const auto r = run_query(trace, query(FindKind::Segment, {{"from", {"client"}}, {"flags", {"SYN"}}, {"not_flags", {"ACK"}}}, "count"));
  CHECK(r.matches == 11);
  CHECK(*r.value->number == 11);
  // The last SYN goes out 67 s after the first; the gap before it is 32 s.
  const auto last = run_query(trace, query(FindKind::Segment, {{"from", {"client"}}, {"flags", {"SYN"}}}, "since_start", 0));
  CHECK(last.value->duration == std::chrono::seconds{67});
  const auto gap = run_query(trace, query(FindKind::Segment, {{"from", {"client"}}, {"flags", {"SYN"}}}, "interval", 10));
  CHECK(gap.value->duration == std::chrono::seconds{32});
  const auto timeout = run_query(trace, query(FindKind::Call, {{"host", {"client"}}, {"call", {"connect"}}}, "result"));
  CHECK(timeout.value->text == "ETIMEDOUT");
}

TEST_CASE("refused: connect's result is ECONNREFUSED, with a duration and errno", "[lab]") {
  const RunTrace trace = run_of("refused.yaml", "linux");
  const auto result = run_query(trace, query(FindKind::Call, {{"host", {"client"}}, {"call", {"connect"}}}, "result"));
  REQUIRE(result.found);
  CHECK(result.value->text == "ECONNREFUSED");
  const auto duration = run_query(trace, query(FindKind::Call, {{"call", {"connect"}}}, "duration"));
  REQUIRE(duration.value);
  REQUIRE(duration.value->duration);
  CHECK(*duration.value->duration == std::chrono::microseconds{400});
  const auto number = run_query(trace, query(FindKind::Call, {{"call", {"connect"}}, {"error", {"ECONNREFUSED"}}}, "errno"));
  CHECK(*number.value->number == 111);
  const auto value = run_query(trace, query(FindKind::Call, {{"call", {"connect"}}}, "value"));
  CHECK(*value.value->number == -1);
  const auto state = run_query(trace, query(FindKind::State, {{"host", {"client"}}, {"to", {"closed"}}}, "from"));
  CHECK(state.value->text == "SYN-SENT");
  const auto rfc = run_query(trace, query(FindKind::State, {{"host", {"client"}}, {"to", {"SYN_SENT"}}}, "rfc"));
  CHECK(rfc.value->text.find("RFC 9293") != std::string::npos);
  const auto arp = run_query(trace, query(FindKind::Frame, {{"from", {"client"}}, {"arp", {"request"}}}, "count"));
  CHECK(*arp.value->number == 1);
  const auto ttl = run_query(trace, query(FindKind::Frame, {{"from", {"client"}}, {"protocol", {"tcp"}}}, "ttl"));
  CHECK(*ttl.value->number == 64);
}

TEST_CASE("winsock's refused connect: the error is spelled WSAECONNREFUSED, read back as ECONNREFUSED", "[lab]") {
  const RunTrace trace = run_of("refused.yaml", "winsock");
  const auto result = run_query(trace, query(FindKind::Call, {{"call", {"connect"}}}, "result"));
  CHECK(result.value->text == "ECONNREFUSED");
  const auto number = run_query(trace, query(FindKind::Call, {{"call", {"connect"}}}, "errno"));
  CHECK(*number.value->number == 10061);
}

TEST_CASE("a query that matches nothing says so, and count is zero", "[lab]") {
  const RunTrace trace = run_of("refused.yaml", "linux");
  const auto none = run_query(trace, query(FindKind::Segment, {{"from", {"server"}}, {"flags", {"FIN"}}}, "seq"));
  CHECK_FALSE(none.found);
  const auto count = run_query(trace, query(FindKind::Segment, {{"from", {"server"}}, {"flags", {"FIN"}}}, "count"));
  CHECK(*count.value->number == 0);
}

TEST_CASE("the event numbers are the debugger's", "[lab]") {
  // `netstep lab open ... --at N` must land on the event the checker named:
  // the same numbers, the same kinds, as the debug session reveals them.
  const std::string file = std::string{NETSTEP_SOURCE_DIR} + "/labs/scenarios/handshake.yaml";
  auto s = std::make_shared<const scenario::Scenario>(scenario::load_scenario_file(file));
  const RunTrace trace = record_run(*s, s->personalities.front());
  debug::DebugSession session{scenario::debug_world_factory(s, s->personalities.front())};
  while (!session.at_end()) (void)session.continue_();
  const auto history = session.history();
  REQUIRE(history.size() == trace.events.size());
  for (std::size_t i = 0; i < history.size(); ++i) {
    CHECK(history[i].sequence == trace.events[i].sequence);
    CHECK(std::string{kind_of(history[i].payload)} == trace.events[i].kind);
  }
}
