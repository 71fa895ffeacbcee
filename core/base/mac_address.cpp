#include "base/mac_address.hpp"

namespace netstep {

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  std::array<std::uint8_t, 6> octets{};
  for (std::size_t i = 0; i < 6; ++i) {
    const int hi = hex_value(text[i * 3]);
    const int lo = hex_value(text[i * 3 + 1]);
    if (hi < 0 || lo < 0 || (i < 5 && text[i * 3 + 2] != ':')) return std::nullopt;
    octets[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return MacAddress{octets};
}

std::string MacAddress::to_string() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(17, ':');
  for (std::size_t i = 0; i < 6; ++i) {
    s[i * 3] = digits[octets_[i] >> 4];
    s[i * 3 + 1] = digits[octets_[i] & 0xf];
  }
  return s;
}

}  // namespace netstep
