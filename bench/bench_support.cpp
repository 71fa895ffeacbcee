#include "bench_support.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <utility>

namespace netstep::bench {

namespace {
std::size_t cold_override_mib = 0;

// "32768K" / "1M" / "512" as sysfs spells cache sizes.
std::size_t parse_cache_size(std::string text) {
  if (text.empty()) return 0;
  std::size_t multiplier = 1;
  switch (text.back()) {
    case 'K': multiplier = 1024; text.pop_back(); break;
    case 'M': multiplier = 1024 * 1024; text.pop_back(); break;
    case 'G': multiplier = 1024 * 1024 * 1024; text.pop_back(); break;
    default: break;
  }
  return std::strtoull(text.c_str(), nullptr, 10) * multiplier;
}
}  // namespace

std::size_t last_level_cache_bytes() {
  std::size_t largest = 0;
  std::error_code ec;
  const std::filesystem::path dir{"/sys/devices/system/cpu/cpu0/cache"};
  for (const auto& entry : std::filesystem::directory_iterator{dir, ec}) {
    std::ifstream in{entry.path() / "size"};
    std::string size;
    if (in >> size) largest = std::max(largest, parse_cache_size(size));
  }
  return largest != 0 ? largest : std::size_t{32} << 20;
}

void set_cold_working_set_mib(std::size_t mib) { cold_override_mib = mib; }

std::size_t cold_working_set_bytes() {
  if (cold_override_mib != 0) return cold_override_mib << 20;
  return std::max(8 * last_level_cache_bytes(), std::size_t{64} << 20);
}

AlignedBuffer::AlignedBuffer(std::size_t size)
    : data_{static_cast<std::byte*>(std::aligned_alloc(64, (size + 63) / 64 * 64))}, size_{size} {
  if (!data_) throw std::bad_alloc{};
  std::memset(data_.get(), 0, size);
}

void fill_pattern(std::span<std::byte> bytes, std::uint64_t seed) {
  std::uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
  for (auto& b : bytes) {
    x ^= x << 13;  // xorshift64: any fixed non-trivial pattern will do
    x ^= x >> 7;
    x ^= x << 17;
    b = static_cast<std::byte>(x >> 56);
  }
}

FrameRing::FrameRing(std::size_t size, std::size_t bytes, std::size_t min_count)
    : frame_size{size},
      stride{(size + 63) / 64 * 64},
      count{std::max<std::size_t>(bytes / stride, min_count)},
      storage{count * stride} {
  fill_pattern({storage.data(), storage.size()}, size);
}

const FrameRing& shared_frame_ring(std::size_t frame_size, bool hot, std::size_t min_count,
                                   void (*prepare)(std::span<std::byte> frame, std::size_t index)) {
  static std::map<std::pair<std::size_t, bool>, std::unique_ptr<FrameRing>> rings;
  auto& ring = rings[{frame_size, hot}];
  if (!ring) {
    ring = std::make_unique<FrameRing>(frame_size, hot ? frame_size : cold_working_set_bytes(), min_count);
    if (prepare != nullptr) {
      for (std::size_t i = 0; i < ring->count; ++i) prepare(ring->mutable_frame(i), i);
    }
  }
  return *ring;
}

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  ConsoleReporter::ReportRuns(runs);
  for (const Run& run : runs) {
    if (run.error_occurred) continue;
    const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
    if (run.run_type == Run::RT_Aggregate && !median) continue;
    double rate = 0;
    if (auto it = run.counters.find("bytes_per_second"); it != run.counters.end()) rate = it->second;
    else if (auto items = run.counters.find("items_per_second"); items != run.counters.end()) rate = items->second;
    if (rate <= 0) continue;
    const std::string& name = run.run_name.function_name;
    const auto slash = name.rfind('/');
    if (slash == std::string::npos) continue;
    Figure& figure = groups_[name.substr(0, slash)][name.substr(slash + 1)];
    // With repetitions the median wins over the single runs it summarises.
    if (median || !figure.from_median) figure = Figure{rate, median};
  }
}

void RatioReporter::Finalize() {
  ConsoleReporter::Finalize();
  std::printf("\nRatios (netstep rate / peer rate, same run; > 1 means netstep is faster):\n");
  for (const auto& [group, peers] : groups_) {
    const auto ours = peers.find("netstep");
    if (ours == peers.end()) continue;
    for (const auto& [peer, figure] : peers) {
      if (peer == "netstep" || peer.starts_with("netstep+")) continue;
      std::printf("  %-32s netstep / %-10s = %6.2f\n", group.c_str(), peer.c_str(), ours->second.rate / figure.rate);
    }
    // A variant of netstep ("netstep+recorder"): how much of the plain rate it keeps.
    for (const auto& [peer, figure] : peers) {
      if (!peer.starts_with("netstep+")) continue;
      std::printf("  %-32s %s / netstep = %6.2f\n", group.c_str(), peer.c_str(), figure.rate / ours->second.rate);
    }
  }
  std::fflush(stdout);
}

bool take_own_flags(int* argc, char** argv) {
  bool verify = false;
  strip_flags(argc, argv, [&](std::string_view arg) {
    if (arg == "--verify") return verify = true;
    if (const auto mib = flag_number(arg, "--cold_mib=")) {
      set_cold_working_set_mib(static_cast<std::size_t>(*mib));
      return true;
    }
    return false;
  });
  return verify;
}

void strip_flags(int* argc, char** argv, const std::function<bool(std::string_view)>& take) {
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    if (!take(argv[i])) argv[out++] = argv[i];
  }
  *argc = out;
}

std::optional<std::uint64_t> flag_number(std::string_view arg, std::string_view prefix) {
  if (!arg.starts_with(prefix)) return std::nullopt;
  return std::strtoull(std::string{arg.substr(prefix.size())}.c_str(), nullptr, 10);
}

std::string lossy_transfer_scenario(std::uint64_t kib) {
  constexpr std::uint64_t send_kib = 64;
  const std::uint64_t sends = (kib + send_kib - 1) / send_kib;
  std::string text =
      "netstep: 1\nname: lossy-transfer-bench\n"
      "topology:\n  base: default\n  impair:\n    - { link: client-lan, loss: 0.01 }\n"
      "limits: { time: 600s }\n"
      "steps:\n  server:\n"
      "    - socket: { as: l }\n"
      "    - bind: { socket: l, address: 10.0.0.2:80 }\n"
      "    - listen: { socket: l }\n"
      "    - accept: { socket: l, as: c }\n";
  text += "    - recv: { socket: c, bytes: 65536, until_end: true }\n      expect: " +
          std::to_string(sends * send_kib * 1024) + "\n";
  text += "    - close: c\n  client:\n    - socket: { as: s }\n    - connect: { socket: s, to: 10.0.0.2:80 }\n";
  for (std::uint64_t i = 0; i < sends; ++i) text += "    - send: { socket: s, bytes: 65536 }\n";
  text += "    - close: s\n";
  return text;
}

}  // namespace netstep::bench
