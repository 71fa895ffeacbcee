// The linux personality's errors for the facts TCP establishes, against the
// measured rows of ../shared/reference/connect-matrix.md.
#include <catch2/catch.hpp>

#include "socket/linux_errors.hpp"
#include "wire/icmp.hpp"

using namespace netstep;
using namespace netstep::socket;

namespace {
Errc icmp(std::uint8_t type, std::uint8_t code) {
  const auto e = linux_icmp_error(type, code);
  REQUIRE(e);
  return e->errc;
}
constexpr std::uint8_t unreachable = wire::icmp_type::destination_unreachable;
}  // namespace

TEST_CASE("T04, T05: ICMP errors become ENETUNREACH, EHOSTUNREACH, ENOPROTOOPT, ECONNREFUSED as Linux measured",
          "[socket][linux][icmp]") {
  CHECK(icmp(unreachable, 0) == Errc::NetworkUnreachable);  // no route at the router
  CHECK(icmp(unreachable, 9) == Errc::NetworkUnreachable);  // net prohibited
  CHECK(icmp(unreachable, 1) == Errc::HostUnreachable);     // unreachable route at the router
  CHECK(icmp(unreachable, 10) == Errc::HostUnreachable);    // host prohibited
  CHECK(icmp(unreachable, 13) == Errc::HostUnreachable);    // admin prohibited / packet filtered
  CHECK(icmp(wire::icmp_type::time_exceeded, 0) == Errc::HostUnreachable);  // TTL 1
  CHECK(icmp(unreachable, 2) == Errc::ProtocolNotAvailable);                // protocol unreachable
  CHECK(icmp(unreachable, 3) == Errc::ConnectionRefused);                   // port unreachable (T02)
  CHECK(icmp(wire::icmp_type::parameter_problem, 0) == Errc::ProtocolError);
}

TEST_CASE("ICMP messages Linux does not report: fragmentation needed, unknown codes, echo", "[socket][linux][icmp]") {
  CHECK_FALSE(linux_icmp_error(unreachable, 4));
  CHECK_FALSE(linux_icmp_error(unreachable, 16));
  CHECK_FALSE(linux_icmp_error(0, 0));
  CHECK_FALSE(linux_icmp_error(unreachable, 11)->fatal);  // for TOS: soft in RFC 1122's sense
  CHECK_FALSE(linux_icmp_error(unreachable, 0)->fatal);  // icmp_err_convert[]: net unreachable is soft
  CHECK_FALSE(linux_icmp_error(unreachable, 1)->fatal);  // host unreachable too (matrix U11, measured)
  CHECK(linux_icmp_error(unreachable, 3)->fatal);        // port unreachable is hard (U10)
  CHECK(linux_icmp_error(unreachable, 10)->fatal);       // host administratively prohibited
  CHECK_FALSE(linux_icmp_error(wire::icmp_type::time_exceeded, 0)->fatal);  // __udp4_lib_err: not a hard error
}

TEST_CASE("T07, T07b, T25, T26: connect() refused before any segment", "[socket][linux]") {
  CHECK(linux_connect_error(tcp::ConnectError::NoRoute) == Errc::NetworkUnreachable);
  CHECK(linux_connect_error(tcp::ConnectError::UnreachableRoute) == Errc::HostUnreachable);
  CHECK(linux_connect_error(tcp::ConnectError::ProhibitRoute) == Errc::PermissionDenied);
  CHECK(linux_connect_error(tcp::ConnectError::BlackholeRoute) == Errc::InvalidArgument);
  CHECK(linux_connect_error(tcp::ConnectError::AddressInUse) == Errc::AddressNotAvailable);  // not EADDRINUSE
  CHECK(linux_connect_error(tcp::ConnectError::NoEphemeralPort) == Errc::AddressNotAvailable);
  CHECK(linux_connect_error(tcp::ConnectError::AddressNotAvailable) == Errc::AddressNotAvailable);
}

TEST_CASE("T02, T03, T04, T05, T06: how a connection ended, as SO_ERROR reads it", "[socket][linux]") {
  CHECK(linux_connection_error(tcp::Outcome::Refused, {}) == Errc::ConnectionRefused);
  CHECK(linux_connection_error(tcp::Outcome::TimedOut, {}) == Errc::TimedOut);
  // T06: an ICMP error stored as soft during the handshake replaces ETIMEDOUT.
  const tcp::SoftError host_unreachable{unreachable, 1, Ipv4Address{10, 0, 0, 254}};
  CHECK(linux_connection_error(tcp::Outcome::TimedOut, host_unreachable) == Errc::HostUnreachable);
  const tcp::SoftError frag_needed{unreachable, 4, Ipv4Address{10, 0, 0, 254}};
  CHECK(linux_connection_error(tcp::Outcome::TimedOut, frag_needed) == Errc::TimedOut);
  // T04, T05, T08: an ICMP error ended the handshake: that error itself.
  const tcp::SoftError net_unreachable{unreachable, 0, Ipv4Address{10, 0, 0, 254}};
  CHECK(linux_connection_error(tcp::Outcome::Unreachable, net_unreachable) == Errc::NetworkUnreachable);
  CHECK(linux_connection_error(tcp::Outcome::Unreachable, host_unreachable) == Errc::HostUnreachable);
  CHECK(linux_connection_error(tcp::Outcome::Reset, {}) == Errc::ConnectionReset);
  CHECK(linux_connection_error(tcp::Outcome::Aborted, {}) == Errc::ConnectionAborted);
  CHECK_FALSE(linux_connection_error(tcp::Outcome::Closed, {}));
  CHECK_FALSE(linux_connection_error(tcp::Outcome::Open, {}));
}
