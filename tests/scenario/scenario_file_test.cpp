// Scenario files: what the loader accepts, how it says what it does not
// (file:line:column, found, expected), and the runner's verdicts.
#include <catch2/catch.hpp>

#include <string>

#include "event/event_loop.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_runner.hpp"
#include "scenario_test_support.hpp"
#include "trace/trace_bus.hpp"

using namespace netstep;
using namespace netstep::scenario;
using namespace netstep::scenario::test;

namespace {

const std::string header = "netstep: 1\nname: t\ntopology: default\n";

}  // namespace

TEST_CASE("a scenario on the default topology loads with its hosts, links and steps", "[scenario][files]") {
  const Scenario s = load_scenario_text(header +
                                            "personality: all\n"
                                            "steps:\n"
                                            "  client:\n"
                                            "    - socket: { as: s, type: dgram }\n"
                                            "    - connect: { socket: s, to: 10.0.0.2:9 }\n"
                                            "      expect: { linux: 0, freertos: EBADF, other: ok }\n",
                                        "t.yaml");
  CHECK(s.personalities.size() == 5);
  CHECK(s.topology.hosts.size() == 4);
  CHECK(s.topology.links.size() == 4);
  REQUIRE(s.programs.size() == 1);
  REQUIRE(s.programs[0].steps.size() == 2);
  const Step& connect = s.programs[0].steps[1];
  CHECK(connect.call == Call::Connect);
  CHECK(connect.mark.line == 8);
  CHECK(connect.mark.column == 7);
  REQUIRE(connect.expect.for_personality(socket::PersonalityId::FreeRtos) != nullptr);
  CHECK(connect.expect.for_personality(socket::PersonalityId::FreeRtos)->result->describe() == "EBADF");
  CHECK(connect.expect.for_personality(socket::PersonalityId::Winsock)->result->describe() == "success");
}

TEST_CASE("a broken scenario is refused with file, line, column, what was found and what was expected",
          "[scenario][files]") {
  CHECK(error_of("name: [unclosed\n").starts_with("t.yaml:"));
  CHECK(error_of("name: [unclosed\n").find("not valid YAML") != std::string::npos);
  CHECK(error_of(header + "colour: red\n") ==
        "t.yaml:4:1: unknown key 'colour', expected one of: netstep, name, description, personality, seed, limits, "
        "topology, steps, expect");
  CHECK(error_of(header + "steps:\n  client:\n    - socket: { as: s }\n    - conect: { socket: s }\n")
            .starts_with("t.yaml:7:7: unknown call 'conect'"));
  CHECK(error_of(header + "steps:\n  client:\n    - send: { socket: s }\n") ==
        "t.yaml:6:7: socket 's' is used before a socket or accept step makes it");
  CHECK(error_of(header + "steps:\n  client:\n    - socket: { as: s }\n    - send: { socket: s, bytes: many }\n") ==
        "t.yaml:7:33: found 'many', expected a byte count (a whole number from 0 to 16777216)");
  CHECK(error_of(header + "steps:\n  client:\n    - socket: { as: s }\n    - connect: { socket: s, to: 10.0.0.2 }\n") ==
        "t.yaml:7:33: found '10.0.0.2', expected a destination (address:port, such as 10.0.0.2:80)");
  CHECK(error_of(header + "personality: beos\n").starts_with("t.yaml:4:14: found 'beos', expected a personality"));
  CHECK(error_of(header + "steps:\n  client:\n    - socket: { as: s }\n      expect: EWHATEVER\n")
            .starts_with("t.yaml:7:15: found 'EWHATEVER', expected a result"));
}

