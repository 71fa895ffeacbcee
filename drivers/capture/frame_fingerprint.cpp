#include "capture/frame_fingerprint.hpp"

#include <algorithm>
#include <cstring>

namespace netstep::capture {

namespace {

constexpr std::uint64_t multiplier = 0x9e3779b97f4a7c15ull;

std::uint64_t mix(std::uint64_t h, std::uint64_t word) {
  h = (h ^ word) * multiplier;
  return h ^ (h >> 29);
}

// Up to 8 bytes as one word (zero-filled). In the machine's byte order:
// the hashes only pick candidates and are never written anywhere.
std::uint64_t load_word(const std::byte* data, std::size_t size) {
  std::uint64_t word = 0;
  std::memcpy(&word, data, size);
  return word;
}

std::uint64_t hash_range(std::uint64_t h, Bytes bytes) {
  std::size_t at = 0;
  for (; at + 8 <= bytes.size(); at += 8) h = mix(h, load_word(bytes.data() + at, 8));
  if (at < bytes.size()) h = mix(h, load_word(bytes.data() + at, bytes.size() - at));
  return h;
}

}  // namespace

std::uint64_t fingerprint(Bytes frame) {
  std::uint64_t h = mix(0, frame.size());
  h = hash_range(h, frame.first(std::min<std::size_t>(frame.size(), 64)));
  if (frame.size() > 64) h = hash_range(h, frame.last(std::min<std::size_t>(frame.size() - 64, 8)));
  return mix(h, 0);
}

std::uint64_t content_hash(Bytes frame) { return mix(hash_range(mix(1, frame.size()), frame), 0); }

}  // namespace netstep::capture
