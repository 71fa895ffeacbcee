#include "live/local_mac.hpp"

#include <array>

#include "base/random.hpp"

namespace netstep::live {

MacAddress local_mac_from_seed(std::uint64_t seed) {
  Random random{seed ^ 0x6c6976652d6d6163ULL};  // "live-mac": not the same stream as the host's
  const std::uint64_t bits = random.next_u64();
  std::array<std::uint8_t, 6> octets{};
  octets[0] = 0x02;  // locally administered, unicast
  for (std::size_t i = 1; i < octets.size(); ++i) octets[i] = static_cast<std::uint8_t>(bits >> (8 * i));
  return MacAddress{octets};
}

}  // namespace netstep::live
