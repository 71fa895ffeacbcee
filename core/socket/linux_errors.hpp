#pragma once
// What Linux reports for the facts the TCP engine establishes: an ICMP
// error, a connect() refused before any segment, the end of a connection.
// These are the canonical errors of the linux personality; the other
// personalities start from the same facts and differ where
// connect-matrix.md says they do.
#include <cstdint>
#include <optional>
#include <string_view>

#include "socket/errc.hpp"
#include "tcp/connection.hpp"
#include "tcp/tcp_layer.hpp"

namespace netstep::socket {

struct LinuxIcmpError {
  Errc errc;
  // Linux's icmp_err_convert[] "fatal" flag: RFC 1122 calls the others
  // soft. In SYN-SENT tcp_v4_err aborts on every error it converts, fatal
  // or not (connect-matrix.md T04/T05, measured).
  bool fatal;
};

// ICMP type/code -> errno as Linux's tcp_v4_err converts them
// (net/ipv4/icmp.c icmp_err_convert[], ICMP_TIME_EXCEEDED -> EHOSTUNREACH,
// ICMP_PARAMETERPROB -> EPROTO). nullopt: Linux does not report this one
// (fragmentation needed is path MTU discovery, source quench and
// redirects are not errors, other types are ignored).
[[nodiscard]] std::optional<LinuxIcmpError> linux_icmp_error(std::uint8_t type, std::uint8_t code);

// A connect() that TCP refused before sending anything (connect-matrix.md
// T07, T07b, T22, T25, T26).
[[nodiscard]] Errc linux_connect_error(tcp::ConnectError e);

// The error a failed connection reports (SO_ERROR, or the return of a
// blocking connect()): refused -> ECONNREFUSED (T02), timed out ->
// ETIMEDOUT or, if an ICMP error arrived meanwhile, that error (T06), reset
// -> ECONNRESET, aborted by us -> ECONNABORTED. nullopt for an orderly close
// or a connection still open.
[[nodiscard]] std::optional<Errc> linux_connection_error(tcp::Outcome outcome,
                                                         const std::optional<tcp::SoftError>& soft_error);

}  // namespace netstep::socket
