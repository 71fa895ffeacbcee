#include "wire/checksum.hpp"

#include <bit>
#include <cassert>
#include <cstring>

namespace netstep::wire {

namespace {

// Folds a 64-bit sum of 16-bit words to 16 bits with end-around carry. Adding
// a value to itself rotated by half its width sums the halves in the top half
// with the carry wrapped around (the trick of Linux's csum_fold): two steps,
// 64 -> 32 -> 16, instead of four dependent add-and-shift rounds.
std::uint16_t fold(std::uint64_t sum) {
  const auto s32 = static_cast<std::uint32_t>((sum + std::rotr(sum, 32)) >> 32);
  return static_cast<std::uint16_t>((s32 + std::rotr(s32, 16)) >> 16);
}

std::uint64_t load_native64(const std::byte* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The last `rest` (1..7) bytes of p[0..n) as a native-order word with zero
// padding after them, so each byte stays in its lane.
std::uint64_t load_tail(const std::byte* p, std::size_t n, std::size_t rest) {
  if (n >= 8) {
    // Load the last 8 bytes (overlapping ones already summed) and shift those
    // out: one load, no branches, and no store-to-load forwarding stall.
    const std::uint64_t w = load_native64(p + n - 8);
    const auto drop = static_cast<unsigned>(8 * (8 - rest));
    if constexpr (std::endian::native == std::endian::little) return w >> drop;
    return w << drop;
  }
  std::byte padded[8] = {};  // short pieces: fixed-size copies, no library call
  std::memcpy(padded, p, 4 * (rest >> 2));
  if (rest & 2) std::memcpy(padded + (rest & 4), p + (rest & 4), 2);
  if (rest & 1) padded[rest - 1] = p[rest - 1];
  return load_native64(padded);
}

// Why the sums below need no carry handling: each 64-bit word w is split
// into 32-bit halves, and 2^32 == 1 (mod 2^16 - 1), so the ones' complement
// sum of the data is that of (sum of low halves) + (sum of high halves).
// Each half is < 2^32, so 64-bit sums of them cannot overflow below 2^32
// words (32 GiB). Rather than masking out the low halves, we add whole words
// (`all`) and the high halves alone (`high`): all - (high << 32) is the exact
// sum of the low halves, because both sides are exact modulo 2^64.
// That is three operations per word (add, shift, add) and no dependency on
// a carry flag, which compilers can spread across vector lanes.
struct Sums {
  std::uint64_t all = 0;
  std::uint64_t high = 0;
  void add(std::uint64_t w) {
    all += w;
    high += w >> 32;
  }
  // The ones' complement sum, not yet folded to 16 bits.
  [[nodiscard]] std::uint64_t total() const {
    const std::uint64_t low = all - (high << 32);
    std::uint64_t t = low + high;
    t += t < low;  // end-around carry: 2^64 == 1 (mod 2^16 - 1)
    return t;
  }
};

#if defined(__GNUC__) && !defined(NETSTEP_CHECKSUM_PORTABLE)
constexpr std::size_t prefetch_distance = 512;

// GCC and Clang vector extensions: the Sums above, lane by lane, four
// vectors per block and two pairs of accumulators so consecutive adds do not
// wait on each other. The baseline is 16-byte vectors, which x86-64 (SSE2)
// and AArch64 (NEON) both have, so no -march flag is needed. (32-byte
// vectors on a 16-byte target are lowered through the stack, slower than
// this; hence one explicit width per instruction set.)
//
// Sums p[0..n), n a multiple of 32 (whole vectors of either width), and
// returns the sums by value, which come back in two registers.
//
// With `Copy`, every vector loaded is also stored to `to` (the same offset):
// copy and sum in one pass over the data (copy_and_sum).
template <class Vector, bool Copy = false>
Sums sum_blocks_of(const std::byte* p, std::size_t n, [[maybe_unused]] std::byte* to = nullptr) {
  constexpr std::size_t width = sizeof(Vector);
  Vector all_a{}, all_b{}, high_a{}, high_b{};
  std::size_t i = 0;
  for (; i + 4 * width <= n; i += 4 * width) {
    // Frames from a ring lie one after another: asking for the lines ahead
    // early keeps DRAM busy while we add.
    for (std::size_t line = 0; line < 4 * width; line += 64) __builtin_prefetch(p + i + prefetch_distance + line);
    Vector v0, v1, v2, v3;  // memcpy: the loads need no alignment
    std::memcpy(&v0, p + i, width);
    std::memcpy(&v1, p + i + width, width);
    std::memcpy(&v2, p + i + 2 * width, width);
    std::memcpy(&v3, p + i + 3 * width, width);
    if constexpr (Copy) {
      std::memcpy(to + i, &v0, width);
      std::memcpy(to + i + width, &v1, width);
      std::memcpy(to + i + 2 * width, &v2, width);
      std::memcpy(to + i + 3 * width, &v3, width);
    }
    all_a += v0; high_a += v0 >> 32;
    all_b += v1; high_b += v1 >> 32;
    all_a += v2; high_a += v2 >> 32;
    all_b += v3; high_b += v3 >> 32;
  }
  for (; i + width <= n; i += width) {
    Vector v;
    std::memcpy(&v, p + i, width);
    if constexpr (Copy) std::memcpy(to + i, &v, width);
    all_a += v; high_a += v >> 32;
  }
  // Lanes are independent sums of words: combine them as words.
  const Vector all = all_a + all_b, high = high_a + high_b;
  Sums out;
  for (std::size_t lane = 0; lane < width / 8; ++lane) {
    out.all += all[lane];
    out.high += high[lane];
  }
  return out;
}

using U64x2 = std::uint64_t __attribute__((vector_size(16)));

#if defined(__x86_64__)
// Most x86-64 CPUs since 2013 have AVX2: twice the width for the same
// instruction count. Chosen at run time, so the build stays baseline x86-64.
using U64x4 = std::uint64_t __attribute__((vector_size(32)));

__attribute__((target("avx2"))) Sums sum_blocks_avx2(const std::byte* p, std::size_t n) {
  return sum_blocks_of<U64x4>(p, n);
}
__attribute__((target("avx2"))) Sums copy_sum_blocks_avx2(std::byte* to, const std::byte* p, std::size_t n) {
  return sum_blocks_of<U64x4, true>(p, n, to);
}

bool cpu_has_avx2() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
}

// Out of line (as is the fallback's): the short-piece path then saves no
// registers for the vector one.
__attribute__((noinline)) Sums sum_blocks(const std::byte* p, std::size_t n) {
  return cpu_has_avx2() ? sum_blocks_avx2(p, n) : sum_blocks_of<U64x2>(p, n);
}
__attribute__((noinline)) Sums copy_sum_blocks(std::byte* to, const std::byte* p, std::size_t n) {
  return cpu_has_avx2() ? copy_sum_blocks_avx2(to, p, n) : sum_blocks_of<U64x2, true>(p, n, to);
}
#else
__attribute__((noinline)) Sums sum_blocks(const std::byte* p, std::size_t n) { return sum_blocks_of<U64x2>(p, n); }
__attribute__((noinline)) Sums copy_sum_blocks(std::byte* to, const std::byte* p, std::size_t n) {
  return sum_blocks_of<U64x2, true>(p, n, to);
}
#endif

#else
// Portable fallback: the same sums in four scalar chains.
Sums sum_blocks(const std::byte* p, std::size_t n) {
  Sums s0, s1, s2, s3;
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0.add(load_native64(p + i));
    s1.add(load_native64(p + i + 8));
    s2.add(load_native64(p + i + 16));
    s3.add(load_native64(p + i + 24));
  }
  return Sums{s0.all + s1.all + s2.all + s3.all, s0.high + s1.high + s2.high + s3.high};
}
Sums copy_sum_blocks(std::byte* to, const std::byte* p, std::size_t n) {
  std::memcpy(to, p, n);
  return sum_blocks(p, n);
}
#endif

// Pieces shorter than this (headers, small frames) are cheaper in scalar
// code than the vector set-up and the reduction of its lanes.
constexpr std::size_t vector_threshold = 128;

std::uint16_t finish_sum(Sums sums, const std::byte* p, std::size_t i, std::size_t n);

// The 16-bit ones' complement sum of native-order words, byte-swapped on
// little-endian hosts to big-endian order (RFC 1071 2(B)).
std::uint16_t native_sum(const std::byte* p, std::size_t n) {
  Sums sums;
  std::size_t i = 0;
  if (n >= vector_threshold) {
    i = n & ~std::size_t{31};
    sums = sum_blocks(p, i);
  }
  return finish_sum(sums, p, i, n);
}

// The same sum of p[0..n), with the bytes copied to `to` on the way: the
// vector part stores what it loads; the short rest is copied by memcpy.
std::uint16_t copy_native_sum(std::byte* to, const std::byte* p, std::size_t n) {
  Sums sums;
  std::size_t i = 0;
  if (n >= vector_threshold) {
    i = n & ~std::size_t{31};
    sums = copy_sum_blocks(to, p, i);
  }
  std::memcpy(to + i, p + i, n - i);
  return finish_sum(sums, p, i, n);
}

// Adds p[i..n) (fewer than 32 bytes after the vector part, or a whole short
// piece) to `sums`, then folds and orders the result.
std::uint16_t finish_sum(Sums sums, const std::byte* p, std::size_t i, std::size_t n) {
  Sums odd_words;  // a second chain, so two words add at once
  for (; i + 16 <= n; i += 16) {
    sums.add(load_native64(p + i));
    odd_words.add(load_native64(p + i + 8));
  }
  if (i + 8 <= n) {
    sums.add(load_native64(p + i));
    i += 8;
  }
  if (i < n) odd_words.add(load_tail(p, n, n - i));
  sums.all += odd_words.all;
  sums.high += odd_words.high;
  auto s = fold(sums.total());
  if constexpr (std::endian::native == std::endian::little) s = static_cast<std::uint16_t>((s >> 8) | (s << 8));
  return s;
}

}  // namespace

