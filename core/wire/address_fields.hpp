#pragma once
// Reading and writing address fields inside headers, shared by every wire
// format that carries MAC or IPv4 addresses.
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/mac_address.hpp"

namespace netstep::wire {

// One 6-byte copy each way (byte by byte, GCC assembled the address on the
// stack and read it back whole: a store-forwarding stall on every frame).
[[nodiscard]] inline MacAddress load_mac(Bytes b, std::size_t at) {
  assert(at <= b.size() && b.size() - at >= 6);
  std::array<std::uint8_t, 6> octets;
  std::memcpy(octets.data(), b.data() + at, 6);
  return MacAddress{octets};
}

inline void store_mac(MutableBytes b, std::size_t at, MacAddress mac) {
  assert(at <= b.size() && b.size() - at >= 6);
  std::memcpy(b.data() + at, mac.octets().data(), 6);
}

[[nodiscard]] inline Ipv4Address load_ipv4(Bytes b, std::size_t at) { return Ipv4Address{load_be32(b, at)}; }

inline void store_ipv4(MutableBytes b, std::size_t at, Ipv4Address address) { store_be32(b, at, address.to_u32()); }

}  // namespace netstep::wire
