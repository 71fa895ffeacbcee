// The cost of writing a capture while a scenario runs, side by side in the
// same run. The scenario: a bulk TCP transfer from client to server across
// the default topology's switch (no loss), --capture_kib KiB (default
// 12288: about 104,000 trace events and 13,000 frames), the whole run
// timed: building the topology, the handshake, the transfer, the close.
//
//   capture/bulk/netstep            no sink attached: no event is even built
//   capture/bulk/netstep+counter    a sink that counts events: the cost of
//                                   building and delivering them
//   capture/bulk/netstep+pcapng     PcapngWriter (comments on) to a stream
//                                   that counts its bytes and keeps none
//   capture/bulk/netstep+pcap       PcapWriter (classic pcap through
//                                   libpcap, no comments) to /dev/null
//   capture/bulk/netstep+jsonl      JsonlSink to the counting stream, for
//                                   comparison
//
// items/second counts trace events (the same run emits the same events
// whether or not anything listens), so RatioReporter's "netstep+pcapng /
// netstep" is the fraction of the untraced speed kept with a capture
// written: 0.5 is "the capture doubles the run time".
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "bench_support.hpp"
#include "capture/pcapng_writer.hpp"
#ifdef NETSTEP_CAPTURE_HAS_PCAP
#include "capture/pcap_writer.hpp"
#endif
#include "sinks/jsonl_sink.hpp"
#include "tcp/listener.hpp"
#include "tcp/tcp_layer.hpp"
#include "topology/default_topology.hpp"