TEST_CASE("an inconsistent topology is refused before anything runs", "[scenario][files]") {
  const std::string hosts = "netstep: 1\nname: t\ntopology:\n  hosts:\n";
  // A gateway outside every subnet of the host.
  CHECK(error_of(hosts + "    - { name: a, address: 10.0.0.1/24, gateway: 10.9.9.9 }\n"
                         "  links:\n    - { name: l, between: [a, b] }\n") ==
        "t.yaml:7:7: link 'l': no host or switch named 'b'");
  CHECK(error_of(hosts + "    - { name: a, address: 10.0.0.1/24, gateway: 10.9.9.9 }\n"
                         "    - { name: b, address: 10.0.0.2/24 }\n"
                         "  links:\n    - { name: l, between: [a, b] }\n") ==
        "t.yaml:5:7: host 'a': gateway 10.9.9.9 is outside every subnet of the host");
  CHECK(error_of(hosts + "    - { name: a, address: 10.0.0.1/24 }\n    - { name: b, address: 10.0.0.2/24 }\n") ==
        "t.yaml:5:7: host 'a': interface eth0 has no cable (add a link)");
  CHECK(error_of(hosts + "    - { name: a, address: 10.0.0.1/24 }\n    - { name: a, address: 10.0.0.2/24 }\n") ==
        "t.yaml:6:7: a second host named 'a'");
  CHECK(error_of(header.substr(0, header.size() - 8) + "{ base: default, rules: [ { link: wan, from: client, action: drop } ] }\n")
            .find("'client' is not an end of link 'wan'") != std::string::npos);
  CHECK(error_of(header.substr(0, header.size() - 8) + "{ base: default, impair: [ { link: wan, loss: 2 } ] }\n")
            .find("found '2', expected loss (a probability from 0 to 1)") != std::string::npos);
}

TEST_CASE("a run checks each call as it returns and reports what differs, with the line that expected it",
          "[scenario][files]") {
  const RunReport ok = run(header + "steps:\n  client:\n    - socket: { as: s }\n"
                                    "    - connect: { socket: s, to: 10.0.0.2:81 }\n"
                                    "      expect: { result: ECONNREFUSED, after: 400us, tolerance: 1us, state: CLOSED }\n");
  CHECK(ok.passed());
  REQUIRE(ok.steps.size() == 2);
  CHECK(ok.steps[1].result == "-1, errno ECONNREFUSED (111)");
  CHECK(ok.steps[1].explanation.find("T02") != std::string::npos);

  const RunReport wrong = run(header + "steps:\n  client:\n    - socket: { as: s }\n"
                                       "    - connect: { socket: s, to: 10.0.0.2:81 }\n"
                                       "      expect: { result: 0, after: 1s }\n");
  CHECK_FALSE(wrong.passed());
  REQUIRE(wrong.steps[1].failures.size() == 2);
  CHECK(wrong.steps[1].failures[0] == "expected 0, got -1, errno ECONNREFUSED (111)");
  CHECK(wrong.steps[1].failures[1] == "expected it to return after 1 s (+/- 0.001 s), it took 0.0004 s");

  // The same file read as Winsock: its own spelling, the same POSIX name.
  const RunReport winsock = run(header + "steps:\n  client:\n    - socket: { as: s }\n"
                                         "    - connect: { socket: s, to: 10.0.0.2:81 }\n"
                                         "      expect: WSAECONNREFUSED\n",
                                socket::PersonalityId::Winsock);
  CHECK(winsock.passed());
  CHECK(winsock.steps[1].short_result == "ECONNREFUSED");
}

TEST_CASE("segments on the wire are counted per sending host", "[scenario][files]") {
  const std::string silent = "netstep: 1\nname: t\n"
                             "topology: { base: default, rules: [ { link: client-lan, from: client, action: drop,\n"
                             "  match: { to: 10.0.1.2:80, flags: [SYN], not_flags: [ACK] } } ] }\n"
                             "steps:\n  client:\n    - socket: { as: s }\n"
                             "    - connect: { socket: s, to: 10.0.1.2:80 }\n"
                             "      expect: { result: ETIMEDOUT, after: 131s, tolerance: 10ms }\n";
  CHECK(run(silent + "expect:\n  - segments: { from: client, flags: [SYN], count: 11 }\n").passed());
  const RunReport wrong = run(silent + "expect:\n  - segments: { from: client, flags: [SYN], count: 6 }\n");
  CHECK_FALSE(wrong.passed());
  REQUIRE(wrong.problems.size() == 1);
  CHECK(wrong.problems[0] == "t.yaml:11:15: expected segments from client +SYN: exactly 6, saw 11");
}

