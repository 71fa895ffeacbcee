#pragma once
// UDP datagrams (RFC 768).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |          Source Port          |       Destination Port        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |            Length             |           Checksum            |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  data ...
//
// The checksum covers a pseudo-header (source and destination addresses,
// protocol 17, UDP length) as well as the datagram. A checksum field of 0
// means the sender computed none (allowed over IPv4), so a computed 0 is sent
// as 0xffff, its other ones' complement spelling.
#include <cstdint>
#include <string>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/port.hpp"
#include "base/result.hpp"
#include "wire/wire_error.hpp"

namespace netstep::wire {

class UdpView {
 public:
  static constexpr std::size_t header_length = 8;

  // Checks the buffer holds the header and that the length field is at least
  // 8 and within the buffer (bytes past it are ignored). No checksum check.
  [[nodiscard]] static Result<UdpView, WireError> check(Bytes datagram);

  [[nodiscard]] Port source_port() const { return Port{load_be16(bytes_, 0)}; }
  [[nodiscard]] Port destination_port() const { return Port{load_be16(bytes_, 2)}; }
  [[nodiscard]] std::uint16_t length() const { return load_be16(bytes_, 4); }
  [[nodiscard]] std::uint16_t checksum() const { return load_be16(bytes_, 6); }
  [[nodiscard]] Bytes payload() const { return bytes_.subspan(header_length, length() - header_length); }
  // True if the checksum field is 0 (none sent) or verifies with the pseudo-header.
  [[nodiscard]] bool checksum_ok(Ipv4Address source, Ipv4Address destination) const;

 private:
  explicit UdpView(Bytes datagram) : bytes_{datagram} {}
  Bytes bytes_;
};

struct UdpRepr {
  Port source_port;
  Port destination_port;
  Bytes payload;  // borrowed from the parsed datagram, or the data to send

  // Checks length and checksum; source/destination are the IPv4 addresses.
  [[nodiscard]] static Result<UdpRepr, WireError> parse(Bytes datagram, Ipv4Address source,
                                                        Ipv4Address destination);
  [[nodiscard]] std::size_t length() const { return UdpView::header_length + payload.size(); }
  // Writes header, payload and checksum; datagram.size() >= length() and
  // length() <= 65535.
  void emit(MutableBytes datagram, Ipv4Address source, Ipv4Address destination) const;
};

// "5000 > 7 len 19"
[[nodiscard]] std::string to_string(const UdpRepr& repr);

}  // namespace netstep::wire
