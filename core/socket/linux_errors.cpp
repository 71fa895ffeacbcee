#include "socket/linux_errors.hpp"

#include "wire/icmp.hpp"

namespace netstep::socket {

std::optional<LinuxIcmpError> linux_icmp_error(std::uint8_t type, std::uint8_t code) {
  // __udp4_lib_err: time exceeded is EHOSTUNREACH but not hard; a parameter
  // problem is EPROTO and hard.
  if (type == wire::icmp_type::time_exceeded) return LinuxIcmpError{Errc::HostUnreachable, false};
  if (type == wire::icmp_type::parameter_problem) return LinuxIcmpError{Errc::ProtocolError, true};
  if (type != wire::icmp_type::destination_unreachable) return std::nullopt;
  // icmp_err_convert[], indexed by the destination-unreachable code.
  switch (code) {
    // Net and host unreachable are soft (.fatal = 0): a connected UDP
    // socket hears of them only with IP_RECVERR (measured: matrix U11).
    case 0: return LinuxIcmpError{Errc::NetworkUnreachable, false};    // net unreachable
    case 1: return LinuxIcmpError{Errc::HostUnreachable, false};       // host unreachable
    case 2: return LinuxIcmpError{Errc::ProtocolNotAvailable, true};   // protocol unreachable
    case 3: return LinuxIcmpError{Errc::ConnectionRefused, true};      // port unreachable
    case 4: return std::nullopt;                                       // fragmentation needed: PMTU, not an error
    case 5: return LinuxIcmpError{Errc::NotSupported, false};          // source route failed
    case 6: return LinuxIcmpError{Errc::NetworkUnreachable, true};     // destination network unknown
    case 7: return LinuxIcmpError{Errc::HostDown, true};               // destination host unknown
    case 8: return LinuxIcmpError{Errc::NoNetwork, true};              // source host isolated
    case 9: return LinuxIcmpError{Errc::NetworkUnreachable, true};     // network administratively prohibited
    case 10: return LinuxIcmpError{Errc::HostUnreachable, true};       // host administratively prohibited
    case 11: return LinuxIcmpError{Errc::NetworkUnreachable, false};   // network unreachable for TOS
    case 12: return LinuxIcmpError{Errc::HostUnreachable, false};      // host unreachable for TOS
    case 13: return LinuxIcmpError{Errc::HostUnreachable, true};       // communication administratively prohibited
    case 14: return LinuxIcmpError{Errc::HostUnreachable, true};       // host precedence violation
    case 15: return LinuxIcmpError{Errc::HostUnreachable, true};       // precedence cut-off in effect
    default: return std::nullopt;                                      // beyond NR_ICMP_UNREACH: ignored
  }
}

Errc linux_connect_error(tcp::ConnectError e) {
  switch (e) {
    case tcp::ConnectError::NoRoute: return Errc::NetworkUnreachable;
    case tcp::ConnectError::UnreachableRoute: return Errc::HostUnreachable;
    case tcp::ConnectError::ProhibitRoute: return Errc::PermissionDenied;
    case tcp::ConnectError::BlackholeRoute: return Errc::InvalidArgument;
    case tcp::ConnectError::AddressNotAvailable: return Errc::AddressNotAvailable;
    // T25: Linux reports a four-tuple clash as EADDRNOTAVAIL, not the
    // EADDRINUSE every manual documents (measured).
    case tcp::ConnectError::AddressInUse: return Errc::AddressNotAvailable;
    case tcp::ConnectError::NoEphemeralPort: return Errc::AddressNotAvailable;
    // T22: broadcast and multicast are refused by routing (measured).
    case tcp::ConnectError::NotUnicast: return Errc::NetworkUnreachable;
    // T25b: with tcp_timestamps=0 the TIME-WAIT entry is not recycled (measured).
    case tcp::ConnectError::TimeWaitInUse: return Errc::AddressNotAvailable;
  }
  return Errc::InvalidArgument;
}

std::optional<Errc> linux_connection_error(tcp::Outcome outcome, const std::optional<tcp::SoftError>& soft_error) {
  // The errno of the ICMP error the connection kept, if Linux reports it.
  const std::optional<LinuxIcmpError> icmp =
      soft_error ? linux_icmp_error(soft_error->type, soft_error->code) : std::nullopt;
  switch (outcome) {
    case tcp::Outcome::Open:
    case tcp::Outcome::Closed: return std::nullopt;
    case tcp::Outcome::Refused: return Errc::ConnectionRefused;
    case tcp::Outcome::TimedOut:
      return icmp ? icmp->errc : Errc::TimedOut;  // tcp_write_err(): sk_err_soft ? : ETIMEDOUT
    case tcp::Outcome::Unreachable:
      return icmp ? icmp->errc : Errc::HostUnreachable;  // T04, T05: tcp_v4_err sets sk_err to the ICMP's errno
    case tcp::Outcome::Reset: return Errc::ConnectionReset;
    case tcp::Outcome::Aborted: return Errc::ConnectionAborted;
  }
  return std::nullopt;
}

}  // namespace netstep::socket
