#pragma once
// pcapng blocks (draft-ietf-opsawg-pcapng-02): Section Header, Interface
// Description and Enhanced Packet, with the options netstep writes. Always
// little-endian (the byte-order magic says so to readers), so the same run
// gives the same bytes on any machine.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"

namespace netstep::capture::pcapng {

inline constexpr std::uint32_t section_header_block = 0x0a0d0d0a;
inline constexpr std::uint32_t interface_description_block = 0x00000001;
inline constexpr std::uint32_t enhanced_packet_block = 0x00000006;
inline constexpr std::uint32_t byte_order_magic = 0x1a2b3c4d;
inline constexpr std::uint16_t linktype_ethernet = 1;  // LINKTYPE_ETHERNET
inline constexpr std::uint32_t snap_length = 262144;   // what tcpdump and Wireshark use
inline constexpr std::uint8_t nanoseconds = 9;         // if_tsresol: 10^-9 s

// Option codes.
inline constexpr std::uint16_t opt_endofopt = 0;
inline constexpr std::uint16_t opt_comment = 1;
inline constexpr std::uint16_t shb_userappl = 4;
inline constexpr std::uint16_t if_name = 2;
inline constexpr std::uint16_t if_description = 3;
inline constexpr std::uint16_t if_tsresol = 9;

// Each appends one whole block to `out`. Strings longer than an option
// holds (65535 bytes) are cut.
void append_section_header(std::vector<std::byte>& out, std::string_view application);
void append_interface_description(std::vector<std::byte>& out, std::string_view name, std::string_view description);
// timestamp: nanoseconds (the interface's if_tsresol); comment: none if
// empty. The block is appended in two parts, so the frame is not copied
// twice on its way out: its header (up to the frame's bytes, which the
// caller writes next), then its tail (padding, options, trailing length).
struct EnhancedPacket {
  std::uint32_t interface = 0;
  std::uint64_t timestamp = 0;
  Bytes frame;  // the first snap_length bytes are captured
  std::string_view comment;
};
void append_enhanced_packet_header(std::vector<std::byte>& out, const EnhancedPacket& packet);
void append_enhanced_packet_tail(std::vector<std::byte>& out, const EnhancedPacket& packet);

}  // namespace netstep::capture::pcapng
