// A host whose TCP the scenario scripts (tcp: scripted): what the loader
// accepts and refuses, and that the runner fails a step whose segment does
// not match, with a message that says what was expected and what came.
#include <catch2/catch.hpp>

#include <string>

#include "app/ping.hpp"
#include "event/event_loop.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_runner.hpp"
#include "scenario/scenario_world.hpp"
#include "scenario_test_support.hpp"
#include "trace/trace_bus.hpp"

using namespace netstep;
using namespace netstep::scenario;
using namespace netstep::scenario::test;

namespace {

// Lines 1-8; steps start on line 9.
const std::string two_hosts =
    "netstep: 1\n"
    "name: t\n"
    "topology:\n"
    "  hosts:\n"
    "    - { name: client, address: 10.0.0.1/24 }\n"
    "    - { name: server, address: 10.0.0.2/24, tcp: scripted }\n"
    "  links:\n"
    "    - { name: wire, between: [client, server] }\n";

const std::string client_connects =
    "steps:\n"
    "  client:\n"
    "    - socket: { as: s }\n"
    "    - connect: { socket: s, to: 10.0.0.2:80 }\n"
    "  server:\n";

std::vector<std::string> failures_of(const RunReport& report) {
  std::vector<std::string> out;
  for (const StepRecord& s : report.steps) out.insert(out.end(), s.failures.begin(), s.failures.end());
  return out;
}

}  // namespace

TEST_CASE("segment steps load with flags as letters and relative numbers", "[scenario][scripted]") {
  const Scenario s = load_scenario_text(two_hosts + client_connects +
                                            "    - expect_segment: { flags: S, seq: 0, mss: 1460, sack_permitted: true, within: 3s }\n"
                                            "      expect: { after: 1s, tolerance: 10ms }\n"
                                            "    - inject: { flags: S., ack: 1, win: 8192, wscale: 7, isn: 5, data: 10 }\n"
                                            "    - expect_segment: { flags: . }\n"
                                            "    - expect_no_segment: 2s\n",
                                        "t.yaml");
  CHECK(s.topology.find_host("server")->scripted_tcp);
  CHECK_FALSE(s.topology.find_host("client")->scripted_tcp);
  const std::vector<Step>& steps = s.programs[1].steps;
  REQUIRE(steps.size() == 4);
  CHECK(steps[0].call == Call::ExpectSegment);
  CHECK(steps[0].segment.flags == 0x02);
  CHECK(steps[0].segment.seq == 0U);
  CHECK(steps[0].segment.mss == 1460);
  CHECK(steps[0].segment.sack_permitted == true);
  CHECK_FALSE(steps[0].segment.ack.has_value());
  CHECK(steps[0].segment.within == std::chrono::seconds{3});
  CHECK(steps[0].expect.all->after == std::chrono::seconds{1});
  CHECK(steps[1].call == Call::Inject);
  CHECK(steps[1].injected.flags == 0x12);
  CHECK_FALSE(steps[1].injected.seq.has_value());
  CHECK(steps[1].injected.ack == 1U);
  CHECK(steps[1].injected.window == 8192);
  CHECK(steps[1].injected.isn == 5U);
  CHECK(steps[1].injected.data == 10);
  CHECK(steps[2].segment.flags == 0x10);
  CHECK(steps[3].call == Call::ExpectNoSegment);
  CHECK(steps[3].duration == std::chrono::seconds{2});
  CHECK(steps[1].describe() == "inject(SYN,ACK ack=1 len=10 win=8192 wscale=7)");
}