namespace netstep::bench {
namespace {

std::uint64_t transfer_bytes = std::uint64_t{12288} << 10;
constexpr std::size_t app_buffer_bytes = std::size_t{1} << 20;
const Endpoint server_http{Ipv4Address{10, 0, 0, 2}, Port{80}};

// The default topology's cables and the host interfaces on them.
std::vector<capture::CaptureLink> default_links() {
  return {{"client-lan", {{"client", "eth0"}}},
          {"server-lan", {{"server", "eth0"}}},
          {"router-lan", {{"router", "eth0"}}},
          {"wan", {{"router", "eth1"}, {"remote", "eth0"}}}};
}

class EventCounter final : public TraceSink {
 public:
  void receive(const TraceEvent&) override { ++events; }
  std::uint64_t events = 0;
};

enum class Sink { None, Counter, Pcapng, Pcap, Jsonl };

struct RunResult {
  std::uint64_t events = 0;
  std::uint64_t output_bytes = 0;
  std::uint64_t frames = 0;
};

// One whole scenario: topology, handshake, transfer, close.
RunResult run_scenario(Sink sink, const std::vector<std::byte>& source) {
  EventLoop loop;
  TraceBus bus{loop};
  topology::DefaultTopology network{loop, bus};
  CountingBuffer buffer;
  std::ostream out{&buffer};
  EventCounter counter;
  std::unique_ptr<capture::PcapngWriter> pcapng;
#ifdef NETSTEP_CAPTURE_HAS_PCAP
  std::unique_ptr<capture::PcapWriter> pcap;
#endif
  std::unique_ptr<JsonlSink> jsonl;
  switch (sink) {
    case Sink::None: break;
    case Sink::Counter: bus.attach(counter); break;
    case Sink::Pcapng:
      pcapng = std::make_unique<capture::PcapngWriter>(out, default_links());
      bus.attach(*pcapng);
      break;
    case Sink::Pcap:
#ifdef NETSTEP_CAPTURE_HAS_PCAP
      pcap = std::make_unique<capture::PcapWriter>("/dev/null", default_links());
      bus.attach(*pcap);
#endif
      break;
    case Sink::Jsonl:
      jsonl = std::make_unique<JsonlSink>(out);
      bus.attach(*jsonl);
      break;
  }

  tcp::Listener& listener = network.server().tcp().listen(server_http, 8);
  auto connected = network.client().tcp().connect(server_http);
  if (!connected) throw std::runtime_error("connect() failed");
  tcp::Connection& client = *connected.value();
  tcp::Connection* server = nullptr;
  std::vector<std::byte> sink_buffer(app_buffer_bytes);
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  while (received < transfer_bytes) {
    if (server == nullptr && listener.pending() > 0) server = listener.accept();
    while (sent < transfer_bytes) {
      const std::size_t offset = static_cast<std::size_t>(sent % source.size());
      const std::size_t chunk =
          static_cast<std::size_t>(std::min<std::uint64_t>(transfer_bytes - sent, source.size() - offset));
      const std::size_t queued = client.send(Bytes{source}.subspan(offset, chunk));
      if (queued == 0) break;
      sent += queued;
    }
    if (server != nullptr) {
      for (std::size_t n; (n = server->receive(MutableBytes{sink_buffer})) > 0;) received += n;
    }
    if (received >= transfer_bytes) break;
    if (!loop.run_next()) throw std::runtime_error("the transfer stalled");
  }
  client.close();
  server->close();
  loop.run_until(loop.now() + 1s);

  RunResult result;
  result.events = bus.events_emitted();
  if (pcapng) {
    pcapng->finish();
    result.frames = pcapng->frames_written();
  }
  result.output_bytes = buffer.bytes;
  bus.detach(counter);
  if (pcapng) bus.detach(*pcapng);
  if (jsonl) bus.detach(*jsonl);
#ifdef NETSTEP_CAPTURE_HAS_PCAP
  if (pcap) {
    pcap->finish();
    result.frames = pcap->frames_written();
    bus.detach(*pcap);
  }
#endif
  return result;
}

const std::vector<std::byte>& source_data() {
  static const std::vector<std::byte> data = [] {
    std::vector<std::byte> d(app_buffer_bytes);
    fill_pattern(d, 7);
    return d;
  }();
  return data;
}

// The events one run emits, from an untimed counting run (the same for
// every sink: the run is deterministic).
std::uint64_t events_per_run() {
  static const std::uint64_t events = run_scenario(Sink::Counter, source_data()).events;
  return events;
}

void bulk(benchmark::State& state, Sink sink) {
  const std::uint64_t events = events_per_run();
  RunResult last;
  for (auto _ : state) {
    last = run_scenario(sink, source_data());
    benchmark::DoNotOptimize(last);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events) * state.iterations());
  state.counters["events"] = static_cast<double>(events);
  if (sink == Sink::Pcapng || sink == Sink::Pcap) state.counters["frames"] = static_cast<double>(last.frames);
  if (sink == Sink::Pcapng || sink == Sink::Jsonl) state.counters["out_MB"] = static_cast<double>(last.output_bytes) / 1e6;
}

void take_capture_flags(int* argc, char** argv) {
  strip_flags(argc, argv, [](std::string_view arg) {
    const auto kib = flag_number(arg, "--capture_kib=");
    if (kib) transfer_bytes = *kib << 10;
    return kib.has_value();
  });
}

}  // namespace
}  // namespace netstep::bench

int main(int argc, char** argv) {
  using namespace netstep::bench;
  take_capture_flags(&argc, argv);
  benchmark::RegisterBenchmark("capture/bulk/netstep", bulk, Sink::None)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("capture/bulk/netstep+counter", bulk, Sink::Counter)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("capture/bulk/netstep+pcapng", bulk, Sink::Pcapng)->Unit(benchmark::kMillisecond);
#ifdef NETSTEP_CAPTURE_HAS_PCAP
  benchmark::RegisterBenchmark("capture/bulk/netstep+pcap", bulk, Sink::Pcap)->Unit(benchmark::kMillisecond);
#endif
  benchmark::RegisterBenchmark("capture/bulk/netstep+jsonl", bulk, Sink::Jsonl)->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  if (transfer_bytes == 0) {
    std::fprintf(stderr, "--capture_kib must be at least 1\n");
    return 2;
  }
  std::printf("capture/bulk: %llu KiB client -> server on the default topology, %llu trace events per run\n",
              static_cast<unsigned long long>(transfer_bytes >> 10),
              static_cast<unsigned long long>(events_per_run()));
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
