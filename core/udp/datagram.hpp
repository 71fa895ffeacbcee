#pragma once
// What a UDP socket holds for its user: the datagrams waiting to be read,
// and the last ICMP error about a datagram it sent.
#include <cstdint>
#include <vector>

#include "base/ipv4_address.hpp"
#include "base/port.hpp"
#include "base/time.hpp"

namespace netstep::udp {

// One received datagram, copied out of the frame it came in (one allocation
// per queued datagram: the frame's buffer is reused as soon as the event
// that delivered it returns, and a reader may keep the bytes as long as it
// likes).
struct Datagram {
  Endpoint from;                // the sender: recvfrom()'s address
  Endpoint to;                  // where it was sent: one of our addresses, or a broadcast (IP_PKTINFO)
  std::vector<std::byte> data;  // the payload
};

// An ICMP error (RFC 792, RFC 1122 4.1.3.3) about a datagram this socket
// sent, as the layer recorded it. Which of them a user sees is the socket
// layer's choice per personality: Linux reports only "hard" errors (port
// unreachable, ...) and only on a connected socket, unless IP_RECVERR asks
// for all of them.
struct UdpIcmpError {
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  Ipv4Address reporter;                   // who sent the ICMP message (a router, the peer, or ourselves)
  Endpoint destination;                   // whom the quoted datagram was for
  Instant at;                             // when the error arrived
  bool connected_to_quoted_peer = false;  // the socket is connected, to exactly `destination`
};

}  // namespace netstep::udp
