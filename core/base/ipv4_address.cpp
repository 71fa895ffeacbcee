#include "base/ipv4_address.hpp"

#include <charconv>

namespace netstep {

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
  std::uint32_t value = 0;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
    if (p == end || *p < '0' || *p > '9') return std::nullopt;
    unsigned octet = 0;
    auto [next, ec] = std::from_chars(p, end, octet);
    if (ec != std::errc{} || octet > 255 || next - p > 3) return std::nullopt;
    value = (value << 8) | octet;
    p = next;
  }
  if (p != end) return std::nullopt;
  return Ipv4Address{value};
}

std::string Ipv4Address::to_string() const {
  std::string s;
  s.reserve(15);
  for (int i = 0; i < 4; ++i) {
    if (i > 0) s += '.';
    s += std::to_string(octet(i));
  }
  return s;
}

std::optional<Ipv4Cidr> Ipv4Cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto address = Ipv4Address::parse(text.substr(0, slash));
  const auto digits = text.substr(slash + 1);
  int length = -1;
  auto [next, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
  // from_chars on an int accepts a minus sign, so "/-0" would parse as /0: digits only.
  if (!address || digits.empty() || digits.front() < '0' || digits.front() > '9' || ec != std::errc{} ||
      next != digits.data() + digits.size() || length < 0 || length > 32) {
    return std::nullopt;
  }
  return Ipv4Cidr{*address, length};
}

std::string Ipv4Cidr::to_string() const {
  return address_.to_string() + '/' + std::to_string(length_);
}

}  // namespace netstep