TEST_CASE("segment steps are refused on a host with a stack, socket calls on a scripted one", "[scenario][scripted]") {
  CHECK(error_of(two_hosts + client_connects + "    - connect: { socket: s, to: 10.0.0.1:80 }\n") ==
        "t.yaml:14:7: host 'server' has tcp: scripted: its steps are expect_segment, expect_no_segment, inject and "
        "wait, not connect");
  CHECK(error_of(two_hosts + "steps:\n  client:\n    - expect_segment: { flags: S }\n") ==
        "t.yaml:11:7: expect_segment is a step of a scripted host: give host 'client' tcp: scripted");
  CHECK(error_of(two_hosts + client_connects + "    - inject: { flags: S }\n") ==
        "t.yaml:14:7: this inject opens (no expect_segment before it): give to: and from_port:");
  CHECK(error_of(two_hosts + client_connects + "    - expect_segment: { flags: SX }\n")
            .starts_with("t.yaml:14:32: found 'SX', expected TCP flags as letters"));
  CHECK(error_of(two_hosts + client_connects + "    - expect_segment: { seq: 0 }\n")
            .starts_with("t.yaml:14:23: missing 'flags'"));
  CHECK(error_of(two_hosts + client_connects + "    - expect_segment: { flags: S, window: 5 }\n")
            .starts_with("t.yaml:14:35: unknown key 'window'"));
  CHECK(error_of(two_hosts + client_connects + "    - expect_segment: { flags: S }\n      expect: ECONNRESET\n") ==
        "t.yaml:15:15: a segment step's expect gives after and tolerance only (what the segment holds goes in the "
        "step itself)");
  CHECK(error_of(two_hosts + client_connects + "    - inject: { flags: S, to: 10.0.0.1:40000, from_port: 0 }\n")
            .starts_with("t.yaml:14:58: found '0', expected a port"));
  const std::string bad_tcp = "netstep: 1\nname: t\ntopology:\n  hosts:\n    - { name: a, address: 10.0.0.1/24, tcp: fake }\n";
  CHECK(error_of(bad_tcp).starts_with("t.yaml:5:45: found 'fake', expected scripted"));
}

TEST_CASE("a scripted server completes a stack client's handshake and sees its FIN", "[scenario][scripted]") {
  const RunReport report = run(two_hosts +
                               "steps:\n"
                               "  client:\n"
                               "    - socket: { as: s }\n"
                               "    - connect: { socket: s, to: 10.0.0.2:80 }\n"
                               "      expect: 0\n"
                               "    - close: s\n"
                               "  server:\n"
                               "    - expect_segment: { flags: S, seq: 0, mss: 1460 }\n"
                               "    - inject: { flags: S., ack: 1, mss: 1460 }\n"
                               "    - expect_segment: { flags: ., seq: 1, ack: 1 }\n"
                               "    - expect_segment: { flags: F., seq: 1, ack: 1 }\n"
                               "    - inject: { flags: F., ack: 2 }\n"
                               "    - expect_segment: { flags: ., seq: 2, ack: 2 }\n");
  CHECK(failures_of(report).empty());
  CHECK(report.problems.empty());
  CHECK(report.steps[3].result.starts_with("SYN seq=0 win="));
  CHECK(report.steps[4].result == "sent SYN,ACK seq=0 ack=1 win=65535 mss=1460");
  CHECK(report.steps[4].short_result == "sent SYN,ACK");
  CHECK(report.passed());
}

TEST_CASE("a segment that does not match fails its step with expected and got", "[scenario][scripted]") {
  // The client's SYN has no ACK: the step that wants a SYN,ACK must fail.
  const RunReport report = run(two_hosts + client_connects + "    - expect_segment: { flags: SA, seq: 0, ack: 1 }\n");
  const std::vector<std::string> failures = failures_of(report);
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].starts_with("expected SYN,ACK seq=0 ack=1, got SYN seq=0 win="));
  CHECK_FALSE(report.passed());
}

TEST_CASE("a segment that never comes fails its step after within", "[scenario][scripted]") {
  const RunReport report = run(two_hosts +
                               "steps:\n"
                               "  server:\n"
                               "    - expect_segment: { flags: S, within: 2s }\n");
  const std::vector<std::string> failures = failures_of(report);
  REQUIRE(failures.size() == 1);
  CHECK(failures[0] == "expected SYN within 2 s, nothing arrived");
  CHECK(report.steps[0].returned_at == Instant{std::chrono::seconds{2}});
}

