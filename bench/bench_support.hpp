#pragma once
// Shared by the benchmarks: cache-sized working sets, aligned frame buffers,
// and a reporter that prints each netstep figure as a ratio to its peers
// measured in the same run (absolute numbers vary by machine; ratios travel).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace netstep::bench {

// The largest CPU cache the OS reports (the last level), in bytes; 32 MiB
// if it reports none.
std::size_t last_level_cache_bytes();

// Bytes in the cold working set: --cold_mib=N if given, else 8x the last
// level cache (at least 64 MiB), so walking it always misses the caches.
std::size_t cold_working_set_bytes();
void set_cold_working_set_mib(std::size_t mib);

// A 64-byte-aligned, zero-initialised byte buffer (every page touched once,
// so page faults never land inside a timed loop).
class AlignedBuffer {
 public:
  explicit AlignedBuffer(std::size_t size);
  [[nodiscard]] std::byte* data() { return data_.get(); }
  [[nodiscard]] const std::byte* data() const { return data_.get(); }
  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(std::byte* p) const { std::free(p); }
  };
  std::unique_ptr<std::byte, Free> data_;
  std::size_t size_;
};

// Fills with a fixed pseudo-random pattern (the same every run).
void fill_pattern(std::span<std::byte> bytes, std::uint64_t seed);

// Frames laid out back to back, each on a 64-byte boundary, as in a receive
// ring: at least `min_count` of them, enough to fill `bytes`. They hold a
// pattern until the benchmark writes real frames into them.
struct FrameRing {
  std::size_t frame_size;
  std::size_t stride;
  std::size_t count;
  AlignedBuffer storage;
  FrameRing(std::size_t size, std::size_t bytes, std::size_t min_count);
  [[nodiscard]] const std::byte* frame(std::size_t i) const { return storage.data() + i * stride; }
  [[nodiscard]] std::span<std::byte> mutable_frame(std::size_t i) { return {storage.data() + i * stride, frame_size}; }
};

// One ring per (frame size, hot) for the whole run, built on first use: a
// hot ring is a single frame (it stays in L1), a cold one fills the cold
// working set. `prepare` (may be null) writes frame i of a new ring.
const FrameRing& shared_frame_ring(std::size_t frame_size, bool hot, std::size_t min_count,
                                   void (*prepare)(std::span<std::byte> frame, std::size_t index));

// Prints the console table, then for each group "a/b/.../peer" the ratio of
// the netstep row's bytes/s (or items/s) to every other peer's row.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 private:
  struct Figure {
    double rate = 0;
    bool from_median = false;
  };
  std::map<std::string, std::map<std::string, Figure>> groups_;  // group -> peer -> rate
};

// Strips our own flags (--verify, --cold_mib=N) from argv before Google
// Benchmark sees them; returns true if --verify was given.
bool take_own_flags(int* argc, char** argv);

// Removes from argv every argument `take` accepts (returns true for), so
// that Google Benchmark sees only its own. Each benchmark's flags go
// through this.
void strip_flags(int* argc, char** argv, const std::function<bool(std::string_view)>& take);

// The number after `prefix` in "--name=N" (`arg` starts with `prefix`),
// or nullopt when `arg` is another flag.
std::optional<std::uint64_t> flag_number(std::string_view arg, std::string_view prefix);

// A scenario file (YAML) in which the client sends `kib` KiB (rounded up to
// 64 KiB sends) to the server over the default network with 1% loss on the
// client's cable, and the server checks it read every byte: the workload of
// the scenario and debug benchmarks.
std::string lossy_transfer_scenario(std::uint64_t kib);

// An output stream's buffer that counts the bytes written to it and keeps
// none: what a writer costs without the cost of a file.
class CountingBuffer final : public std::streambuf {
 public:
  std::uint64_t bytes = 0;

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) ++bytes;
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes += static_cast<std::uint64_t>(n);
    return n;
  }
};

}  // namespace netstep::bench
