#include <catch2/catch.hpp>

#include <sstream>

#include "app/ping.hpp"
#include "sinks/jsonl_sink.hpp"
#include "sinks/narrative_sink.hpp"
#include "topology/default_topology.hpp"

using namespace netstep;

namespace {

// The JSON Lines of one lossy ping run across the router.
std::string trace_of(std::uint64_t seed) {
  EventLoop loop;
  TraceBus bus{loop};
  std::ostringstream out;
  JsonlSink jsonl{out};
  bus.attach(jsonl);
  topology::DefaultTopologyOptions options;
  options.seed = seed;
  options.loss = 0.25;
  topology::DefaultTopology network{loop, bus, options};
  Ping ping{loop, network.client().tracer(), network.client().icmp(),
            PingConfig{Ipv4Address{10, 0, 1, 2}, 10, 1s, 56, 10s, 0, 1}};
  ping.start();
  while (!ping.done() && loop.run_next()) {
  }
  return out.str();
}

}  // namespace

TEST_CASE("same seed, byte-identical JSON Lines, another seed, another run", "[scenario][determinism]") {
  const std::string first = trace_of(1234);
  const std::string second = trace_of(1234);
  const std::string other = trace_of(4321);
  CHECK(first.size() > 10000);
  CHECK(first == second);
  CHECK(first != other);
}

TEST_CASE("every JSON line carries version, sequence, time, host, layer and kind", "[scenario][trace]") {
  std::istringstream lines{trace_of(1)};
  std::string line;
  std::uint64_t expected_sequence = 0;
  while (std::getline(lines, line)) {
    INFO(line);
    REQUIRE(line.rfind("{\"v\":1,\"seq\":" + std::to_string(expected_sequence) + ",\"t_ns\":", 0) == 0);
    CHECK(line.find("\"host\":\"") != std::string::npos);
    CHECK(line.find("\"layer\":\"") != std::string::npos);
    CHECK(line.find("\"kind\":\"") != std::string::npos);
    CHECK(line.back() == '}');
    ++expected_sequence;
  }
  CHECK(expected_sequence > 100);
}

TEST_CASE("with no sink attached, nothing is built and the run is the same", "[scenario][trace]") {
  EventLoop loop;
  TraceBus bus{loop};
  topology::DefaultTopology network{loop, bus};
  Ping ping{loop, network.client().tracer(), network.client().icmp(),
            PingConfig{Ipv4Address{10, 0, 0, 2}, 3, 1s, 56, 10s, 0, 1}};
  ping.start();
  while (!ping.done() && loop.run_next()) {
  }
  CHECK(ping.statistics().received == 3);
  CHECK(bus.events_emitted() == 0);
}