TEST_CASE("a segment during expect_no_segment fails it, and a late one fails after:", "[scenario][scripted]") {
  const RunReport quiet = run(two_hosts + client_connects + "    - expect_no_segment: 2s\n");
  REQUIRE(failures_of(quiet).size() == 1);
  CHECK(failures_of(quiet)[0].starts_with("expected no segment for 2 s, got SYN seq=0"));

  const RunReport late = run(two_hosts + client_connects +
                             "    - expect_segment: { flags: S }\n"
                             "    - expect_segment: { flags: S }\n"
                             "      expect: { after: 3s, tolerance: 10ms }\n");
  REQUIRE(failures_of(late).size() == 1);
  // The first SYN waited for ARP, so the second comes a little under 1 s later.
  CHECK(failures_of(late)[0].starts_with("expected it to return after 3 s (+/- 0.01 s), it took 0.99"));
}

TEST_CASE("the scripted host still answers ARP and ping", "[scenario][scripted]") {
  // The client's SYN reaches the script only if ARP for 10.0.0.2 was answered.
  const RunReport report = run(two_hosts + client_connects + "    - expect_segment: { flags: S, within: 100ms }\n");
  CHECK(failures_of(report).empty());
}

TEST_CASE("the host's own TCP layer is out of the way: a SYN to a closed port draws no RST", "[scenario][scripted]") {
  // With the host's TcpLayer still registered, the SYN (no listener) would be
  // answered with a RST; the script alone decides what the server sends.
  const RunReport report = run(two_hosts + client_connects +
                               "    - expect_segment: { flags: S }\n"
                               "expect:\n"
                               "  - segments: { from: server, count: 0 }\n");
  CHECK(failures_of(report).empty());
  for (const std::string& p : report.problems) CHECK(p.find("segments from server") == std::string::npos);
}

TEST_CASE("a script that opens: SYN to a listening stack, which answers SYN,ACK and accepts", "[scenario][scripted]") {
  const RunReport report = run(two_hosts +
                               "steps:\n"
                               "  client:\n"
                               "    - socket: { as: l }\n"
                               "    - bind: { socket: l, address: 0.0.0.0:80 }\n"
                               "    - listen: { socket: l }\n"
                               "    - accept: { socket: l, as: c }\n"
                               "      expect: ok\n"
                               "    - recv: { socket: c, bytes: 100 }\n"
                               "      expect: 10\n"
                               "    - close: c\n"
                               "  server:\n"
                               "    - inject: { flags: S, isn: 7, to: 10.0.0.1:80, from_port: 40000, mss: 1460 }\n"
                               "      at: 10ms\n"
                               "    - expect_segment: { flags: S., seq: 0, ack: 1 }\n"
                               "    - inject: { flags: . }\n"
                               "    - inject: { flags: P., data: 10 }\n"
                               "    - expect_segment: { flags: F., seq: 1, ack: 11 }\n"
                               "      note: close() right after recv(), so the FIN carries the ACK\n"
                               "    - inject: { flags: F. }\n"
                               "    - expect_segment: { flags: ., seq: 2, ack: 12 }\n");
  CHECK(failures_of(report).empty());
  CHECK(report.passed());
  REQUIRE(report.steps.size() == 13);
  CHECK(report.steps[6].result == "sent SYN seq=0 win=65535 mss=1460");
  CHECK(report.steps[8].result == "sent ACK seq=1 ack=1 win=65535");
  CHECK(report.steps[9].result == "sent PSH,ACK seq=1 ack=1 len=10 win=65535");
}

TEST_CASE("a scripted host keeps ICMP: it answers ping", "[scenario][scripted]") {
  using namespace std::chrono_literals;
  const Scenario s = load_scenario_text(two_hosts, "t.yaml");
  EventLoop loop;
  TraceBus bus{loop};
  ScenarioWorld world{s, socket::PersonalityId::Linux, loop, bus};
  Host& client = world.host("client");
  Ping ping{loop, client.tracer(), client.icmp(), PingConfig{*Ipv4Address::parse("10.0.0.2"), 2, 1s, 56, 10s, 0, 1}};
  ping.start();
  while (!ping.done() && loop.run_next()) {
  }
  CHECK(ping.statistics().received == 2);
}
