#include "socket/datagram_semantics.hpp"

#include "socket/linux_errors.hpp"

namespace netstep::socket {

namespace {

using P = Provenance;
using udp::UdpError;

constexpr std::uint8_t icmp_destination_unreachable = 3;
constexpr std::uint8_t code_protocol_unreachable = 2;
constexpr std::uint8_t code_port_unreachable = 3;

// Measured: connect-matrix.md U01-U14 and docs/sockets.md.
DatagramSemantics linux_datagrams() {
  DatagramSemantics d;
  d.personality = PersonalityId::Linux;
  d.autobind_before_address_checks = true;
  d.dissolve_releases_auto_port = true;
  d.broadcast_check = BroadcastCheck::AtConnect;
  d.broadcast_provenance = P::Measured;
  d.send_without_peer = {Errc::DestinationRequired, P::Measured, "U06: send() with no peer: EDESTADDRREQ"};
  d.no_ephemeral_port = {Errc::TryAgain, P::Measured, "U14: no ephemeral UDP port left: EAGAIN"};
  d.error_report = UdpErrorReport::LinuxHardOnConnected;
  return d;
}

// connect-source.md 2f (udp_usrreq.c, in_pcb.c, ip_output.c).
DatagramSemantics freebsd_datagrams() {
  DatagramSemantics d;
  d.personality = PersonalityId::FreeBsd;
  d.broadcast_check = BroadcastCheck::AtSend;
  d.broadcast_provenance = P::DerivedFromSource;
  d.send_without_peer = {Errc::DestinationRequired, P::Assumed,
                         "U06: send() with no peer: EDESTADDRREQ (sosend_dgram; [S2] is silent)"};
  d.sendto_on_connected = Ruled{Errc::IsConnected, P::Assumed,
                                "sendto() with an address on a connected UDP socket: EISCONN (udp_output)"};
  d.no_ephemeral_port = {Errc::AddressNotAvailable, P::DerivedFromSource,
                         "U14: in_pcb_lport found no free port: EADDRNOTAVAIL (2g; the man page says EAGAIN)"};
  d.error_report = UdpErrorReport::BsdConnected;
  return d;
}

// connect-source.md 3f (Winsock's connect manual, [S4]).
DatagramSemantics winsock_datagrams() {
  DatagramSemantics d;
  d.personality = PersonalityId::Winsock;
  d.reconnect_discards_queue =
      Ruled{Errc::InvalidArgument, P::Documented, "U03: datagrams queued from the old peer are discarded [S4]"};
  d.broadcast_check = BroadcastCheck::AtConnect;
  d.broadcast_provenance = P::Documented;
  d.send_without_peer = {Errc::NotConnected, P::Documented, "U06: send() on an unconnected UDP socket: WSAENOTCONN [S4]"};
  d.transfer_after_dissolve =
      Ruled{Errc::NotConnected, P::Documented, "U05: the association was dissolved; send()/recv() fail WSAENOTCONN [S4]"};
  d.no_ephemeral_port = {Errc::NoBufferSpace, P::Observed, "U14: WSAENOBUFS, as commonly observed (3g)"};
  d.error_report = UdpErrorReport::PortUnreachableOnReceive;
  d.truncated_datagram = Ruled{Errc::MessageTooLong, P::Assumed,
                               "a datagram longer than the buffer: the buffer holds its start, recv() fails WSAEMSGSIZE"};
  return d;
}

// connect-source.md 1f: FreeRTOS_connect is TCP-only.
DatagramSemantics freertos_datagrams() {
  DatagramSemantics d;
  d.personality = PersonalityId::FreeRtos;
  d.connect_unsupported = Ruled{Errc::BadDescriptor, P::DerivedFromSource,
                                "U01: FreeRTOS_connect accepts TCP sockets only: -EBADF (prvValidSocket, 1f)"};
  d.broadcast_check = BroadcastCheck::Never;
  d.broadcast_provenance = P::DerivedFromSource;
  d.send_without_peer = {Errc::InvalidArgument, P::DerivedFromSource, "FreeRTOS_send is TCP-only: -EINVAL (1f)"};
  d.no_ephemeral_port = {Errc::InvalidArgument, P::DerivedFromSource, "U14: the implicit bind failed: -EINVAL (1g)"};
  d.error_report = UdpErrorReport::None;
  return d;
}

// connect-source.md section 4 ([S1]); what it leaves open is BSD-like, assumed.
DatagramSemantics targettcp_datagrams() {
  DatagramSemantics d;
  d.personality = PersonalityId::TargetTcp;
  d.broadcast_check = BroadcastCheck::AtSend;
  d.broadcast_provenance = P::Assumed;
  d.send_without_peer = {Errc::DestinationRequired, P::Assumed,
                         "U06: [S1] says an unconnected socket must use sendto(); EDESTADDRREQ assumed"};
  d.sendto_on_connected = Ruled{Errc::IsConnected, P::Assumed, "sendto() on a connected UDP socket: EISCONN (BSD-like)"};
  d.no_ephemeral_port = {Errc::AddressInUse, P::Assumed, "U14: [S1] lists EADDRINUSE; the exhaustion code is not given"};
  d.error_report = UdpErrorReport::BsdConnected;
  return d;
}

Errc bsd_icmp_errc(const udp::UdpIcmpError& e) {
  if (e.type == icmp_destination_unreachable &&
      (e.code == code_port_unreachable || e.code == code_protocol_unreachable)) {
    return Errc::ConnectionRefused;
  }
  return Errc::HostUnreachable;
}

}  // namespace

const DatagramSemantics& DatagramSemantics::get(PersonalityId id) {
  static const DatagramSemantics all[] = {linux_datagrams(), freebsd_datagrams(), winsock_datagrams(),
                                          freertos_datagrams(), targettcp_datagrams()};
  return all[static_cast<std::size_t>(id)];
}

Ruled DatagramSemantics::refusal(UdpError e) const {
  const P linux_or_assumed = personality == PersonalityId::Linux ? P::Measured : P::Assumed;
  switch (e) {
    case UdpError::AddressInUse:
      return {Errc::AddressInUse, linux_or_assumed, "bind(): the port is taken on an overlapping address"};
    case UdpError::AddressNotAvailable:
      return {Errc::AddressNotAvailable, linux_or_assumed, "bind(): the address is not one of this host's"};
    case UdpError::NoEphemeralPort: return no_ephemeral_port;
    case UdpError::DestinationRequired: return send_without_peer;
    case UdpError::InvalidDestination:
      return {Errc::InvalidArgument, linux_or_assumed, "sendto() to port 0: EINVAL"};
    case UdpError::MessageTooLong:
      return {Errc::MessageTooLong, linux_or_assumed, "more than 65507 bytes: no IPv4 datagram can carry it"};
    case UdpError::BroadcastNotAllowed:
      return {Errc::PermissionDenied, broadcast_provenance, "U07: a broadcast destination without SO_BROADCAST: EACCES"};
    case UdpError::NoRoute: return {Errc::NetworkUnreachable, linux_or_assumed, "no route to the destination"};
    case UdpError::UnreachableRoute:
      return {Errc::HostUnreachable, linux_or_assumed, "an unreachable route covers the destination"};
    case UdpError::ProhibitRoute:
      return {Errc::PermissionDenied, linux_or_assumed, "a prohibit route covers the destination"};
    case UdpError::BlackholeRoute:
      return {Errc::InvalidArgument, linux_or_assumed, "a blackhole route covers the destination"};
  }
  return {Errc::InvalidArgument, P::Assumed, "unexpected"};
}

std::optional<Ruled> DatagramSemantics::icmp_error(const udp::UdpIcmpError& e, bool receive_errors,
                                                   bool for_receive) const {
  switch (error_report) {
    case UdpErrorReport::LinuxHardOnConnected: {
      const std::optional<LinuxIcmpError> linux = linux_icmp_error(e.type, e.code);
      if (!linux) return std::nullopt;
      // __udp4_lib_err: without IP_RECVERR only a hard error on a connected socket.
      if (!receive_errors && !(linux->fatal && e.connected_to_quoted_peer)) return std::nullopt;
      return Ruled{linux->errc, P::Measured,
                   receive_errors ? "U11: with IP_RECVERR every ICMP error about our datagrams is reported"
                                  : "U10: an ICMP error about a datagram to our peer, reported once"};
    }
    case UdpErrorReport::BsdConnected:
      if (!e.connected_to_quoted_peer) return std::nullopt;
      return Ruled{bsd_icmp_errc(e), P::Assumed,
                   "U10: an ICMP unreachable about a datagram to our peer sets so_error (udp_notify), reported once"};
    case UdpErrorReport::PortUnreachableOnReceive:
      if (!for_receive || e.type != icmp_destination_unreachable || e.code != code_port_unreachable) return std::nullopt;
      return Ruled{Errc::ConnectionReset, P::Assumed,
                   "U10: a port unreachable fails the next recv() with WSAECONNRESET (SIO_UDP_CONNRESET on)"};
    case UdpErrorReport::None: return std::nullopt;
  }
  return std::nullopt;
}

// --- connect()'s arguments ------------------------------------------------------

namespace {

using Action = UdpConnectVerdict::Action;

UdpConnectVerdict fail(Errc e, Provenance p, std::string_view rule, bool after_autobind = false) {
  return {Action::Fail, e, {}, p, rule, after_autobind};
}
UdpConnectVerdict go(Endpoint destination, Provenance p, std::string_view rule) {
  return {Action::Connect, std::nullopt, destination, p, rule, false};
}

// net/socket.c move_addr_to_kernel, af_inet.c inet_dgram_connect (autobind
// first), ip4_datagram_connect. Measured (U04, U05, U12, U13).
UdpConnectVerdict linux_udp(const ConnectArguments& a) {
  constexpr auto measured = P::Measured;
  if (a.addrlen > 128) return fail(Errc::InvalidArgument, measured, "U13: addrlen above 128");
  if (a.addrlen > 0 && a.address_null) return fail(Errc::BadAddress, measured, "U13: the address cannot be read");
  if (a.addrlen < 2) return fail(Errc::InvalidArgument, measured, "U13: addrlen shorter than the family field");
  if (a.family == af_unspec) {
    return {Action::Dissolve, std::nullopt, {}, measured,
            "U04: AF_UNSPEC dissolves the association (a port the stack chose is given back)", false};
  }
  if (a.addrlen < sockaddr_in_size) return fail(Errc::InvalidArgument, measured, "U13: addrlen below 16", true);
  if (a.family != af_inet) return fail(Errc::FamilyNotSupported, measured, "U13: not AF_INET", true);
  if (a.destination.address.is_unspecified()) {
    return go(a.destination, measured, "U05: 0.0.0.0 is not a dissolve on Linux: it connects to 127.0.0.1");
  }
  if (a.destination.port.is_zero()) return go(a.destination, measured, "U12: port 0 is accepted, and sent to");
  return go(a.destination, measured, "U01: the peer is set; nothing is sent");
}

// connect-source.md 2f: getsockaddr, then soconnectat dissolves a connected
// socket before udp_connect / in_pcbconnect check the address.
UdpConnectVerdict freebsd_udp(const ConnectArguments& a, bool connected) {
  constexpr auto source = P::DerivedFromSource;
  if (a.addrlen > 255) return fail(Errc::NameTooLong, source, "namelen above SOCK_MAXADDRLEN");
  if (a.addrlen < 2) return fail(Errc::InvalidArgument, source, "U13: namelen below 2");
  if (a.address_null) return fail(Errc::BadAddress, source, "U13: copyin fault");
  const auto refuse = [&](Errc e, std::string_view rule) {
    UdpConnectVerdict v = fail(e, source, rule);
    if (connected) v.action = Action::DissolveThenFail;
    return v;
  };
  if (a.family == af_unspec) {
    return refuse(Errc::FamilyNotSupported,
                  "U04: AF_UNSPEC dissolves the association (soconnectat) and still fails EAFNOSUPPORT (2f)");
  }
  if (a.family != af_inet) return refuse(Errc::FamilyNotSupported, "U13: not AF_INET (udp_connect)");
  if (a.addrlen != sockaddr_in_size) return refuse(Errc::InvalidArgument, "U13: sin_len is not 16 (udp_connect)");
  if (a.destination.port.is_zero()) {
    return refuse(Errc::AddressNotAvailable,
                  a.destination.address.is_unspecified()
                      ? "U05: 0.0.0.0:0 dissolves the association and fails EADDRNOTAVAIL (2f)"
                      : "U12: port 0: EADDRNOTAVAIL (in_pcbconnect_setup)");
  }
  if (a.destination.address.is_unspecified()) {
    return go(Endpoint{Ipv4Address{127, 0, 0, 1}, a.destination.port}, source, "2e: 0.0.0.0 connects to this host");
  }
  return go(a.destination, source, "U01: the peer is set (udp_connect)");
}

// connect-source.md 3e, 3f.
UdpConnectVerdict winsock_udp(const ConnectArguments& a) {
  constexpr auto documented = P::Documented;
  if (a.address_null || a.addrlen < sockaddr_in_size) {
    return fail(Errc::BadAddress, documented, "U13: name NULL or namelen too small: WSAEFAULT");
  }
  if (a.family != af_inet) return fail(Errc::FamilyNotSupported, documented, "U13: wrong family");
  if (a.destination.address.is_unspecified()) {
    return {Action::Dissolve, std::nullopt, {}, documented, "U05: an all-zero address dis-connects the socket [S4]",
            false};
  }
  if (a.destination.port.is_zero()) {
    return fail(Errc::AddressNotAvailable, P::Assumed, "U12: port 0 is not documented; WSAEADDRNOTAVAIL assumed");
  }
  return go(a.destination, documented, "U01: the default destination is set [S4]");
}

// connect-source.md section 4, [S1].
UdpConnectVerdict targettcp_udp(const ConnectArguments& a) {
  constexpr auto documented = P::Documented;
  if (a.address_null) return fail(Errc::BadAddress, documented, "U13: NULL address");
  if (a.addrlen < sockaddr_in_size) return fail(Errc::InvalidArgument, documented, "U13: addrlen below 16");
  if (a.family != af_inet) {
    return fail(Errc::FamilyNotSupported, documented,
                a.family == af_unspec ? "U04: [S1] documents no dissolve; AF_UNSPEC is a wrong family"
                                      : "U13: not AF_INET");
  }
  if (a.destination.address.is_unspecified() || a.destination.port.is_zero()) {
    return fail(Errc::DestinationRequired, documented, "U05, U12: INADDR_ANY or port 0: EDESTADDRREQ [S1]");
  }
  return go(a.destination, documented, "U01: \"where packets are sent to and accepted from\" [S1]");
}

}  // namespace

UdpConnectVerdict check_udp_connect(PersonalityId personality, const ConnectArguments& arguments, bool connected) {
  switch (personality) {
    case PersonalityId::Linux: return linux_udp(arguments);
    case PersonalityId::FreeBsd: return freebsd_udp(arguments, connected);
    case PersonalityId::Winsock: return winsock_udp(arguments);
    case PersonalityId::FreeRtos:
      if (arguments.address_null) return fail(Errc::InvalidArgument, P::DerivedFromSource, "1e: NULL address, checked first");
      return go(arguments.destination, P::DerivedFromSource, "1e");  // refused as UDP next (connect_unsupported)
    case PersonalityId::TargetTcp: return targettcp_udp(arguments);
  }
  return linux_udp(arguments);
}

}  // namespace netstep::socket
