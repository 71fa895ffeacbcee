// Internet checksum throughput, side by side in the same run with memcpy of
// the same frames (the cost of touching every byte once) and, when built
// with it, lwIP's inet_chksum.
//
//   cold: a working set of frames 8x the last-level cache, walked in order,
//         so every frame comes from DRAM (a receive ring under load);
//   hot:  one frame checksummed over and over, from L1.
//
// `--verify` instead runs a randomized equivalence check of the optimised
// checksum against a naive RFC 1071 byte-pair sum (and against lwIP).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "wire/checksum.hpp"
#ifdef NETSTEP_BENCH_WITH_LWIP
#include "lwip_peer.hpp"
#endif

namespace netstep::bench {
namespace {

// Frames handled per timed iteration, so the loop's own overhead is noise
// even for 64-byte frames.
constexpr std::size_t batch = 16;

const FrameRing& frames(std::size_t frame_size, bool hot) {
  return shared_frame_ring(frame_size, hot, batch, nullptr);  // the pattern is all a checksum needs
}

enum class Peer { Netstep, Memcpy, Lwip };

template <Peer peer>
void run(benchmark::State& state, std::size_t frame_size, bool hot) {
  const FrameRing& set = frames(frame_size, hot);
  AlignedBuffer destination{frame_size};
  std::size_t next = 0;
  for (auto _ : state) {
    for (std::size_t k = 0; k < batch; ++k) {
      const std::byte* frame = set.frame(next);
      next = next + 1 == set.count ? 0 : next + 1;
      if constexpr (peer == Peer::Netstep) {
        benchmark::DoNotOptimize(wire::internet_checksum({frame, frame_size}));
      } else if constexpr (peer == Peer::Memcpy) {
        std::memcpy(destination.data(), frame, frame_size);
        benchmark::DoNotOptimize(destination.data());
        benchmark::ClobberMemory();  // or repeated copies of a hot frame would merge
      } else {
#ifdef NETSTEP_BENCH_WITH_LWIP
        benchmark::DoNotOptimize(lwip_internet_checksum(frame, frame_size));
#endif
      }
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(batch * frame_size));
  state.counters["working_set_KiB"] = static_cast<double>(set.count * set.stride) / 1024;
}

void register_all() {
  for (const bool hot : {false, true}) {
    for (const std::size_t size : {std::size_t{1500}, std::size_t{64}}) {
      const std::string group = std::string{"checksum/"} + (hot ? "hot/" : "cold/") + std::to_string(size);
      // Peers interleave per group, so a burst of noise hits all of them alike.
      benchmark::RegisterBenchmark((group + "/netstep").c_str(),
                                   [=](benchmark::State& s) { run<Peer::Netstep>(s, size, hot); });
      benchmark::RegisterBenchmark((group + "/memcpy").c_str(),
                                   [=](benchmark::State& s) { run<Peer::Memcpy>(s, size, hot); });
#ifdef NETSTEP_BENCH_WITH_LWIP
      benchmark::RegisterBenchmark((group + "/lwip").c_str(),
                                   [=](benchmark::State& s) { run<Peer::Lwip>(s, size, hot); });
#endif
    }
  }
}

// --- --verify: the optimised sum against RFC 1071 taken literally ------------

// Big-endian 16-bit words, an odd last byte padded with zero, end-around carry.
std::uint16_t naive_sum(const std::vector<std::uint8_t>& bytes) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    const std::uint32_t hi = bytes[i];
    const std::uint32_t lo = i + 1 < bytes.size() ? bytes[i + 1] : 0;
    sum += (hi << 8) | lo;
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<std::uint16_t>(sum);
}

int verify() {
  std::mt19937_64 rng{20240611};
  std::vector<std::uint8_t> storage(70'000 + 64);
  long failures = 0;
  long cases = 0;
  auto fail = [&failures](const char* what, std::size_t offset, std::size_t length, unsigned got, unsigned want) {
    if (++failures <= 10) {
      std::printf("MISMATCH %s offset %zu length %zu: got %04x want %04x\n", what, offset, length, got, want);
    }
  };
  for (int round = 0; round < 200'000; ++round) {
    // Mostly frame-sized lengths, sometimes long ones; any start alignment.
    const std::size_t length = round % 100 == 0 ? rng() % 70'000 : rng() % 2'100;
    const std::size_t offset = rng() % 64;
    // Patterns that stress carries: all 0xff, all 0x00, random.
    const int pattern = round % 7;
    for (std::size_t i = 0; i < length; ++i) {
      storage[offset + i] = pattern == 0 ? 0xff : pattern == 1 ? 0x00 : static_cast<std::uint8_t>(rng());
    }
    const std::vector<std::uint8_t> bytes(storage.begin() + static_cast<std::ptrdiff_t>(offset),
                                          storage.begin() + static_cast<std::ptrdiff_t>(offset + length));
    const Bytes view = std::as_bytes(std::span{storage}).subspan(offset, length);
    const std::uint16_t want = naive_sum(bytes);
    ++cases;

    // Exact, not mod 0xffff: 0x0000 and 0xffff are the same ones' complement
    // number, but callers (and golden tests) see which one we return.
    const auto one_piece = wire::ones_complement_sum(view);
    if (one_piece != want) fail("ones_complement_sum", offset, length, one_piece, want);
    const auto field = wire::internet_checksum(view);
    if (field != static_cast<std::uint16_t>(~want)) fail("internet_checksum", offset, length, field, want);

    // The same bytes fed in random pieces (odd lengths included), with
    // 16-bit values spliced in through add_be16 at random points.
    wire::ChecksumAccumulator acc;
    std::vector<std::uint8_t> stream;
    std::size_t at = 0;
    while (at < length) {
      const std::size_t piece = std::min<std::size_t>(length - at, rng() % 200);
      acc.add(view.subspan(at, piece));
      stream.insert(stream.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    bytes.begin() + static_cast<std::ptrdiff_t>(at + piece));
      at += piece;
      if (rng() % 4 == 0) {
        const auto value = static_cast<std::uint16_t>(rng());
        acc.add_be16(value);
        stream.push_back(static_cast<std::uint8_t>(value >> 8));
        stream.push_back(static_cast<std::uint8_t>(value));
      }
    }
    const std::uint16_t want_stream = naive_sum(stream);
    if (acc.sum() != want_stream) fail("accumulator pieces", offset, length, acc.sum(), want_stream);

#ifdef NETSTEP_BENCH_WITH_LWIP
    if (length <= 0xffff) {
      const auto lwip = lwip_internet_checksum(reinterpret_cast<const std::byte*>(storage.data() + offset), length);
      if (lwip != field) fail("vs lwIP inet_chksum", offset, length, field, lwip);
    }
#endif
  }
  std::printf("checksum --verify: %ld cases, %ld mismatches\n", cases, failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace netstep::bench

int main(int argc, char** argv) {
  using namespace netstep::bench;
  if (take_own_flags(&argc, argv)) return verify();
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
