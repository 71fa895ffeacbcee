#pragma once
// IPv4 addresses and prefixes as values. Stored in host byte order; the wire
// formats convert at the edge, so no address in a public header is a bare
// integer of unknown byte order.
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace netstep {

class Ipv4Address {
 public:
  constexpr Ipv4Address() = default;
  constexpr explicit Ipv4Address(std::uint32_t host_order) : value_{host_order} {}
  constexpr Ipv4Address(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d)
      : value_{(std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d} {}

  static constexpr Ipv4Address any() { return Ipv4Address{}; }
  static constexpr Ipv4Address broadcast() { return Ipv4Address{0xffffffffu}; }
  // Dotted quad only ("10.0.0.1"); nullopt for anything else.
  static std::optional<Ipv4Address> parse(std::string_view text);

  [[nodiscard]] constexpr std::uint32_t to_u32() const { return value_; }
  [[nodiscard]] constexpr std::uint8_t octet(int i) const {
    return static_cast<std::uint8_t>(value_ >> (24 - 8 * i));
  }
  [[nodiscard]] constexpr bool is_unspecified() const { return value_ == 0; }
  [[nodiscard]] constexpr bool is_broadcast() const { return value_ == 0xffffffffu; }
  [[nodiscard]] constexpr bool is_multicast() const { return (value_ >> 28) == 0xe; }
  [[nodiscard]] constexpr bool is_loopback() const { return (value_ >> 24) == 127; }
  [[nodiscard]] std::string to_string() const;

  constexpr auto operator<=>(const Ipv4Address&) const = default;

 private:
  std::uint32_t value_ = 0;
};

// A network prefix such as 10.0.0.0/24, or an interface address with its
// prefix length such as 10.0.0.1/24 (address() keeps the host bits).
class Ipv4Cidr {
 public:
  constexpr Ipv4Cidr() = default;
  // A length outside 0..32 is clamped into it (parse() rejects one instead).
  constexpr Ipv4Cidr(Ipv4Address address, int length)
      : address_{address}, length_{length < 0 ? 0 : (length > 32 ? 32 : length)} {}
  static std::optional<Ipv4Cidr> parse(std::string_view text);  // "10.0.0.1/24"

  [[nodiscard]] constexpr Ipv4Address address() const { return address_; }
  [[nodiscard]] constexpr int length() const { return length_; }
  [[nodiscard]] constexpr std::uint32_t mask() const {
    return length_ == 0 ? 0u : ~std::uint32_t{0} << (32 - length_);
  }
  [[nodiscard]] constexpr Ipv4Address network() const { return Ipv4Address{address_.to_u32() & mask()}; }
  [[nodiscard]] constexpr Ipv4Address broadcast() const { return Ipv4Address{address_.to_u32() | ~mask()}; }
  [[nodiscard]] constexpr bool contains(Ipv4Address a) const {
    return (a.to_u32() & mask()) == network().to_u32();
  }
  [[nodiscard]] std::string to_string() const;

  constexpr auto operator<=>(const Ipv4Cidr&) const = default;

 private:
  Ipv4Address address_;
  int length_ = 0;
};

}  // namespace netstep

template <>
struct std::hash<netstep::Ipv4Address> {
  std::size_t operator()(netstep::Ipv4Address a) const noexcept { return std::hash<std::uint32_t>{}(a.to_u32()); }
};
