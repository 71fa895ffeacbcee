#pragma once
// ICMP for IPv4 (RFC 792, with the codes of RFC 1122 and RFC 1812).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |     Type      |     Code      |          Checksum             |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |   Rest of header: echo identifier + sequence, unused, MTU, ... |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Data: echo data, or for errors the original IP header + at   |
//  |  least the first 8 bytes of its payload                        |
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "wire/ipv4.hpp"
#include "wire/wire_error.hpp"

namespace netstep::wire {

namespace icmp_type {
inline constexpr std::uint8_t echo_reply = 0;
inline constexpr std::uint8_t destination_unreachable = 3;
inline constexpr std::uint8_t source_quench = 4;
inline constexpr std::uint8_t redirect = 5;
inline constexpr std::uint8_t echo_request = 8;
inline constexpr std::uint8_t time_exceeded = 11;
inline constexpr std::uint8_t parameter_problem = 12;
inline constexpr std::uint8_t timestamp = 13;
inline constexpr std::uint8_t timestamp_reply = 14;
}  // namespace icmp_type

// Destination unreachable codes, RFC 792 (0-5), RFC 1122 (6-12), RFC 1812 (13-15).
enum class UnreachableCode : std::uint8_t {
  Net = 0,
  Host = 1,
  Protocol = 2,
  Port = 3,
  FragmentationNeeded = 4,
  SourceRouteFailed = 5,
  NetUnknown = 6,
  HostUnknown = 7,
  SourceHostIsolated = 8,
  NetProhibited = 9,
  HostProhibited = 10,
  NetUnreachableForTos = 11,
  HostUnreachableForTos = 12,
  AdminProhibited = 13,
  HostPrecedenceViolation = 14,
  PrecedenceCutoff = 15,
};

enum class TimeExceededCode : std::uint8_t { TtlExceeded = 0, FragmentReassembly = 1 };

// "echo request", "destination host unreachable", "fragment reassembly time exceeded", ...
// (static text; unknown pairs give "" here and read "icmp type T code C" through to_string()).
[[nodiscard]] std::string_view describe_icmp(std::uint8_t type, std::uint8_t code);
[[nodiscard]] bool is_icmp_error(std::uint8_t type);

class IcmpView {
 public:
  static constexpr std::size_t header_length = 8;
  [[nodiscard]] static Result<IcmpView, WireError> check(Bytes message);

  [[nodiscard]] std::uint8_t type() const { return load_u8(bytes_, 0); }
  [[nodiscard]] std::uint8_t code() const { return load_u8(bytes_, 1); }
  [[nodiscard]] std::uint16_t checksum() const { return load_be16(bytes_, 2); }
  [[nodiscard]] std::uint32_t rest_of_header() const { return load_be32(bytes_, 4); }
  [[nodiscard]] Bytes data() const { return bytes_.subspan(header_length); }
  [[nodiscard]] bool checksum_ok() const;

 private:
  explicit IcmpView(Bytes message) : bytes_{message} {}
  Bytes bytes_;
};

// The original datagram quoted by an ICMP error.
struct QuotedDatagram {
  Ipv4Repr header;
  Bytes transport;  // what was quoted of its payload: at least 8 bytes (ports, TCP seq)
};

struct IcmpRepr {
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  std::uint32_t rest_of_header = 0;  // echo: identifier << 16 | sequence; frag-needed: next-hop MTU
  Bytes data;                        // borrowed: echo data, or the quoted datagram

  static IcmpRepr echo_request(std::uint16_t identifier, std::uint16_t sequence, Bytes data);
  static IcmpRepr echo_reply(std::uint16_t identifier, std::uint16_t sequence, Bytes data);
  // An error quoting `original` (its IP header plus as much of the payload as
  // RFC 1812 4.3.2.3 allows, up to a 576-byte ICMP datagram); see quote_length().
  static IcmpRepr error(std::uint8_t type, std::uint8_t code, Bytes original, std::uint32_t rest = 0);
  // How much of an original datagram an error quotes: its header and up to 576
  // bytes of IP datagram in all (RFC 1812 4.3.2.3), never past the original's
  // total length (so Ethernet padding is not quoted).
  [[nodiscard]] static std::size_t quote_length(Bytes original);
  // The most an error quotes: 576 - 20 (IPv4 header) - 8 (ICMP header).
  static constexpr std::size_t max_quote_length = 576 - 20 - IcmpView::header_length;

  // Checks the length and the checksum.
  [[nodiscard]] static Result<IcmpRepr, WireError> parse(Bytes message);

  [[nodiscard]] std::uint16_t identifier() const { return static_cast<std::uint16_t>(rest_of_header >> 16); }
  [[nodiscard]] std::uint16_t sequence() const { return static_cast<std::uint16_t>(rest_of_header); }
  [[nodiscard]] bool is_error() const { return is_icmp_error(type); }
  // For errors: the quoted original IP header and transport prefix.
  [[nodiscard]] Result<QuotedDatagram, WireError> quoted() const;

  [[nodiscard]] std::size_t length() const { return IcmpView::header_length + data.size(); }
  // Writes header and data with a correct checksum; message.size() >= length().
  void emit(MutableBytes message) const;
};

// "echo request id 1 seq 2 len 56", "destination port unreachable for udp 10.0.0.2:9"
[[nodiscard]] std::string to_string(const IcmpRepr& repr);

}  // namespace netstep::wire
