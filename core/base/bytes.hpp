#pragma once
// Byte spans and network-byte-order access. Wire formats read and write
// through these helpers only, so no frame is ever reinterpreted as a struct.
#include <cstddef>
#include <cstdint>
#include <span>

namespace netstep {

using Bytes = std::span<const std::byte>;
using MutableBytes = std::span<std::byte>;

// Callers check the span length first (views do, in check_len()).
[[nodiscard]] constexpr std::uint8_t load_u8(Bytes b, std::size_t at) {
  return static_cast<std::uint8_t>(b[at]);
}
[[nodiscard]] constexpr std::uint16_t load_be16(Bytes b, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<unsigned>(b[at]) << 8) |
                                    static_cast<unsigned>(b[at + 1]));
}
[[nodiscard]] constexpr std::uint32_t load_be32(Bytes b, std::size_t at) {
  return (std::uint32_t{load_be16(b, at)} << 16) | load_be16(b, at + 2);
}
constexpr void store_u8(MutableBytes b, std::size_t at, std::uint8_t v) {
  b[at] = std::byte{v};
}
constexpr void store_be16(MutableBytes b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::byte>(v >> 8);
  b[at + 1] = static_cast<std::byte>(v & 0xff);
}
constexpr void store_be32(MutableBytes b, std::size_t at, std::uint32_t v) {
  store_be16(b, at, static_cast<std::uint16_t>(v >> 16));
  store_be16(b, at + 2, static_cast<std::uint16_t>(v & 0xffff));
}

// A byte view of a uint8_t array, for golden frames in tests.
template <std::size_t N>
[[nodiscard]] Bytes as_bytes(const std::uint8_t (&array)[N]) {
  return std::as_bytes(std::span{array});
}

}  // namespace netstep
