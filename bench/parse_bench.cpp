// Frames parsed and validated per second: Ethernet -> IPv4 (header checksum)
// -> UDP (pseudo-header checksum), the receive path's parsing work, side by
// side in the same run with memcpy of the same frames (touching every byte
// once, the least any receive path does).
//
//   cold: a ring of distinct frames 8x the last-level cache, walked in order;
//   hot:  one frame parsed over and over.
//
// Frame sizes: 64 bytes (the Ethernet minimum without FCS is 60; 64 is the
// classic small-packet figure) and 1514 bytes (a full 1500-byte IPv4 packet).
// lwIP has no parse path callable without a running stack (ip4_input needs a
// netif and pbufs), so memcpy is the only peer here.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "bench_support.hpp"
#include "wire/ethernet.hpp"
#include "wire/ipv4.hpp"
#include "wire/udp.hpp"

namespace netstep::bench {
namespace {

constexpr std::size_t batch = 16;  // frames per timed iteration

const Ipv4Address source{10, 0, 0, 1};
const Ipv4Address destination{10, 0, 0, 2};

// Writes valid Ethernet, IPv4 and UDP headers (checksums included) around the
// payload already in place in `frame`, with the stack's own emit().
void emit_frame(MutableBytes frame, std::uint16_t identification) {
  using namespace wire;
  const std::size_t udp_length = frame.size() - EthernetView::header_length_untagged - Ipv4Repr::header_length;
  EthernetRepr eth{MacAddress::local(2), MacAddress::local(1), ethertype::ipv4, std::nullopt};
  eth.emit(frame);
  Ipv4Repr ip;
  ip.source = source;
  ip.destination = destination;
  ip.protocol = ip_protocol::udp;
  ip.identification = identification;
  ip.dont_fragment = true;
  ip.payload_length = static_cast<std::uint16_t>(udp_length);
  const MutableBytes packet = frame.subspan(eth.header_length());
  ip.emit(packet);
  const MutableBytes datagram = packet.subspan(Ipv4Repr::header_length);
  const Bytes payload = datagram.subspan(UdpView::header_length);
  UdpRepr udp{Port{5000}, Port{7}, payload};
  udp.emit(datagram, source, destination);  // payload is in place: emit writes the header and checksum
}

// What the receive path does with a frame: parse and validate each layer.
// Returns the UDP payload size, 0 if any layer refused the frame.
std::size_t parse_frame(Bytes frame) {
  using namespace wire;
  const auto eth = EthernetRepr::parse(frame);
  if (!eth || eth->ethertype != ethertype::ipv4) return 0;
  const Bytes packet = frame.subspan(eth->header_length());
  const auto ip = Ipv4Repr::parse(packet);
  if (!ip || ip->protocol != ip_protocol::udp) return 0;
  const Bytes datagram = packet.subspan(ip->parsed_header_length, ip->payload_length);
  const auto udp = UdpRepr::parse(datagram, ip->source, ip->destination);
  if (!udp) return 0;
  return udp->payload.size() + 1;  // + 1: an empty payload is still a parsed frame
}

const FrameRing& ring(std::size_t frame_size, bool hot) {
  return shared_frame_ring(frame_size, hot, batch, [](std::span<std::byte> frame, std::size_t i) {
    emit_frame(frame, static_cast<std::uint16_t>(i));
  });
}

enum class Peer { Netstep, Memcpy };

template <Peer peer>
void run(benchmark::State& state, std::size_t frame_size, bool hot) {
  const FrameRing& frames = ring(frame_size, hot);
  for (std::size_t i = 0; i < frames.count; ++i) {
    if (parse_frame(Bytes{frames.frame(i), frames.frame_size}) == 0) {
      state.SkipWithError("a generated frame does not parse");
      return;
    }
  }
  AlignedBuffer destination_buffer{frame_size};
  std::size_t next = 0;
  for (auto _ : state) {
    for (std::size_t k = 0; k < batch; ++k) {
      const Bytes frame{frames.frame(next), frames.frame_size};
      next = next + 1 == frames.count ? 0 : next + 1;
      if constexpr (peer == Peer::Netstep) {
        benchmark::DoNotOptimize(parse_frame(frame));
      } else {
        std::memcpy(destination_buffer.data(), frame.data(), frame.size());
        benchmark::DoNotOptimize(destination_buffer.data());
        benchmark::ClobberMemory();
      }
    }
  }
  const auto frames_done = state.iterations() * static_cast<std::int64_t>(batch);
  state.SetItemsProcessed(frames_done);
  state.SetBytesProcessed(frames_done * static_cast<std::int64_t>(frame_size));
}

void register_all() {
  for (const bool hot : {false, true}) {
    for (const std::size_t size : {std::size_t{64}, std::size_t{1514}}) {
      const std::string group = std::string{"parse/"} + (hot ? "hot/" : "cold/") + std::to_string(size);
      benchmark::RegisterBenchmark((group + "/netstep").c_str(),
                                   [=](benchmark::State& s) { run<Peer::Netstep>(s, size, hot); });
      benchmark::RegisterBenchmark((group + "/memcpy").c_str(),
                                   [=](benchmark::State& s) { run<Peer::Memcpy>(s, size, hot); });
    }
  }
}

}  // namespace
}  // namespace netstep::bench

int main(int argc, char** argv) {
  using namespace netstep::bench;
  if (take_own_flags(&argc, argv)) {
    std::printf("parse bench has no --verify mode; frames are checked before each benchmark runs\n");
    return 2;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  std::printf("cold working set: %zu MiB (last-level cache %zu KiB)\n", cold_working_set_bytes() >> 20,
              last_level_cache_bytes() >> 10);
  register_all();
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
