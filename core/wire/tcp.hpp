#pragma once
// TCP segment headers (RFC 9293 section 3.1) and the options netstep reads:
// MSS (RFC 9293), window scale and timestamps (RFC 7323), SACK (RFC 2018).
// The TCP state machine lives elsewhere; this is only the header.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |          Source Port          |       Destination Port        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                        Sequence Number                        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Acknowledgment Number                      |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Data |       |C|E|U|A|P|R|S|F|                               |
//  | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
//  |       |       |R|E|G|K|H|T|N|N|                               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |           Checksum            |         Urgent Pointer        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Options                    |    Padding    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                             data                              |
//
// The checksum covers the IPv4 pseudo-header (addresses, protocol 6, TCP
// length) as well as the segment.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/port.hpp"
#include "base/result.hpp"
#include "base/seq_num.hpp"
#include "wire/wire_error.hpp"

namespace netstep::wire {

// The eight control bits, in the order of the header's flags byte.
class TcpFlags {
 public:
  static constexpr std::uint8_t fin = 0x01, syn = 0x02, rst = 0x04, psh = 0x08;
  static constexpr std::uint8_t ack = 0x10, urg = 0x20, ece = 0x40, cwr = 0x80;

  constexpr TcpFlags() = default;
  constexpr explicit TcpFlags(std::uint8_t bits) : bits_{bits} {}
  [[nodiscard]] constexpr std::uint8_t bits() const { return bits_; }
  [[nodiscard]] constexpr bool has(std::uint8_t flag) const { return (bits_ & flag) == flag; }
  [[nodiscard]] constexpr bool syn_set() const { return has(syn); }
  [[nodiscard]] constexpr bool ack_set() const { return has(ack); }
  [[nodiscard]] constexpr bool fin_set() const { return has(fin); }
  [[nodiscard]] constexpr bool rst_set() const { return has(rst); }
  constexpr TcpFlags operator|(TcpFlags other) const { return TcpFlags{static_cast<std::uint8_t>(bits_ | other.bits_)}; }
  constexpr auto operator<=>(const TcpFlags&) const = default;

 private:
  std::uint8_t bits_ = 0;
};

// "SYN,ACK", "FIN,PSH,ACK", "RST"; "none" for no flags.
[[nodiscard]] std::string to_string(TcpFlags flags);

struct SackBlock {
  SeqNum left;   // first sequence number of the block
  SeqNum right;  // one past its last
  constexpr bool operator==(const SackBlock&) const = default;
};

struct TcpTimestamps {
  std::uint32_t value = 0;  // TSval
  std::uint32_t echo = 0;   // TSecr
  constexpr auto operator<=>(const TcpTimestamps&) const = default;
};

namespace tcp_option {
inline constexpr std::uint8_t end = 0;
inline constexpr std::uint8_t nop = 1;
inline constexpr std::uint8_t mss = 2;
inline constexpr std::uint8_t window_scale = 3;
inline constexpr std::uint8_t sack_permitted = 4;
inline constexpr std::uint8_t sack = 5;
inline constexpr std::uint8_t timestamps = 8;
}  // namespace tcp_option

class TcpView {
 public:
  static constexpr std::size_t min_header_length = 20;
  static constexpr std::size_t max_header_length = 60;

  // Checks the fixed header and that the data offset is 5..15 words and
  // within the buffer. No checksum or option check.
  [[nodiscard]] static Result<TcpView, WireError> check(Bytes segment);

  [[nodiscard]] Port source_port() const { return Port{load_be16(bytes_, 0)}; }
  [[nodiscard]] Port destination_port() const { return Port{load_be16(bytes_, 2)}; }
  [[nodiscard]] SeqNum seq() const { return SeqNum{load_be32(bytes_, 4)}; }
  [[nodiscard]] SeqNum ack() const { return SeqNum{load_be32(bytes_, 8)}; }
  [[nodiscard]] std::size_t header_length() const { return std::size_t{load_u8(bytes_, 12)} / 16 * 4; }
  [[nodiscard]] TcpFlags flags() const { return TcpFlags{load_u8(bytes_, 13)}; }
  [[nodiscard]] std::uint16_t window() const { return load_be16(bytes_, 14); }
  [[nodiscard]] std::uint16_t checksum() const { return load_be16(bytes_, 16); }
  [[nodiscard]] std::uint16_t urgent_pointer() const { return load_be16(bytes_, 18); }
  [[nodiscard]] Bytes options() const { return bytes_.subspan(min_header_length, header_length() - min_header_length); }
  [[nodiscard]] Bytes payload() const { return bytes_.subspan(header_length()); }
  [[nodiscard]] bool checksum_ok(Ipv4Address source, Ipv4Address destination) const;

 private:
  explicit TcpView(Bytes segment) : bytes_{segment} {}
  Bytes bytes_;
};

struct TcpRepr {
  static constexpr std::size_t max_sack_blocks = 4;

  Port source_port;
  Port destination_port;
  SeqNum seq;
  SeqNum ack;  // meaningful only with ACK
  TcpFlags flags;
  std::uint16_t window = 0;  // raw field: the receiver applies the scale
  std::uint16_t urgent_pointer = 0;
  std::optional<std::uint16_t> mss;
  std::optional<std::uint8_t> window_scale;  // shift count as sent (RFC 7323 caps its use at 14)
  bool sack_permitted = false;
  std::array<SackBlock, max_sack_blocks> sack_blocks{};
  std::uint8_t sack_count = 0;
  std::optional<TcpTimestamps> timestamps;
  Bytes payload;  // borrowed

  // Checks the data offset, the option lengths (unknown options are skipped)
  // and the pseudo-header checksum; `segment` is the whole IPv4 payload.
  [[nodiscard]] static Result<TcpRepr, WireError> parse(Bytes segment, Ipv4Address source, Ipv4Address destination);

  // Header with options padded to 4 bytes. Options go in the order Linux
  // uses (MSS, SACK-permitted with timestamps, window scale, SACK blocks), so
  // a segment parsed from Linux emits to the same bytes; SACK blocks that do
  // not fit in 40 option bytes are left out.
  [[nodiscard]] std::size_t header_length() const;
  [[nodiscard]] std::size_t length() const { return header_length() + payload.size(); }
  // Sequence space used: payload plus one each for SYN and FIN.
  [[nodiscard]] std::uint32_t sequence_length() const;
  // Writes header, options, payload and checksum; segment.size() >= length().
  void emit(MutableBytes segment, Ipv4Address source, Ipv4Address destination) const;
};

// "49152 > 80 [SYN] seq 1000 win 64240 <mss 1460,sackOK,TS val 1 ecr 0,wscale 7>"
// (ack shown when ACK is set, ", N bytes" when there is payload).
[[nodiscard]] std::string to_string(const TcpRepr& repr);

}  // namespace netstep::wire