void ChecksumAccumulator::add(Bytes data) {
  if (data.empty()) return;
  std::uint16_t s = native_sum(data.data(), data.size());
  // A piece that starts in the middle of a 16-bit word sums with its bytes in
  // the other lanes: swapping the folded sum puts them back (RFC 1071 2(B)).
  if (odd_) s = static_cast<std::uint16_t>((s >> 8) | (s << 8));
  total_ += s;
  if (data.size() % 2 != 0) odd_ = !odd_;
}

void ChecksumAccumulator::add_be16(std::uint16_t value) {
  if (odd_) value = static_cast<std::uint16_t>((value >> 8) | (value << 8));
  total_ += value;
}

std::uint16_t ChecksumAccumulator::sum() const { return fold(total_); }

// One piece from an even start: the same as an accumulator with one add()
// (a 16-bit sum folds to itself), without the accumulator's memory round trip.
std::uint16_t internet_checksum(Bytes data) {
  return static_cast<std::uint16_t>(~native_sum(data.data(), data.size()));
}

std::uint16_t ones_complement_sum(Bytes data) { return native_sum(data.data(), data.size()); }

std::uint16_t copy_and_sum(MutableBytes to, Bytes from) {
  assert(to.size() >= from.size());
  if (from.empty()) return 0;
  return copy_native_sum(to.data(), from.data(), from.size());
}

std::uint16_t update_checksum(std::uint16_t old_checksum, std::uint16_t old_word, std::uint16_t new_word) {
  std::uint32_t sum = static_cast<std::uint16_t>(~old_checksum);
  sum += static_cast<std::uint16_t>(~old_word);
  sum += new_word;
  return static_cast<std::uint16_t>(~fold(sum));
}

void add_pseudo_header(ChecksumAccumulator& acc, Ipv4Address source, Ipv4Address destination,
                       std::uint8_t protocol, std::uint16_t length) {
  acc.add_be32(source.to_u32());
  acc.add_be32(destination.to_u32());
  acc.add_be16(protocol);
  acc.add_be16(length);
}

}  // namespace netstep::wire
