#include "lwip_peer.hpp"

#include <lwip/def.h>
#include <lwip/inet_chksum.h>

namespace netstep::bench {

std::uint16_t lwip_internet_checksum(const std::byte* data, std::size_t length) {
  // inet_chksum returns the field as it lies in memory (network order).
  return lwip_ntohs(inet_chksum(data, static_cast<u16_t>(length)));
}

}  // namespace netstep::bench
