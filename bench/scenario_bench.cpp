// A scenario file run as `netstep run` runs it, headless, timed whole:
// loading and checking the YAML, building the network, every socket call,
// the transfer, the close. The scenario: on the default topology the client
// send()s --scenario_kib KiB (default 13312: about 100,000 trace events) in
// 64 KiB calls to the server, which reads to the end of the stream; 1% of
// the frames on the client's cable are lost, so recovery is part of the run.
//
//   scenario/run/netstep           no sink: what `netstep run -q` costs
//   scenario/run/netstep+pcapng    PcapngWriter (comments on) attached as
//                                  `--pcap` attaches it, to a stream that
//                                  counts bytes and keeps none
//   scenario/run/netstep+jsonl     JsonlSink to the same stream (`--trace`)
//
// --print_scenario writes the scenario as YAML (for `netstep run`) and exits.
//
// items/second counts trace events, so RatioReporter's
// "netstep+pcapng / netstep" is the fraction of the headless speed kept
// with a capture written: 0.5 means the capture doubles the run time.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "bench_support.hpp"
#include "capture/pcapng_writer.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_runner.hpp"
#include "scenario/scenario_world.hpp"
#include "sinks/jsonl_sink.hpp"
#include "topology/capture_links.hpp"

namespace netstep::bench {
namespace {

std::uint64_t scenario_kib = 13312;
bool print_only = false;  // --print_scenario: write the YAML and exit


enum class Sink { None, Pcapng, Jsonl };

struct RunResult {
  std::uint64_t loop_events = 0;   // timers and frame deliveries the loop ran
  std::uint64_t trace_events = 0;  // counted only while a sink listens
  std::uint64_t output_bytes = 0;
  bool passed = false;
};

RunResult run_once(const std::string& text, Sink sink) {
  const scenario::Scenario s = scenario::load_scenario_text(text, "bench.yaml");
  EventLoop loop;
  TraceBus bus{loop};
  CountingBuffer buffer;
  std::ostream out{&buffer};
  std::unique_ptr<capture::PcapngWriter> pcapng;
  std::unique_ptr<JsonlSink> jsonl;
  if (sink == Sink::Jsonl) {
    jsonl = std::make_unique<JsonlSink>(out);
    bus.attach(*jsonl);
  }
  const scenario::RunReport report =
      scenario::run_scenario(s, socket::PersonalityId::Linux, loop, bus, [&](scenario::ScenarioWorld& world) {
        if (sink != Sink::Pcapng) return;
        pcapng = std::make_unique<capture::PcapngWriter>(out, topology::capture_links(world.network()));
        bus.attach(*pcapng);
      });
  if (pcapng) {
    pcapng->finish();
    bus.detach(*pcapng);
  }
  if (jsonl) bus.detach(*jsonl);
  return RunResult{report.events, bus.events_emitted(), buffer.bytes, report.passed()};
}

const std::string& text() {
  static const std::string t = lossy_transfer_scenario(scenario_kib);
  return t;
}

// The trace events of one run, from an untimed run with a sink (the run
// is deterministic: the same events whether or not anything listens).
const RunResult& probe() {
  static const RunResult result = run_once(text(), Sink::Jsonl);
  return result;
}

void run(benchmark::State& state, Sink sink) {
  RunResult last;
  for (auto _ : state) {
    last = run_once(text(), sink);
    benchmark::DoNotOptimize(last);
  }
  if (!last.passed) state.SkipWithError("the scenario did not pass: the figures would not be of a complete run");
  state.SetItemsProcessed(static_cast<std::int64_t>(probe().trace_events) * state.iterations());
  state.counters["trace_events"] = static_cast<double>(probe().trace_events);
  state.counters["loop_events"] = static_cast<double>(last.loop_events);
  if (sink != Sink::None) state.counters["out_MB"] = static_cast<double>(last.output_bytes) / 1e6;
}

void take_scenario_flags(int* argc, char** argv) {
  strip_flags(argc, argv, [](std::string_view arg) {
    if (arg == "--print_scenario") return print_only = true;
    const auto kib = flag_number(arg, "--scenario_kib=");
    if (kib) scenario_kib = *kib;
    return kib.has_value();
  });
}

}  // namespace
}  // namespace netstep::bench

int main(int argc, char** argv) {
  using namespace netstep::bench;
  take_scenario_flags(&argc, argv);
  if (scenario_kib == 0) {
    std::fprintf(stderr, "--scenario_kib must be at least 1\n");
    return 2;
  }
  if (print_only) {
    std::fputs(text().c_str(), stdout);  // netstep run FILE runs the same
    return 0;
  }
  benchmark::RegisterBenchmark("scenario/run/netstep", run, Sink::None)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("scenario/run/netstep+pcapng", run, Sink::Pcapng)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("scenario/run/netstep+jsonl", run, Sink::Jsonl)->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  std::printf("scenario/run: %llu KiB client -> server in 64 KiB send() calls, 1%% loss: %llu trace events, "
              "%llu loop events per run; %s\n",
              static_cast<unsigned long long>(scenario_kib), static_cast<unsigned long long>(probe().trace_events),
              static_cast<unsigned long long>(probe().loop_events),
              probe().passed ? "every expectation held" : "THE SCENARIO FAILED");
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return probe().passed ? 0 : 1;
}
