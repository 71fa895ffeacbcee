#pragma once
// Why a parser refused some bytes. Each value names the one check that
// failed, so a dropped frame tells the student exactly what was wrong.
#include <cstdint>
#include <string_view>

namespace netstep::wire {

enum class WireError : std::uint8_t {
  Truncated,            // shorter than the fixed header, or than a length field claims
  BadVersion,           // IPv4 version field is not 4
  BadHeaderLength,      // IPv4 IHL < 5, TCP data offset < 5, or either beyond the data
  BadTotalLength,       // IPv4 total length / UDP length smaller than the header or beyond the data
  BadChecksum,          // header or pseudo-header checksum does not verify
  BadHardwareType,      // ARP hardware type is not Ethernet (1) or its length is not 6
  BadProtocolType,      // ARP protocol type is not IPv4 (0x0800) or its length is not 4
  BadOperation,         // ARP operation is neither request (1) nor reply (2)
  BadOption,            // an option's length byte is impossible (0, 1, or past the header)
  BadFragment,          // fragment offset + length beyond 65535, or a malformed fragment
  NotIcmpError,         // quoted() on an ICMP message that is not an error: nothing is quoted
};

[[nodiscard]] constexpr std::string_view describe(WireError e) {
  switch (e) {
    case WireError::Truncated: return "truncated";
    case WireError::BadVersion: return "version is not 4";
    case WireError::BadHeaderLength: return "impossible header length";
    case WireError::BadTotalLength: return "impossible total length";
    case WireError::BadChecksum: return "checksum mismatch";
    case WireError::BadHardwareType: return "hardware type is not Ethernet";
    case WireError::BadProtocolType: return "protocol type is not IPv4";
    case WireError::BadOperation: return "unknown operation";
    case WireError::BadOption: return "malformed option";
    case WireError::BadFragment: return "malformed fragment";
    case WireError::NotIcmpError: return "not an ICMP error message";
  }
  return "unknown error";
}

}  // namespace netstep::wire
