#pragma once
// A connection's identity: our endpoint and the peer's (RFC 9293 section
// 3.3.1 names a connection by this pair of sockets). The TCP demultiplexer
// keys its table with it, the ISN generator feeds it to its keyed hash, and
// traces print it.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "base/port.hpp"

namespace netstep {

struct FourTuple {
  Endpoint local;
  Endpoint remote;

  // The same connection seen from the other end: what the peer's demultiplexer
  // looks up for a segment we send.
  [[nodiscard]] constexpr FourTuple reversed() const { return FourTuple{remote, local}; }

  // "10.0.0.1:49152 -> 10.0.0.2:80" (local first, as netstat prints it).
  [[nodiscard]] std::string to_string() const { return local.to_string() + " -> " + remote.to_string(); }

  // Orders by local endpoint, then remote; good for sorted socket tables.
  constexpr auto operator<=>(const FourTuple&) const = default;
};

// The 96 bits of a tuple, packed into two words with no bit lost: the hash
// and anything else that needs the tuple as numbers start from here.
struct FourTupleBits {
  std::uint64_t addresses;  // local address << 32 | remote address
  std::uint64_t ports;      // local port << 16 | remote port
};

[[nodiscard]] constexpr FourTupleBits pack(const FourTuple& t) {
  return FourTupleBits{
      (std::uint64_t{t.local.address.to_u32()} << 32) | t.remote.address.to_u32(),
      (std::uint64_t{t.local.port.value()} << 16) | t.remote.port.value(),
  };
}

namespace detail {
// The 64-bit finaliser of MurmurHash3 (fmix64): a bijection in which every
// input bit flips each output bit with probability close to one half.
[[nodiscard]] constexpr std::uint64_t fmix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}
}  // namespace detail

// A fast, unkeyed hash of all 96 bits. The ports word is mixed on its own
// first, so tuples that differ only in ports (thousands of connections to one
// server, the common demultiplexer load) never collide in 64 bits, and the
// final mix spreads every bit into the low bits that a bucket index uses.
// Unkeyed means a peer who knows it can choose colliding tuples; the ISN
// generator, which must resist guessing, uses keyed SipHash instead.
[[nodiscard]] constexpr std::uint64_t hash64(const FourTuple& t) {
  const FourTupleBits bits = pack(t);
  return detail::fmix64(bits.addresses ^ detail::fmix64(bits.ports + 0x9e3779b97f4a7c15ull));
}

}  // namespace netstep

template <>
struct std::hash<netstep::FourTuple> {
  std::size_t operator()(const netstep::FourTuple& t) const noexcept {
    const std::uint64_t h = netstep::hash64(t);
    if constexpr (sizeof(std::size_t) >= sizeof(std::uint64_t)) {
      return static_cast<std::size_t>(h);
    } else {
      // 32-bit targets (a Pi in 32-bit mode, a microcontroller): fold, so the
      // high half still counts.
      return static_cast<std::size_t>(h ^ (h >> 32));
    }
  }
};
