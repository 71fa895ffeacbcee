#include "udp/udp_error.hpp"

namespace netstep::udp {

std::string_view to_string(UdpError e) {
  switch (e) {
    case UdpError::AddressInUse: return "address in use";
    case UdpError::AddressNotAvailable: return "address not available";
    case UdpError::NoEphemeralPort: return "no ephemeral port";
    case UdpError::DestinationRequired: return "destination required";
    case UdpError::InvalidDestination: return "invalid destination";
    case UdpError::MessageTooLong: return "message too long";
    case UdpError::BroadcastNotAllowed: return "broadcast not allowed";
    case UdpError::NoRoute: return "no route";
    case UdpError::UnreachableRoute: return "unreachable route";
    case UdpError::ProhibitRoute: return "prohibit route";
    case UdpError::BlackholeRoute: return "blackhole route";
  }
  return "?";
}

std::string_view explain(UdpError e) {
  switch (e) {
    case UdpError::AddressInUse:
      return "another socket is bound to this port on the same or an overlapping address, and not both asked for "
             "address reuse";
    case UdpError::AddressNotAvailable: return "the requested local address is not an address of this host";
    case UdpError::NoEphemeralPort: return "every port of the ephemeral range is already bound";
    case UdpError::DestinationRequired: return "the socket has no peer, so a datagram needs a destination";
    case UdpError::InvalidDestination: return "port 0 cannot be the destination of a datagram";
    case UdpError::MessageTooLong: return "the data does not fit in one IPv4 datagram (at most 65507 bytes)";
    case UdpError::BroadcastNotAllowed:
      return "the destination is a broadcast address and the socket did not enable broadcasts (SO_BROADCAST)";
    case UdpError::NoRoute: return "no route covers the peer";
    case UdpError::UnreachableRoute: return "the routing table says the peer is unreachable";
    case UdpError::ProhibitRoute: return "the routing table forbids reaching the peer";
    case UdpError::BlackholeRoute: return "the routing table silently discards traffic to the peer";
  }
  return "?";
}

}  // namespace netstep::udp
