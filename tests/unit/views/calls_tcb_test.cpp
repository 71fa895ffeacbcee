#include <catch2/catch.hpp>

#include "views_support.hpp"

namespace netstep::views {
namespace {

using debug::DebugSession;
using test::all_of;

TEST_CASE("An error's name and number are read from a call's result as each convention spells it") {
  CHECK(error_of("-1, errno ECONNREFUSED (111)").name == "ECONNREFUSED");
  CHECK(error_of("-1, errno ECONNREFUSED (111)").number == 111);
  CHECK(error_of("-128 ENOTCONN").name == "ENOTCONN");
  CHECK_FALSE(error_of("-128 ENOTCONN").number.has_value());
  CHECK(error_of("-116 (-pdFREERTOS_ERRNO_ETIMEDOUT)").name == "pdFREERTOS_ERRNO_ETIMEDOUT");
  CHECK(error_of("-116 (-pdFREERTOS_ERRNO_ETIMEDOUT)").number == -116);
  CHECK(error_of("0").name.empty());
  CHECK_FALSE(error_of("3").number.has_value());
}

TEST_CASE("Socket calls: every call the trace records, its error and the event that caused it, for every personality") {
  for (const auto p : {socket::PersonalityId::Linux, socket::PersonalityId::FreeBsd, socket::PersonalityId::Winsock,
                       socket::PersonalityId::FreeRtos, socket::PersonalityId::TargetTcp}) {
    DebugSession session{debug::test::lab_world("refused", p)};
    SessionViews views;
    session.add_listener(views);
    (void)session.continue_();
    const auto traced = all_of<SocketCall>(session.history());
    REQUIRE(views.calls.calls().size() == traced.size());
    for (std::size_t i = 0; i < traced.size(); ++i) {
      const SocketCall& t = *traced[i]->as<SocketCall>();
      const SocketCalls::Call& c = views.calls.calls()[i];
      CHECK(c.call == t.call);
      CHECK(c.result == t.result);
      CHECK(c.rule == t.rule);
      // A failed call names its error in the result; the breakpoint on that name stops there.
      if (!c.error.empty()) {
        CHECK(c.result.find(c.error) != std::string::npos);
        debug::SocketReturnBreakpoint b{c.error};
        CHECK(b.matches(debug::as_trace_event(*traced[i])));
      }
      if (t.cause_event >= 0) {
        REQUIRE(c.cause_event == static_cast<std::uint64_t>(t.cause_event));
        CHECK(!c.cause.empty());
        const auto cause = std::find_if(session.history().begin(), session.history().end(),
                                        [&](const RecordedEvent& e) { return e.sequence == *c.cause_event; });
        REQUIRE(cause != session.history().end());
        CHECK(c.cause.find(std::string{cause->host}) == 0);
      }
    }
    const auto connect = std::find_if(views.calls.calls().begin(), views.calls.calls().end(),
                                      [](const SocketCalls::Call& c) { return c.call == "connect"; });
    REQUIRE(connect != views.calls.calls().end());
    INFO(views.calls.text());
    CHECK(!connect->error.empty());
    CHECK(views.calls.text().find(connect->result) != std::string::npos);
  }
}

TEST_CASE("The TCB view holds each connection's latest variables and their history as points in time") {
  DebugSession session{debug::test::lab_world("lossy-transfer")};
  SessionViews views;
  session.add_listener(views);
  (void)session.continue_();
  const auto traced = all_of<TcpVariables>(session.history());
  REQUIRE(traced.size() > 10);
  std::map<ConnectionKey, const RecordedEvent*> last;
  for (const RecordedEvent* e : traced) {
    const auto& t = *e->as<TcpVariables>();
    last[ConnectionKey::of(e->host, t.local, t.remote)] = e;
  }
  REQUIRE(views.tcb.connections().size() == last.size());
  for (const auto& [key, e] : last) {
    const TcbView::Connection& c = views.tcb.connections().at(key);
    CHECK(c.now == *e->as<TcpVariables>());
    CHECK(c.updated == e->time);
    const auto& una = c.history.at("snd_una");
    REQUIRE(!una.empty());
    CHECK(una.back().second == static_cast<double>(c.now.snd_una));
    for (std::size_t i = 1; i < una.size(); ++i) {
      CHECK(una[i - 1].first <= una[i].first);
      CHECK(una[i - 1].second != una[i].second);  // a point per change
    }
    CHECK(c.history.at("cwnd").back().second == static_cast<double>(c.now.cwnd));
    CHECK(views.tcb.text(key).find("SND.UNA   " + std::to_string(c.now.snd_una)) != std::string::npos);
  }
}

}  // namespace
}  // namespace netstep::views
