#pragma once
// ARP for IPv4 over Ethernet (RFC 826). The only combination netstep speaks:
// hardware type 1 (Ethernet, 6-octet addresses), protocol type 0x0800
// (IPv4, 4-octet addresses).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |     Hardware type (1)         |     Protocol type (0x0800)    |
//  +---------------+---------------+-------------------------------+
//  |  HLEN (6)     |  PLEN (4)     |     Operation (1 req, 2 rep)  |
//  +---------------+---------------+-------------------------------+
//  |        Sender hardware address (6) | Sender protocol addr (4) |
//  |        Target hardware address (6) | Target protocol addr (4) |
//  +-------------------------------------------------------------- +
#include <cstdint>
#include <string>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/mac_address.hpp"
#include "base/result.hpp"
#include "wire/wire_error.hpp"

namespace netstep::wire {

enum class ArpOperation : std::uint16_t { Request = 1, Reply = 2 };

class ArpView {
 public:
  static constexpr std::size_t length = 28;
  // Checks length, hardware/protocol types and lengths, and the operation.
  [[nodiscard]] static Result<ArpView, WireError> check(Bytes packet);

  [[nodiscard]] ArpOperation operation() const;
  [[nodiscard]] MacAddress sender_mac() const;
  [[nodiscard]] Ipv4Address sender_ip() const;
  [[nodiscard]] MacAddress target_mac() const;
  [[nodiscard]] Ipv4Address target_ip() const;

 private:
  explicit ArpView(Bytes packet) : bytes_{packet} {}
  Bytes bytes_;
};

struct ArpRepr {
  ArpOperation operation = ArpOperation::Request;
  MacAddress sender_mac;
  Ipv4Address sender_ip;
  MacAddress target_mac;  // zero in a request
  Ipv4Address target_ip;

  [[nodiscard]] static Result<ArpRepr, WireError> parse(Bytes packet);
  [[nodiscard]] static constexpr std::size_t length() { return ArpView::length; }
  void emit(MutableBytes packet) const;  // packet.size() >= length()
  // A gratuitous ARP announces the sender's own mapping (sender_ip == target_ip).
  [[nodiscard]] bool is_gratuitous() const { return sender_ip == target_ip; }

  constexpr auto operator<=>(const ArpRepr&) const = default;
};

// "who-has 10.0.0.2 tell 10.0.0.1", "10.0.0.2 is-at 02:00:00:00:00:02"
[[nodiscard]] std::string to_string(const ArpRepr& repr);

}  // namespace netstep::wire
