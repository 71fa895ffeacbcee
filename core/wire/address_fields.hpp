#pragma once
// Reading and writing address fields inside headers, shared by every wire
// format that carries MAC or IPv4 addresses.
#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/mac_address.hpp"

namespace netstep::wire {

[[nodiscard]] inline MacAddress load_mac(Bytes b, std::size_t at) {
  std::array<std::uint8_t, 6> octets{};
  for (std::size_t i = 0; i < 6; ++i) octets[i] = load_u8(b, at + i);
  return MacAddress{octets};
}

inline void store_mac(MutableBytes b, std::size_t at, MacAddress mac) {
  for (std::size_t i = 0; i < 6; ++i) store_u8(b, at + i, mac.octets()[i]);
}

[[nodiscard]] inline Ipv4Address load_ipv4(Bytes b, std::size_t at) { return Ipv4Address{load_be32(b, at)}; }

inline void store_ipv4(MutableBytes b, std::size_t at, Ipv4Address address) { store_be32(b, at, address.to_u32()); }

}  // namespace netstep::wire
