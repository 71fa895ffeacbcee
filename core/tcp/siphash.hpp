#pragma once
// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
// 2012): a keyed pseudo-random function with a 128-bit key and a 64-bit
// output. It is the F of RFC 6528's ISN formula here, and suits any place a
// hash must not be predictable by someone who does not hold the key
// (RFC 6056 ephemeral port selection is the next candidate; if a second user
// appears, this header can move to core/base unchanged).
//
// Written from the paper's description: four 64-bit words of state, two
// SipRounds per 8-byte message word ("2"), four finalisation rounds ("4").
// constexpr, so a test can pin a published vector at compile time.
#include <cstddef>
#include <cstdint>
#include <span>

namespace netstep::tcp {

struct SipKey {
  std::uint64_t k0 = 0;  // key bytes 0..7, read little-endian
  std::uint64_t k1 = 0;  // key bytes 8..15, read little-endian
};

namespace sip_detail {

[[nodiscard]] constexpr std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

[[nodiscard]] constexpr std::uint64_t load_le64(std::span<const std::byte> b, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v |= std::uint64_t{static_cast<std::uint8_t>(b[at + i])} << (8 * i);
  return v;
}

struct State {
  std::uint64_t v0, v1, v2, v3;

  // One SipRound: add-rotate-xor on the four words (paper, section 2).
  constexpr void round() {
    v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
    v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
    v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
    v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
  }

  constexpr void absorb(std::uint64_t m) {
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
};

}  // namespace sip_detail

// The key as the paper writes it: sixteen bytes, k0 from the first eight.
[[nodiscard]] constexpr SipKey sip_key_from_bytes(std::span<const std::byte, 16> key) {
  return SipKey{sip_detail::load_le64(key, 0), sip_detail::load_le64(key, 8)};
}

// The 64-bit tag as an integer. The reference implementation stores it
// little-endian, so its printed byte strings (vectors.h: "310e0edd47db6f72"
// for the empty message) are this integer's bytes in reverse
// (0x726fdb47dd0e0e31).
[[nodiscard]] constexpr std::uint64_t siphash24(SipKey key, std::span<const std::byte> message) {
  // Initialisation: the key xored into four constants ("somepseudorandomlygeneratedbytes").
  sip_detail::State s{key.k0 ^ 0x736f6d6570736575ull, key.k1 ^ 0x646f72616e646f6dull,
                      key.k0 ^ 0x6c7967656e657261ull, key.k1 ^ 0x7465646279746573ull};

  // Compression: each whole 8-byte word, little-endian.
  const std::size_t whole = message.size() - message.size() % 8;
  for (std::size_t at = 0; at < whole; at += 8) s.absorb(sip_detail::load_le64(message, at));

  // The last word holds the 0..7 leftover bytes and, in its top byte, the
  // message length mod 256, so messages that differ only in trailing zero
  // bytes hash differently.
  std::uint64_t last = std::uint64_t{message.size() & 0xff} << 56;
  for (std::size_t i = 0; i < message.size() - whole; ++i) {
    last |= std::uint64_t{static_cast<std::uint8_t>(message[whole + i])} << (8 * i);
  }
  s.absorb(last);

  // Finalisation: mark it, then four rounds.
  s.v2 ^= 0xff;
  for (int i = 0; i < 4; ++i) s.round();
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

}  // namespace netstep::tcp
