#pragma once
// Ethernet (EUI-48) hardware addresses as values.
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace netstep {

class MacAddress {
 public:
  constexpr MacAddress() = default;
  constexpr explicit MacAddress(std::array<std::uint8_t, 6> octets) : octets_{octets} {}

  static constexpr MacAddress broadcast() { return MacAddress{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
  static constexpr MacAddress zero() { return MacAddress{}; }
  // A locally administered unicast address 02:00:00:xx:xx:xx, for simulated hosts.
  static constexpr MacAddress local(std::uint32_t n) {
    return MacAddress{{0x02, 0x00, static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                       static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)}};
  }
  static std::optional<MacAddress> parse(std::string_view text);  // "02:00:00:00:00:01"

  [[nodiscard]] constexpr const std::array<std::uint8_t, 6>& octets() const { return octets_; }
  [[nodiscard]] constexpr bool is_broadcast() const { return *this == broadcast(); }
  [[nodiscard]] constexpr bool is_multicast() const { return (octets_[0] & 1) != 0; }
  [[nodiscard]] constexpr bool is_zero() const { return *this == zero(); }
  [[nodiscard]] std::string to_string() const;

  constexpr auto operator<=>(const MacAddress&) const = default;

 private:
  std::array<std::uint8_t, 6> octets_{};
};

}  // namespace netstep
