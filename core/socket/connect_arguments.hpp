#pragma once
// The checks connect() makes on its arguments before TCP sees anything,
// in each personality's order: the address length, a null or bad pointer,
// the family, and the destinations a system refuses outright (0.0.0.0,
// port 0, broadcast, multicast). Rows T16-T22 of
// ../shared/reference/connect-matrix.md; the order of FreeBSD's checks is
// connect-source.md 2a, Winsock's 3e, FreeRTOS+TCP's 1e, TargetTCP's 4.
//
// Checks that depend on the socket's state (bad descriptor, EALREADY,
// EISCONN, a listening socket) and on routing (no route, Linux's broadcast
// refusal) are made after these, by the socket layer and TCP.
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/port.hpp"
#include "socket/errc.hpp"
#include "socket/personality.hpp"

namespace netstep::socket {

// Address families as a C program passes them (Linux's numbers: the checks
// only compare them with AF_INET and AF_UNSPEC).
inline constexpr std::uint16_t af_unspec = 0;
inline constexpr std::uint16_t af_unix = 1;
inline constexpr std::uint16_t af_inet = 2;
inline constexpr std::uint16_t af_inet6 = 10;
inline constexpr std::uint32_t sockaddr_in_size = 16;

// What the caller handed connect(): `const struct sockaddr* addr` (null,
// or pointing at these fields) and `socklen_t addrlen`.
struct ConnectArguments {
  bool address_null = false;  // NULL or a pointer the kernel cannot read
  std::uint32_t addrlen = sockaddr_in_size;
  std::uint16_t family = af_inet;
  Endpoint destination;       // sin_addr and sin_port
};

struct ArgumentVerdict {
  enum class Action : std::uint8_t {
    Fail,                    // the call fails with `error`, nothing is sent
    Connect,                 // go on, towards `destination`
    Disconnect,              // AF_UNSPEC on Linux: the connection is dropped (RST if open), the call returns 0 (T19)
    ConnectToPreviousPeer,   // FreeRTOS+TCP with an unknown family: the address is not read (connect-source.md 1e)
  };
  Action action = Action::Connect;
  std::optional<Errc> error;
  Endpoint destination;
  Provenance provenance = Provenance::Documented;
  std::string_view rule;  // which check decided, and where it comes from
  // Connect towards another address than the one given (T20: 0.0.0.0 is
  // this host); a success then reports this verdict's rule and provenance.
  bool destination_rewritten = false;
};

[[nodiscard]] ArgumentVerdict check_connect_arguments(PersonalityId personality, const ConnectArguments& arguments);

}  // namespace netstep::socket
