#pragma once
// IPv4 headers (RFC 791).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |Version|  IHL  |   DSCP    |ECN|          Total Length         |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |         Identification        |Flags|      Fragment Offset    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Time to Live |    Protocol   |         Header Checksum       |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                       Source Address                          |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Destination Address                        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Options (IHL > 5)          |    Padding    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Options are validated (each length byte must be possible), reported by
// type, and otherwise skipped: netstep never acts on them and never sends any.
#include <cstdint>
#include <string>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/result.hpp"
#include "wire/wire_error.hpp"

namespace netstep::wire {

namespace ip_protocol {
inline constexpr std::uint8_t icmp = 1;
inline constexpr std::uint8_t tcp = 6;
inline constexpr std::uint8_t udp = 17;
}  // namespace ip_protocol

// "icmp", "tcp", "udp", or the number.
[[nodiscard]] std::string protocol_name(std::uint8_t protocol);

class Ipv4View {
 public:
  static constexpr std::size_t min_header_length = 20;

  // Checks version, IHL and total length against the buffer (bytes past the
  // total length, such as Ethernet padding, are allowed and ignored). Does not
  // check the header checksum: see checksum_ok().
  [[nodiscard]] static Result<Ipv4View, WireError> check(Bytes packet);
  // For the original datagram quoted inside an ICMP error: only the header
  // must be present, the total length may exceed what was quoted.
  [[nodiscard]] static Result<Ipv4View, WireError> check_quoted(Bytes packet);

  [[nodiscard]] std::uint8_t version() const { return load_u8(bytes_, 0) >> 4; }
  [[nodiscard]] std::size_t header_length() const { return std::size_t{load_u8(bytes_, 0) & 0x0fu} * 4; }
  [[nodiscard]] std::uint8_t dscp() const { return load_u8(bytes_, 1) >> 2; }
  [[nodiscard]] std::uint8_t ecn() const { return load_u8(bytes_, 1) & 0x3; }
  [[nodiscard]] std::uint16_t total_length() const { return load_be16(bytes_, 2); }
  [[nodiscard]] std::uint16_t identification() const { return load_be16(bytes_, 4); }
  [[nodiscard]] bool dont_fragment() const { return (load_u8(bytes_, 6) & 0x40) != 0; }
  [[nodiscard]] bool more_fragments() const { return (load_u8(bytes_, 6) & 0x20) != 0; }
  [[nodiscard]] std::uint16_t fragment_offset() const {  // in bytes
    return static_cast<std::uint16_t>((load_be16(bytes_, 6) & 0x1fff) * 8);
  }
  [[nodiscard]] std::uint8_t ttl() const { return load_u8(bytes_, 8); }
  [[nodiscard]] std::uint8_t protocol() const { return load_u8(bytes_, 9); }
  [[nodiscard]] std::uint16_t header_checksum() const { return load_be16(bytes_, 10); }
  [[nodiscard]] Ipv4Address source() const { return Ipv4Address{load_be32(bytes_, 12)}; }
  [[nodiscard]] Ipv4Address destination() const { return Ipv4Address{load_be32(bytes_, 16)}; }
  [[nodiscard]] Bytes header() const { return bytes_.first(header_length()); }
  [[nodiscard]] Bytes options() const { return bytes_.subspan(min_header_length, header_length() - min_header_length); }
  // The payload up to total length (or up to what was quoted, for check_quoted views).
  [[nodiscard]] Bytes payload() const;
  [[nodiscard]] bool checksum_ok() const;

 private:
  explicit Ipv4View(Bytes packet) : bytes_{packet} {}
  Bytes bytes_;
};

// Option types seen in a header, for reporting (RFC 791 section 3.1).
struct Ipv4Options {
  std::uint8_t count = 0;
  std::uint8_t types[20] = {};  // at most 40 option bytes, so at most 40 single-byte options; first 20 kept
  constexpr auto operator<=>(const Ipv4Options&) const = default;
};

struct Ipv4Repr {
  static constexpr std::size_t header_length = 20;  // what emit() writes: netstep sends no options

  Ipv4Address source;
  Ipv4Address destination;
  std::uint8_t protocol = 0;
  std::uint8_t ttl = 64;
  std::uint8_t dscp = 0;
  std::uint8_t ecn = 0;
  std::uint16_t identification = 0;
  bool dont_fragment = false;
  bool more_fragments = false;
  std::uint16_t fragment_offset = 0;  // bytes, a multiple of 8
  std::uint16_t payload_length = 0;
  Ipv4Options options;            // reported on parse, never emitted
  std::uint8_t parsed_header_length = 20;

  // Checks everything check() does, the header checksum, and the options'
  // structure; fragment offset + payload must fit in 65535 bytes.
  [[nodiscard]] static Result<Ipv4Repr, WireError> parse(Bytes packet);
  // The quoted header inside an ICMP error (no checksum or total-length check).
  [[nodiscard]] static Result<Ipv4Repr, WireError> parse_quoted(Bytes packet);

  [[nodiscard]] bool is_fragment() const { return more_fragments || fragment_offset != 0; }
  [[nodiscard]] std::size_t total_length() const { return header_length + payload_length; }
  // Writes a 20-byte header with a correct checksum; the payload follows it.
  void emit(MutableBytes packet) const;

  constexpr auto operator<=>(const Ipv4Repr&) const = default;
};

// "EOL", "NOP", "RR", "TS", "LSRR", ... as tcpdump prints them, or the number.
[[nodiscard]] std::string ipv4_option_name(std::uint8_t type);

// "10.0.0.1 > 10.0.0.2 icmp ttl 64 id 1 len 84 [DF]"
[[nodiscard]] std::string to_string(const Ipv4Repr& repr);

}  // namespace netstep::wire
