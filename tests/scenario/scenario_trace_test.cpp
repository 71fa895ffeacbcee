// What a scenario run puts in the trace about socket calls: one event per
// call the program made, and none that it did not make.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "event/event_loop.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_runner.hpp"
#include "sinks/recorder.hpp"
#include "trace/trace_bus.hpp"

using namespace netstep;
using namespace netstep::scenario;

TEST_CASE("accept() traces itself only, not a socket() call the program never made", "[scenario][files]") {
  const Scenario s = load_scenario_text(
      "netstep: 1\nname: t\ntopology: default\n"
      "steps:\n"
      "  server:\n"
      "    - socket: { as: l }\n"
      "    - bind: { socket: l, address: 10.0.0.2:80 }\n"
      "    - listen: { socket: l }\n"
      "    - accept: { socket: l, as: c }\n"
      "      expect: 4\n"
      "  client:\n"
      "    - socket: { as: s }\n"
      "    - connect: { socket: s, to: 10.0.0.2:80 }\n",
      "t.yaml");
  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  bus.attach(recorder);
  const RunReport report = run_scenario(s, socket::PersonalityId::Linux, loop, bus);
  bus.detach(recorder);
  CHECK(report.passed());

  std::vector<std::string> server_calls;
  for (const RecordedEvent* e : recorder.all<SocketCall>()) {
    if (e->host == "server") {
      const SocketCall& call = *e->as<SocketCall>();
      server_calls.push_back(std::string{call.call} + "(" + std::to_string(call.fd) + ") -> " + std::string{call.result});
    }
  }
  CHECK(server_calls == std::vector<std::string>{"socket(3) -> 3", "bind(3) -> 0", "listen(3) -> 0", "accept(3) -> 4"});
}