TEST_CASE("a run that would not end stops at its limits and says so", "[scenario][files]") {
  const RunReport events = run(header + "limits: { events: 5 }\nsteps:\n  client:\n    - socket: { as: s }\n"
                                        "    - connect: { socket: s, to: 10.0.0.2:80 }\n");
  CHECK_FALSE(events.passed());
  CHECK(events.events == 5);
  REQUIRE_FALSE(events.problems.empty());
  CHECK(events.problems[0].starts_with("the run stopped at its limit of 5 events"));

  // A server left waiting in accept(): the call never returns.
  const RunReport blocked = run(header + "limits: { time: 10s }\nsteps:\n  server:\n    - socket: { as: l }\n"
                                         "    - bind: { socket: l, address: 0.0.0.0:80 }\n"
                                         "    - listen: { socket: l }\n    - accept: { socket: l, as: c }\n");
  CHECK_FALSE(blocked.passed());
  REQUIRE_FALSE(blocked.problems.empty());
  CHECK(blocked.problems.back().find("accept(l) as c never returned") != std::string::npos);
}

TEST_CASE("a host's ephemeral_ports narrows the ports it picks, and a bad range is refused with its place",
          "[scenario][files]") {
  const std::string hosts = "netstep: 1\nname: t\ntopology:\n  hosts:\n"
                            "    - { name: a, address: 10.0.0.1/24, ephemeral_ports: ";
  const std::string rest = " }\n    - { name: b, address: 10.0.0.2/24 }\n"
                           "  links:\n    - { name: w, between: [a, b] }\n";
  const Scenario s = load_scenario_text(hosts + "40000-40003" + rest, "t.yaml");
  REQUIRE(s.topology.hosts[0].ephemeral_ports.has_value());
  CHECK(s.topology.hosts[0].ephemeral_ports->first == 40000);
  CHECK(s.topology.hosts[0].ephemeral_ports->last == 40003);
  CHECK(!s.topology.hosts[1].ephemeral_ports.has_value());
  for (const char* bad : {"40003-40000", "0-10", "40000", "40000-70000", "a-b"}) {
    INFO(bad);
    CHECK_THAT(error_of(hosts + bad + rest), Catch::Contains("t.yaml:5:") && Catch::Contains("a port range FIRST-LAST"));
  }
}

TEST_CASE("recv until_end reads to the end of the stream and returns the bytes read in all", "[scenario][files]") {
  const std::string steps = header +
                            "steps:\n"
                            "  server:\n"
                            "    - socket: { as: l }\n"
                            "    - bind: { socket: l, address: 10.0.0.2:80 }\n"
                            "    - listen: { socket: l }\n"
                            "    - accept: { socket: l, as: c }\n"
                            "    - recv: { socket: c, bytes: 100, until_end: true }\n"
                            "      expect: ";
  const std::string client = "\n  client:\n"
                             "    - socket: { as: s }\n"
                             "    - connect: { socket: s, to: 10.0.0.2:80 }\n"
                             "    - send: { socket: s, bytes: 1000 }\n"
                             "    - send: { socket: s, bytes: 2000 }\n"
                             "    - close: s\n";
  CHECK(run(steps + "3000" + client).passed());
  const RunReport wrong = run(steps + "2999" + client);
  CHECK(!wrong.passed());
  CHECK(error_of(header + "steps:\n  server:\n    - socket: { as: c }\n"
                          "    - recv: { socket: c, until_end: true, dontwait: true }\n")
            .find("t.yaml:7:13: until_end reads until the peer closes") != std::string::npos);
}
