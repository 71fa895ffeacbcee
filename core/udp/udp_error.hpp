#pragma once
// Why a UDP call could not do what was asked: the canonical outcomes the
// socket layer maps to an errno per personality (Linux in brackets). A send
// that got as far as IPv4 reports IPv4's SendStatus instead (send_status.hpp).
#include <cstdint>
#include <string_view>

namespace netstep::udp {

enum class UdpError : std::uint8_t {
  AddressInUse,         // the port is bound on an overlapping address, and not both allow reuse [EADDRINUSE]
  AddressNotAvailable,  // the requested local address is not one of ours [EADDRNOTAVAIL]
  NoEphemeralPort,      // every port of the ephemeral range is taken [EAGAIN]
  DestinationRequired,  // send() on a socket with no peer [EDESTADDRREQ]
  InvalidDestination,   // send_to() port 0 [EINVAL]
  MessageTooLong,       // more than 65507 bytes: no IPv4 datagram can carry it [EMSGSIZE]
  BroadcastNotAllowed,  // to a broadcast address without set_broadcast(true) (SO_BROADCAST) [EACCES]
  NoRoute,              // connect(): no route covers the peer [ENETUNREACH]
  UnreachableRoute,     // connect(): an "unreachable" route covers it [EHOSTUNREACH]
  ProhibitRoute,        // connect(): a "prohibit" route covers it [EACCES]
  BlackholeRoute,       // connect(): a "blackhole" route covers it [EINVAL]
};

[[nodiscard]] std::string_view to_string(UdpError e);
// One sentence, in our words, for the narrative and the debugger.
[[nodiscard]] std::string_view explain(UdpError e);

}  // namespace netstep::udp
