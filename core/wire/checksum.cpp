#include "wire/checksum.hpp"

#include <bit>
#include <cstring>

namespace netstep::wire {

namespace {

// Folds a 64-bit sum of 16-bit words to 16 bits with end-around carry.
std::uint16_t fold(std::uint64_t sum) {
  sum = (sum & 0xffffffffu) + (sum >> 32);
  sum = (sum & 0xffffffffu) + (sum >> 32);
  sum = (sum & 0xffffu) + (sum >> 16);
  sum = (sum & 0xffffu) + (sum >> 16);
  return static_cast<std::uint16_t>(sum);
}

std::uint64_t load_native64(const std::byte* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Sum of native-order 64-bit words with end-around carry, as two independent
// chains so the adds of one hide the latency of the other.
std::uint16_t native_sum(const std::byte* p, std::size_t n) {
  std::uint64_t a = 0, b = 0, carry_a = 0, carry_b = 0;
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const std::uint64_t w0 = load_native64(p + i), w1 = load_native64(p + i + 8);
    const std::uint64_t w2 = load_native64(p + i + 16), w3 = load_native64(p + i + 24);
    a += w0; carry_a += a < w0;
    b += w1; carry_b += b < w1;
    a += w2; carry_a += a < w2;
    b += w3; carry_b += b < w3;
  }
  for (; i + 8 <= n; i += 8) {
    const std::uint64_t w = load_native64(p + i);
    a += w; carry_a += a < w;
  }
  if (i < n) {
    std::uint64_t tail = 0;  // zero padding keeps each byte in its lane
    std::memcpy(&tail, p + i, n - i);
    b += tail; carry_b += b < tail;
  }
  // Each carry is worth 2^64 == 1 (mod 2^16 - 1): add them back as ones.
  const std::uint64_t total = std::uint64_t{fold(a)} + fold(b) + fold(carry_a) + fold(carry_b);
  auto s = fold(total);
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

std::uint16_t internet_checksum(Bytes data) {
  ChecksumAccumulator acc;
  acc.add(data);
  return acc.checksum();
}

std::uint16_t ones_complement_sum(Bytes data) {
  ChecksumAccumulator acc;
  acc.add(data);
  return acc.sum();
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
