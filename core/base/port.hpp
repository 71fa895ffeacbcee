#pragma once
// Transport ports and endpoints as values.
#include <compare>
#include <cstdint>
#include <string>

#include "base/ipv4_address.hpp"

namespace netstep {

class Port {
 public:
  constexpr Port() = default;
  constexpr explicit Port(std::uint16_t value) : value_{value} {}
  [[nodiscard]] constexpr std::uint16_t value() const { return value_; }
  [[nodiscard]] constexpr bool is_zero() const { return value_ == 0; }
  constexpr auto operator<=>(const Port&) const = default;

 private:
  std::uint16_t value_ = 0;
};

struct Endpoint {
  Ipv4Address address;
  Port port;
  [[nodiscard]] std::string to_string() const {
    return address.to_string() + ':' + std::to_string(port.value());
  }
  constexpr auto operator<=>(const Endpoint&) const = default;
};

// The local ports connect() and bind() pick from when asked for port 0:
// Linux's default net.ipv4.ip_local_port_range. TCP and UDP each keep
// their own setting of it.
struct EphemeralRange {
  std::uint16_t first = 32768;
  std::uint16_t last = 60999;
  // Non-empty and without port 0.
  [[nodiscard]] constexpr bool valid() const { return first != 0 && first <= last; }
};

}  // namespace netstep
