#include <catch2/catch.hpp>

#include "debug_support.hpp"
#include "pcap/bpf_predicate.hpp"

namespace netstep::debug {
namespace {

using test::first_with;
using test::lab_world;
using test::straight_run;

// Runs `scenario` to the first frame `filter` accepts; its index in the
// straight run (or -1 if the run ended first).
long stop_index(const std::string& scenario, const std::string& filter) {
  DebugSession session{lab_world(scenario)};
  (void)session.add_breakpoint(std::make_unique<FrameBreakpoint>(live::compile_bpf(filter)));
  const Stop stop = session.continue_();
  if (stop.kind != Stop::Kind::Breakpoint) return -1;
  return static_cast<long>(session.history().size()) - 1;
}

TEST_CASE("A bpf breakpoint on resets stops where the server sends its RST") {
  const auto straight = straight_run("refused");
  const long expected = first_with(straight, {"server eth frame_sent", "RST"});
  REQUIRE(expected >= 0);
  CHECK(stop_index("refused", "tcp[tcpflags] & tcp-rst != 0") == expected);
}

TEST_CASE("A bpf breakpoint on arp stops at the client's first request") {
  const auto straight = straight_run("refused");
  const long expected = first_with(straight, {"client eth frame_sent", "ARP who-has"});
  REQUIRE(expected >= 0);
  CHECK(stop_index("refused", "arp") == expected);
}

TEST_CASE("A bpf breakpoint on the SYN,ACK matches only the server's answer") {
  const auto straight = straight_run("handshake");
  const long expected = first_with(straight, {"server eth frame_sent", "SYN,ACK"});
  REQUIRE(expected >= 0);
  CHECK(stop_index("handshake", "tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack) and src host 10.0.0.2") ==
        expected);
}

TEST_CASE("A bpf filter nothing matches runs to the end") {
  CHECK(stop_index("refused", "udp port 53") == -1);
}

TEST_CASE("A bpf filter libpcap cannot compile is refused with its reason") {
  try {
    (void)live::compile_bpf("tcp port eighty-one");
    FAIL("compiled");
  } catch (const live::BpfSyntaxError& e) {
    const std::string message = e.what();
    CHECK(message.find("tcp port eighty-one") != std::string::npos);
    CHECK(message.size() > std::string{"'tcp port eighty-one': "}.size());
  }
}

TEST_CASE("A bpf breakpoint describes itself with its filter") {
  const auto predicate = live::compile_bpf("icmp");
  CHECK(FrameBreakpoint{predicate}.describe() == "a frame sent that matches bpf 'icmp'");
}

}  // namespace
}  // namespace netstep::debug
