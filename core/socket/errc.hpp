#pragma once
// Errc: the canonical error of a socket call, one name per *meaning*, as the
// stack computes it before any personality has spoken. A personality
// (personality.hpp) turns it into its own return value, error name and
// number. The enumerators are spelled out in words because <cerrno> defines
// the POSIX names (EINTR, ...) as macros; posix_name() gives those names.
#include <cstdint>
#include <span>
#include <string_view>

namespace netstep::socket {

enum class Errc : std::uint8_t {
  Interrupted,           // EINTR: a signal ended a blocking call
  BadDescriptor,         // EBADF
  TryAgain,              // EAGAIN: nothing now, try later (also: no ephemeral UDP port, Linux)
  WouldBlock,            // EWOULDBLOCK: a non-blocking call could not complete at once
  PermissionDenied,      // EACCES: broadcast without SO_BROADCAST, a prohibit route
  BadAddress,            // EFAULT: an address the caller cannot pass (null, bad pointer)
  InvalidArgument,       // EINVAL
  NameTooLong,           // ENAMETOOLONG: an address length beyond the system's limit
  BrokenPipe,            // EPIPE: sending after the connection was shut down
  NotASocket,            // ENOTSOCK
  DestinationRequired,   // EDESTADDRREQ: no peer to send to
  MessageTooLong,        // EMSGSIZE
  ProtocolError,         // EPROTO: ICMP parameter problem
  ProtocolNotAvailable,  // ENOPROTOOPT: also ICMP protocol unreachable on Linux
  NotSupported,          // EOPNOTSUPP
  FamilyNotSupported,    // EAFNOSUPPORT
  AddressInUse,          // EADDRINUSE
  AddressNotAvailable,   // EADDRNOTAVAIL
  NetworkDown,           // ENETDOWN: the stack or interface is down (TargetTCP: not initialised)
  NetworkUnreachable,    // ENETUNREACH
  NoNetwork,             // ENONET: ICMP "host isolated" on Linux
  ConnectionAborted,     // ECONNABORTED
  ConnectionReset,       // ECONNRESET
  NoBufferSpace,         // ENOBUFS
  NoSpace,               // ENOSPC: FreeRTOS+TCP's send() when its stream buffer is full
  IsConnected,           // EISCONN
  NotConnected,          // ENOTCONN
  TimedOut,              // ETIMEDOUT
  ConnectionRefused,     // ECONNREFUSED
  HostDown,              // EHOSTDOWN
  HostUnreachable,       // EHOSTUNREACH
  Already,               // EALREADY: a connect is already under way
  InProgress,            // EINPROGRESS: the connect goes on in the background
  Canceled,              // ECANCELED (FreeRTOS: the request never reached the IP task)
  NotInitialised,        // WSANOTINITIALISED: no WSAStartup (Winsock only)
};

inline constexpr Errc all_errcs[] = {
    Errc::Interrupted,        Errc::BadDescriptor,        Errc::TryAgain,           Errc::WouldBlock,
    Errc::PermissionDenied,   Errc::BadAddress,           Errc::InvalidArgument,    Errc::NameTooLong,
    Errc::BrokenPipe,         Errc::NotASocket,           Errc::DestinationRequired, Errc::MessageTooLong,
    Errc::ProtocolError,      Errc::ProtocolNotAvailable, Errc::NotSupported,       Errc::FamilyNotSupported,
    Errc::AddressInUse,       Errc::AddressNotAvailable,  Errc::NetworkDown,        Errc::NetworkUnreachable,
    Errc::NoNetwork,          Errc::ConnectionAborted,    Errc::ConnectionReset,    Errc::NoBufferSpace,      Errc::NoSpace,
    Errc::IsConnected,        Errc::NotConnected,         Errc::TimedOut,           Errc::ConnectionRefused,
    Errc::HostDown,           Errc::HostUnreachable,      Errc::Already,            Errc::InProgress,
    Errc::Canceled,           Errc::NotInitialised,
};

// "EINTR", "ECONNREFUSED", ...: the POSIX spelling (Winsock's own code for
// NotInitialised, which POSIX lacks).
[[nodiscard]] std::string_view posix_name(Errc e);
// What the error means, in one short phrase of our own ("the peer refused
// the connection"), for the narrative and the debugger.
[[nodiscard]] std::string_view meaning(Errc e);
// The name read back: posix_name(e) == name. Lets scenario files and tests
// write errors as names.
[[nodiscard]] bool parse_errc(std::string_view name, Errc& out);

}  // namespace netstep::socket
