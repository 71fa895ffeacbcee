#pragma once
// The lwIP peer, behind a plain function so lwIP's configuration macros stay
// in lwip_peer.cpp. Only built when NETSTEP_BENCH_WITH_LWIP is on.
#include <cstddef>
#include <cstdint>

namespace netstep::bench {

// lwIP's inet_chksum() from the system's liblwip (Debian: liblwip-dev), with
// its result converted to host order like wire::internet_checksum's.
// lwIP takes a u16 length: frames only, never more than 65535 bytes.
std::uint16_t lwip_internet_checksum(const std::byte* data, std::size_t length);

}  // namespace netstep::bench
