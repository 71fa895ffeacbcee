#include <catch2/catch.hpp>

#include "debug_support.hpp"

namespace netstep::debug {
namespace {

using test::first_with;
using test::lab_world;
using test::line_of;
using test::straight_run;

// The stop's event as a line, and its index in the straight run.
std::string stop_line(const DebugSession& session) { return line_of(as_trace_event(session.history().back())); }

TEST_CASE("A state breakpoint stops at the first change to that state, on that host") {
  const auto straight = straight_run("refused");
  DebugSession session{lab_world("refused")};
  const int id = session.add_breakpoint(std::make_unique<TcpStateBreakpoint>("SYN-SENT", "client"));
  const Stop stop = session.continue_();
  REQUIRE(stop.kind == Stop::Kind::Breakpoint);
  CHECK(stop.breakpoint == id);
  const RecordedEvent& event = session.history().back();
  REQUIRE(event.as<TcpStateChanged>() != nullptr);
  CHECK(event.as<TcpStateChanged>()->to == "SYN-SENT");
  CHECK(event.host == "client");
  CHECK(stop.event == event.sequence);
  CHECK(stop.why.find("state SYN-SENT on client") != std::string::npos);
  const long expected = first_with(straight, {"client tcp tcp_state", "-> SYN-SENT"});
  REQUIRE(expected >= 0);
  CHECK(session.history().size() == static_cast<std::size_t>(expected) + 1);
  // Nothing else enters SYN-SENT: the next continue runs to the end.
  CHECK(session.continue_().kind == Stop::Kind::End);
  CHECK(session.history().size() == straight.size());
}

TEST_CASE("Any state change stops at every tcp_state event in turn") {
  const auto straight = straight_run("handshake");
  DebugSession session{lab_world("handshake")};
  (void)session.add_breakpoint(std::make_unique<TcpStateBreakpoint>(std::nullopt, std::nullopt));
  std::vector<std::string> stops;
  while (session.continue_().kind == Stop::Kind::Breakpoint) stops.push_back(stop_line(session));
  std::vector<std::string> changes;
  for (const std::string& l : straight) {
    if (l.find(" tcp_state: ") != std::string::npos) changes.push_back(l);
  }
  CHECK(changes.size() >= 4);
  CHECK(stops == changes);
}

TEST_CASE("A return breakpoint stops at the socket call that returned the error, by name or number") {
  const auto straight = straight_run("refused");
  const long expected = first_with(straight, {"socket_call", "ECONNREFUSED"});
  REQUIRE(expected >= 0);
  for (const std::string error : {"ECONNREFUSED", "111"}) {
    DebugSession session{lab_world("refused")};
    (void)session.add_breakpoint(std::make_unique<SocketReturnBreakpoint>(error));
    REQUIRE(session.continue_().kind == Stop::Kind::Breakpoint);
    CHECK(session.history().size() == static_cast<std::size_t>(expected) + 1);
    REQUIRE(session.history().back().as<SocketCall>() != nullptr);
    CHECK(session.history().back().as<SocketCall>()->call == "connect");
  }
  DebugSession session{lab_world("refused")};
  (void)session.add_breakpoint(std::make_unique<SocketReturnBreakpoint>("11"));  // not a whole word of "(111)"
  CHECK(session.continue_().kind == Stop::Kind::End);
}

TEST_CASE("A return breakpoint by POSIX name stops on Winsock's and FreeRTOS+TCP's spellings of the error") {
  // Winsock: WSAECONNREFUSED after its SYNs were all refused.
  DebugSession winsock{lab_world("refused", socket::PersonalityId::Winsock)};
  (void)winsock.add_breakpoint(std::make_unique<SocketReturnBreakpoint>("ECONNREFUSED"));
  REQUIRE(winsock.continue_().kind == Stop::Kind::Breakpoint);
  REQUIRE(winsock.history().back().as<SocketCall>() != nullptr);
  CHECK(std::string{winsock.history().back().as<SocketCall>()->result}.find("WSAECONNREFUSED") != std::string::npos);
  // FreeRTOS+TCP: the silent host ends in -pdFREERTOS_ERRNO_ENOTCONN.
  DebugSession freertos{lab_world("silent-host", socket::PersonalityId::FreeRtos)};
  (void)freertos.add_breakpoint(std::make_unique<SocketReturnBreakpoint>("ENOTCONN"));
  REQUIRE(freertos.continue_().kind == Stop::Kind::Breakpoint);
  REQUIRE(freertos.history().back().as<SocketCall>() != nullptr);
  CHECK(std::string{freertos.history().back().as<SocketCall>()->result}.find("pdFREERTOS_ERRNO_ENOTCONN") !=
        std::string::npos);
  // A name that is not POSIX's is only matched as written.
  DebugSession literal{lab_world("refused", socket::PersonalityId::Winsock)};
  (void)literal.add_breakpoint(std::make_unique<SocketReturnBreakpoint>("CONNREFUSED"));
  CHECK(literal.continue_().kind == Stop::Kind::End);
}

TEST_CASE("A timer breakpoint stops when the named timer fires") {
  const auto straight = straight_run("silent-host");
  const long expected = first_with(straight, {"timer_fired", "retransmission"});
  REQUIRE(expected >= 0);
  DebugSession session{lab_world("silent-host")};
  (void)session.add_breakpoint(std::make_unique<TimerBreakpoint>("Retransmission"));
  REQUIRE(session.continue_().kind == Stop::Kind::Breakpoint);
  CHECK(session.history().size() == static_cast<std::size_t>(expected) + 1);
  const auto* fired = session.history().back().as<TimerFired>();
  REQUIRE(fired != nullptr);
  CHECK(std::string{fired->name}.find("retransmission") != std::string::npos);
}

// A test double for a BPF filter: "tcp[tcpflags] & tcp-rst != 0".
struct RstFrames final : FramePredicate {
  [[nodiscard]] bool matches(Bytes frame) const override {
    if (frame.size() < 34) return false;
    const auto byte = [&](std::size_t i) { return std::to_integer<unsigned>(frame[i]); };
    if (byte(12) != 0x08 || byte(13) != 0x00 || byte(23) != 6) return false;
    const std::size_t flags = 14 + (byte(14) & 0x0fU) * 4 + 13;
    return flags < frame.size() && (byte(flags) & 0x04U) != 0;
  }
  [[nodiscard]] std::string describe() const override { return "tcp-rst"; }
};

TEST_CASE("A frame breakpoint stops when a host sends a frame the predicate accepts") {
  const auto straight = straight_run("refused");
  const long expected = first_with(straight, {"server eth frame_sent", "RST"});
  REQUIRE(expected >= 0);
  DebugSession session{lab_world("refused")};
  (void)session.add_breakpoint(std::make_unique<FrameBreakpoint>(std::make_shared<RstFrames>()));
  const Stop stop = session.continue_();
  REQUIRE(stop.kind == Stop::Kind::Breakpoint);
  CHECK(stop.why.find("tcp-rst") != std::string::npos);
  CHECK(session.history().size() == static_cast<std::size_t>(expected) + 1);
  CHECK(session.history().back().as<FrameSent>() != nullptr);
}

TEST_CASE("Breakpoints can be listed and removed") {
  DebugSession session{lab_world("refused")};
  const int a = session.add_breakpoint(std::make_unique<TcpStateBreakpoint>("SYN-SENT", std::nullopt));
  const int b = session.add_breakpoint(std::make_unique<TimerBreakpoint>(""));
  CHECK(a != b);
  CHECK(session.breakpoints().size() == 2);
  CHECK(session.remove_breakpoint(a));
  CHECK_FALSE(session.remove_breakpoint(a));
  REQUIRE(session.breakpoints().size() == 1);
  CHECK(session.breakpoints().front().description == "any timer firing");
  (void)session.remove_breakpoint(b);
  CHECK(session.continue_().kind == Stop::Kind::End);
  CHECK(session.history().size() == straight_run("refused").size());
}

}  // namespace
}  // namespace netstep::debug
