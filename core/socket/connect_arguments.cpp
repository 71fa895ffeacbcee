#include "socket/connect_arguments.hpp"

namespace netstep::socket {

namespace {

using Action = ArgumentVerdict::Action;

ArgumentVerdict fail(Errc e, Provenance p, std::string_view rule) { return {Action::Fail, e, {}, p, rule}; }
ArgumentVerdict go(Endpoint destination, Provenance p, std::string_view rule) {
  return {Action::Connect, std::nullopt, destination, p, rule};
}
ArgumentVerdict rewritten(Endpoint destination, Provenance p, std::string_view rule) {
  return {Action::Connect, std::nullopt, destination, p, rule, true};
}

// net/socket.c move_addr_to_kernel, af_inet.c inet_stream_connect,
// tcp_ipv4.c tcp_v4_connect, in that order; every outcome measured (T16-T21).
ArgumentVerdict linux_checks(const ConnectArguments& a) {
  constexpr auto measured = Provenance::Measured;
  if (a.addrlen > 128) return fail(Errc::InvalidArgument, measured, "T16: addrlen above sizeof(sockaddr_storage), 128");
  if (a.addrlen > 0 && a.address_null) return fail(Errc::BadAddress, measured, "T17: the address cannot be read");
  if (a.addrlen < 2) return fail(Errc::InvalidArgument, measured, "T16, T17: addrlen shorter than the family field");
  if (a.family == af_unspec) {
    return {Action::Disconnect, std::nullopt, {}, measured, "T19: AF_UNSPEC disconnects (tcp_disconnect) and returns 0"};
  }
  if (a.addrlen < sockaddr_in_size) return fail(Errc::InvalidArgument, measured, "T16: addrlen below 16");
  if (a.family != af_inet) return fail(Errc::FamilyNotSupported, measured, "T18: not AF_INET");
  // T20: 0.0.0.0 means this host; T21: port 0 is sent as it is; T22
  // (broadcast, multicast) is refused by routing: ENETUNREACH.
  if (a.destination.address.is_unspecified()) {
    return rewritten(Endpoint{Ipv4Address{127, 0, 0, 1}, a.destination.port}, measured, "T20: 0.0.0.0 is 127.0.0.1");
  }
  return go(a.destination, measured, "T16-T21: arguments accepted");
}

// connect-source.md 2a: uipc_syscalls.c getsockaddr, tcp_usrreq.c
// tcp_usr_connect, in_pcb.c in_pcbconnect_setup.
ArgumentVerdict freebsd_checks(const ConnectArguments& a) {
  constexpr auto source = Provenance::DerivedFromSource;
  if (a.addrlen > 255) return fail(Errc::NameTooLong, source, "2a check 1: namelen above SOCK_MAXADDRLEN");
  if (a.addrlen < 2) return fail(Errc::InvalidArgument, source, "2a check 2: namelen below 2");
  if (a.address_null) return fail(Errc::BadAddress, source, "2a check 3: copyin fault");
  if (a.family != af_inet) return fail(Errc::FamilyNotSupported, source, "2a check 9: not AF_INET");
  if (a.addrlen != sockaddr_in_size) return fail(Errc::InvalidArgument, source, "2a check 10: sa_len is not 16");
  if (a.destination.address.is_multicast()) return fail(Errc::FamilyNotSupported, source, "2a check 11: multicast");
  if (a.destination.address.is_broadcast()) return fail(Errc::PermissionDenied, source, "2a check 12: 255.255.255.255");
  if (a.destination.port.is_zero()) return fail(Errc::AddressNotAvailable, source, "2a check 16: port 0");
  if (a.destination.address.is_unspecified()) {
    // in_pcbconnect_setup rewrites it to the first configured address
    // (FreeBSD 14 and before); this host either way. [S2] is silent (T20).
    return rewritten(Endpoint{Ipv4Address{127, 0, 0, 1}, a.destination.port}, source,
                     "T20: 0.0.0.0 connects to this host (in_pcbconnect_setup, 2e)");
  }
  return go(a.destination, source, "2a: arguments accepted");
}

// connect-source.md 3e: Winsock's connect manual.
ArgumentVerdict winsock_checks(const ConnectArguments& a) {
  if (a.address_null || a.addrlen < sockaddr_in_size) {
    return fail(Errc::BadAddress, Provenance::Documented, "T16, T17: name NULL or namelen too small: WSAEFAULT");
  }
  if (a.family == af_unspec) {
    return fail(Errc::FamilyNotSupported, Provenance::Assumed,
                "T19: [S4] is silent on AF_UNSPEC for TCP; refused like any other family (assumed)");
  }
  if (a.family != af_inet) return fail(Errc::FamilyNotSupported, Provenance::Documented, "T18: wrong family");
  if (a.destination.address.is_unspecified()) {
    return fail(Errc::AddressNotAvailable, Provenance::Documented, "T20: an all-zero remote address");
  }
  if (a.destination.port.is_zero()) {
    return fail(Errc::AddressNotAvailable, Provenance::Assumed, "3e: port 0 is not documented; WSAEADDRNOTAVAIL assumed");
  }
  return go(a.destination, Provenance::Documented, "3e: arguments accepted");
}

// connect-source.md 1e: FreeRTOS_Sockets.c FreeRTOS_connect.
ArgumentVerdict freertos_checks(const ConnectArguments& a) {
  constexpr auto source = Provenance::DerivedFromSource;
  if (a.address_null) return fail(Errc::InvalidArgument, source, "1e: NULL address, checked before the socket");
  // xAddressLength is not read. An unknown family leaves the remote address
  // as it was; 0.0.0.0, port 0, broadcast and multicast are not checked.
  if (a.family != af_inet) {
    // The port is still read (usRemotePort is set after the family switch).
    return {Action::ConnectToPreviousPeer, std::nullopt, a.destination, source,
            "T18: unknown family, sin_addr is not read: the SYN goes to the previous peer (1e)"};
  }
  return go(a.destination, source, "1e: the address length is not used, nothing else is checked");
}

// connect-source.md section 4: TargetTCP's connect manual [S1].
ArgumentVerdict targettcp_checks(const ConnectArguments& a) {
  constexpr auto documented = Provenance::Documented;
  if (a.address_null) return fail(Errc::BadAddress, documented, "T17: NULL address");
  if (a.addrlen < sockaddr_in_size) return fail(Errc::InvalidArgument, documented, "T16: addrlen below 16 (larger is fine)");
  if (a.family == af_unspec) {
    return fail(Errc::FamilyNotSupported, Provenance::Assumed,
                "T19: [S1] is silent on AF_UNSPEC; refused like any other family (assumed)");
  }
  if (a.family != af_inet) return fail(Errc::FamilyNotSupported, documented, "T18: not AF_INET");
  if (a.destination.address.is_unspecified() || a.destination.port.is_zero()) {
    return fail(Errc::DestinationRequired, documented, "T20, T21: INADDR_ANY or port 0");
  }
  // A subnet's directed broadcast needs the interfaces: TCP refuses it
  // (ConnectError::NotUnicast), which ConnectSemantics maps to the same.
  if (a.destination.address.is_broadcast() || a.destination.address.is_multicast()) {
    return fail(Errc::AddressNotAvailable, documented, "T22: TCP to a broadcast or multicast address");
  }
  return go(a.destination, documented, "S1: arguments accepted");
}

}  // namespace

ArgumentVerdict check_connect_arguments(PersonalityId personality, const ConnectArguments& arguments) {
  switch (personality) {
    case PersonalityId::Linux: return linux_checks(arguments);
    case PersonalityId::FreeBsd: return freebsd_checks(arguments);
    case PersonalityId::Winsock: return winsock_checks(arguments);
    case PersonalityId::FreeRtos: return freertos_checks(arguments);
    case PersonalityId::TargetTcp: return targettcp_checks(arguments);
  }
  return linux_checks(arguments);
}

}  // namespace netstep::socket
