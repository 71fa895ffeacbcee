#pragma once
// What IPv4 hands transport payloads and ICMP errors to. UDP and TCP
// implement it; tests use small fakes.
#include <cstdint>
#include <string_view>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "wire/ipv4.hpp"

namespace netstep {

// An ICMP error about a datagram we sent, for the transport that sent it.
struct IcmpErrorReport {
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  std::uint32_t rest_of_header = 0;  // next-hop MTU for "fragmentation needed"
  Ipv4Address reporter;              // who sent the ICMP (a router, the peer, or ourselves)
  wire::Ipv4Repr quoted_header;      // the header of our datagram, as quoted
  Bytes quoted_transport;            // its first bytes: ports, and for TCP the sequence number
};

class TransportProtocol {
 public:
  virtual ~TransportProtocol() = default;
  [[nodiscard]] virtual std::string_view transport_name() const = 0;
  // A datagram for this host. `packet` is the whole IPv4 packet (for ICMP
  // errors that must quote it); `link_broadcast` as in Ipv4Receiver.
  virtual void receive_ipv4(const wire::Ipv4Repr& header, Bytes payload, Bytes packet, bool link_broadcast) = 0;
  virtual void receive_icmp_error(const IcmpErrorReport& report) = 0;
};

}  // namespace netstep
