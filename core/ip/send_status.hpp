#pragma once
// The outcome of asking IPv4 to send. Each failure is a distinct reason; the
// socket layer's personalities turn them into errno values (Linux: NoRoute
// -> ENETUNREACH, UnreachableRoute -> EHOSTUNREACH, ProhibitRoute -> EACCES,
// BlackholeRoute -> EINVAL, TooBig -> EMSGSIZE; connect-matrix.md T07, T07b).
#include <cstdint>
#include <string_view>

namespace netstep {

enum class SendStatus : std::uint8_t {
  Sent,              // handed to an interface (it may still wait for ARP)
  DeliveredLocally,  // addressed to this host: delivered through the loopback path
  NoRoute,
  UnreachableRoute,
  ProhibitRoute,
  BlackholeRoute,
  TooBig,            // larger than the MTU with don't-fragment set, or than 65535
  NoSourceAddress,   // the outgoing interface has no IPv4 address
};

[[nodiscard]] constexpr std::string_view to_string(SendStatus s) {
  switch (s) {
    case SendStatus::Sent: return "sent";
    case SendStatus::DeliveredLocally: return "delivered locally";
    case SendStatus::NoRoute: return "no route to the network";
    case SendStatus::UnreachableRoute: return "unreachable route";
    case SendStatus::ProhibitRoute: return "prohibit route";
    case SendStatus::BlackholeRoute: return "blackhole route";
    case SendStatus::TooBig: return "message too long";
    case SendStatus::NoSourceAddress: return "no source address";
  }
  return "?";
}

[[nodiscard]] constexpr bool succeeded(SendStatus s) {
  return s == SendStatus::Sent || s == SendStatus::DeliveredLocally;
}

}  // namespace netstep
