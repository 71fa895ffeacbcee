#include "socket/connect_semantics.hpp"

#include "socket/linux_errors.hpp"
#include "wire/icmp.hpp"

namespace netstep::socket {

using tcp::Outcome;
using P = Provenance;

namespace {

ConnectSemantics linux_semantics() {
  ConnectSemantics s;
  s.personality = PersonalityId::Linux;
  s.bad_descriptor = {Errc::BadDescriptor, P::Measured, "T23: not an open descriptor"};
  s.first_nonblocking = {Errc::InProgress, P::Measured, "T09: the SYN is sent, the handshake goes on"};
  s.while_pending = {Errc::Already, P::Measured, "T10: a connect() is already under way"};
  s.blocking_call_waits_while_pending = true;
  s.zero_once_after_completion = true;
  s.already_connected = {Errc::IsConnected, P::Measured, "T12: already connected"};
  s.on_listening_socket = {Errc::IsConnected, P::Measured, "T15: a listening socket counts as connected"};
  s.after_failure = AfterFailure::ReportThenAbortThenRetry;
  s.failed_attempt_frees_picked_port = true;
  s.blocking_bound = BlockingBound::SendTimeoutInProgress;
  s.signals = SignalEffect::InterruptsUnlessRestart;
  return s;
}

ConnectSemantics freebsd_semantics() {
  ConnectSemantics s;
  s.personality = PersonalityId::FreeBsd;
  s.bad_descriptor = {Errc::BadDescriptor, P::Documented, "T23: EBADF, not a valid descriptor [S2]"};
  s.first_nonblocking = {Errc::InProgress, P::Documented, "T09: EINPROGRESS [S2]"};
  s.while_pending = {Errc::Already, P::Documented,
                     "T10: EALREADY [S2]; kern_connectat checks SS_ISCONNECTING first, for blocking calls too"};
  s.blocking_call_waits_while_pending = false;
  s.already_connected = {Errc::IsConnected, P::Documented, "T11, T12: EISCONN [S2]"};
  s.on_listening_socket = {Errc::NotSupported, P::DerivedFromSource,
                           "T15: tcp_usr_connect refuses a listening socket with EOPNOTSUPP (connect-source.md 2a)"};
  s.after_failure = AfterFailure::StickyRefused;
  s.after_failure_provenance = P::DerivedFromSource;
  s.blocking_bound = BlockingBound::None;  // kern_connectat sleeps with no timeout (connect-source.md 2c)
  s.signals = SignalEffect::AlwaysInterrupts;
  s.address_checked_before_descriptor = true;  // sys_connect copies the address in before getsock (2a)
  // T13: [S2] says only "select for writing"; so_error is what tcp_drop sets (2a, 2h).
  s.so_error_provenance = P::DerivedFromSource;
  s.ephemeral_range = EphemeralRange{10000, 65535};  // ipport_firstauto..lastauto (2g)
  return s;
}

ConnectSemantics winsock_semantics() {
  ConnectSemantics s;
  s.personality = PersonalityId::Winsock;
  s.bad_descriptor = {Errc::NotASocket, P::Documented, "T23: WSAENOTSOCK, not a socket; [S4] lists no WSAEBADF"};
  s.first_nonblocking = {Errc::WouldBlock, P::Documented, "T09: WSAEWOULDBLOCK, Winsock's EINPROGRESS [S4]"};
  s.while_pending = {Errc::Already, P::Documented, "T10: WSAEALREADY [S4]"};
  s.while_pending_winsock_1_1 = Ruled{Errc::InvalidArgument, P::Documented,
                                      "T10: a Winsock 1.1 application gets WSAEINVAL for WSAEALREADY [S4]"};
  s.blocking_call_waits_while_pending = false;  // [S4] is silent: assumed like a non-blocking re-call
  s.already_connected = {Errc::IsConnected, P::Documented, "T11, T12: WSAEISCONN [S4]"};
  s.on_listening_socket = {Errc::InvalidArgument, P::Documented, "T15: WSAEINVAL, the socket is listening [S4]"};
  s.after_failure = AfterFailure::NewAttempt;  // "the application can call connect again for the same socket" [S4]
  s.after_failure_provenance = P::Documented;
  s.blocking_bound = BlockingBound::None;
  s.signals = SignalEffect::NotApplicable;
  s.not_initialised = Ruled{Errc::NotInitialised, P::Documented, "T31: WSAStartup was not called [S4]"};
  s.ephemeral_range = EphemeralRange{49152, 65535};  // the dynamic range since Vista (KB 929851, 3g)
  return s;
}

// connect-source.md 1c: prvTCPPrepareConnect sends an ARP request on each
// miss and looks again 500 ms later; the third miss ends the attempt. The
// host's ARP does the same here, and the TCP policy
// (arp_failure_ends_attempt) turns its give-up into the socket's.
ArpConfig freertos_arp() {
  ArpConfig arp;
  arp.request_attempts = 3;
  arp.retransmit_interval = std::chrono::milliseconds{500};
  return arp;
}

ConnectSemantics freertos_semantics() {
  ConnectSemantics s;
  s.personality = PersonalityId::FreeRtos;
  s.bad_descriptor = {Errc::BadDescriptor, P::Documented, "T23: -pdFREERTOS_ERRNO_EBADF, not a valid TCP socket [S0]"};
  s.first_nonblocking = {Errc::WouldBlock, P::Documented,
                         "T09: -pdFREERTOS_ERRNO_EWOULDBLOCK when the block time is 0 [S0]"};
  s.while_pending = {Errc::InProgress, P::DerivedFromSource,
                     "T10: bMayConnect() answers -EINPROGRESS in eCONNECT_SYN (connect-source.md 1a)"};
  s.blocking_call_waits_while_pending = false;  // -EINPROGRESS even for a blocking socket (1a)
  s.already_connected = {Errc::IsConnected, P::Documented, "T11, T12: -pdFREERTOS_ERRNO_EISCONN [S0]"};
  s.on_listening_socket = {Errc::TryAgain, P::DerivedFromSource,
                           "T15: bMayConnect() answers -EAGAIN in eTCP_LISTEN (connect-source.md 1e)"};
  s.after_failure = AfterFailure::NewAttempt;  // eCLOSED / eCLOSE_WAIT may connect again (1d)
  s.after_failure_provenance = P::DerivedFromSource;
  s.blocking_bound = BlockingBound::ReceiveTimeoutTimedOut;
  s.signals = SignalEffect::NotApplicable;
  s.address_checked_before_descriptor = true;  // NULL address: -EINVAL before -EBADF (1a)
  s.has_so_error = false;
  s.nonblocking_is_zero_block_time = true;
  s.tick_rate_hz = 1000;
  s.bind_failure = Ruled{Errc::InvalidArgument, P::DerivedFromSource,
                         "T25: FreeRTOS_bind reports every failure of the IP task's bind as -EINVAL (1g)"};
  s.ephemeral_range = EphemeralRange{1024, 65535};  // socketAUTO_PORT_ALLOCATION_START_NUMBER..0xffff (1g)
  s.arp = freertos_arp();
  return s;
}

ConnectSemantics targettcp_semantics() {
  ConnectSemantics s;
  s.personality = PersonalityId::TargetTcp;
  s.bad_descriptor = {Errc::NotASocket, P::Documented, "T23: ENOTSOCK, not a valid socket handle [S1]"};
  s.first_nonblocking = {Errc::InProgress, P::Documented, "T09: EINPROGRESS [S1]"};
  s.while_pending = {Errc::Already, P::Documented, "T10: EALREADY [S1]"};
  s.blocking_call_waits_while_pending = false;  // [S1] is silent: assumed BSD-like
  s.already_connected = {Errc::IsConnected, P::Documented, "T11, T12: EISCONN after it is established [S1]"};
  s.on_listening_socket = {Errc::NotSupported, P::Documented, "T15: EOPNOTSUPP, the socket is listening [S1]"};
  s.after_failure = AfterFailure::StickyRefused;  // [S1] is silent; BSD-like (connect-source.md 4)
  s.after_failure_provenance = P::Assumed;
  s.blocking_bound = BlockingBound::None;
  s.signals = SignalEffect::NotApplicable;  // [S1] lists no EINTR
  s.not_initialised = Ruled{Errc::NetworkDown, P::Documented, "T31: ENETDOWN, TargetTCP has not been initialised [S1]"};
  s.so_error_provenance = P::Assumed;  // T13: [S1] does not mention SO_ERROR
  return s;
}

// FreeBSD's icmp_errmap() (connect-source.md 2b): unreachables that mean
// "refused" and the rest.
Errc freebsd_icmp_errc(const tcp::SoftError& e) {
  if (e.type == wire::icmp_type::time_exceeded) return Errc::HostUnreachable;
  if (e.type != wire::icmp_type::destination_unreachable) return Errc::HostUnreachable;
  switch (e.code) {
    case 2:   // protocol
    case 3:   // port
    case 9:   // net administratively prohibited
    case 10:  // host administratively prohibited
    case 13:  // communication administratively prohibited
      return Errc::ConnectionRefused;
    default: return Errc::HostUnreachable;  // FreeBSD maps net unreachable to EHOSTUNREACH too
  }
}

}  // namespace

const ConnectSemantics& ConnectSemantics::get(PersonalityId id) {
  static const ConnectSemantics all[] = {linux_semantics(), freebsd_semantics(), winsock_semantics(),
                                         freertos_semantics(), targettcp_semantics()};
  return all[static_cast<std::size_t>(id)];
}

std::optional<Ruled> ConnectSemantics::connection_error(Outcome outcome, const std::optional<tcp::SoftError>& soft_error,
                                                        bool from_this_host) const {
  if (outcome == Outcome::Open || outcome == Outcome::Closed) return std::nullopt;
  if (outcome == Outcome::Reset) return Ruled{Errc::ConnectionReset, P::Measured, "the peer reset the connection"};
  if (outcome == Outcome::Aborted) return Ruled{Errc::ConnectionAborted, P::Measured, "the connection was aborted here"};
  switch (personality) {
    case PersonalityId::Linux: {
      const std::optional<Errc> e = linux_connection_error(outcome, soft_error);
      if (outcome == Outcome::Refused) return Ruled{*e, P::Measured, "T02: the peer answered the SYN with RST"};
      if (outcome == Outcome::Unreachable) return Ruled{*e, P::Measured, "T04, T05, T08: an ICMP error ended the handshake"};
      return Ruled{*e, P::Measured,
                   soft_error ? "T06: timed out after an ICMP error, which is reported instead of ETIMEDOUT"
                              : "T03: the SYN schedule ran out"};
    }
    case PersonalityId::FreeBsd:
      if (outcome == Outcome::Refused) return Ruled{Errc::ConnectionRefused, P::Documented, "T02: ECONNREFUSED [S2]"};
      if (soft_error) {
        return Ruled{freebsd_icmp_errc(*soft_error), P::DerivedFromSource,
                     "T04, T05: the ICMP error kept as t_softerror replaces ETIMEDOUT (tcp_notify, tcp_drop)"};
      }
      return Ruled{Errc::TimedOut, P::DerivedFromSource, "T03: the 75 s connection-establishment timer fired"};
    case PersonalityId::Winsock:
      if (outcome == Outcome::Refused) {
        return Ruled{Errc::ConnectionRefused, P::Observed, "T02: WSAECONNREFUSED once every SYN was refused [S4]"};
      }
      return Ruled{Errc::TimedOut, P::Observed, "T03: WSAETIMEDOUT, about 21 s with the shipped settings"};
    case PersonalityId::FreeRtos:
      if (outcome == Outcome::Refused) {
        return Ruled{Errc::NotConnected, P::DerivedFromSource,
                     "T02: patched FreeRTOS+TCP (PR #1355): a RST in eCONNECT_SYN wakes connect() with -ENOTCONN"};
      }
      if (soft_error && from_this_host) {
        return Ruled{Errc::NotConnected, P::DerivedFromSource,
                     "T08: every ARP miss counted as a SYN attempt; after 3 (about 1.5 s) the socket goes to "
                     "eCLOSE_WAIT, which wakes connect() with -ENOTCONN (connect-source.md 1c)"};
      }
      return Ruled{Errc::NotConnected, P::DerivedFromSource,
                   "T03: after 3 SYNs the socket goes to eCLOSE_WAIT, which wakes connect() with -ENOTCONN "
                   "(connect-source.md 1c)"};
    case PersonalityId::TargetTcp:
      if (outcome == Outcome::Refused) return Ruled{Errc::ConnectionRefused, P::Documented, "T02: ECONNREFUSED [S1]"};
      if (soft_error && from_this_host) {
        return Ruled{Errc::HostUnreachable, P::Assumed,
                     "T08: [S1] is silent on a failed ARP; kept like an ICMP unreachable and reported at the "
                     "timeout (assumed BSD-like)"};
      }
      if (soft_error) {
        return Ruled{Errc::HostUnreachable, P::Documented,
                     "T04, T05: EHOSTUNREACH, timed out after an ICMP destination unreachable [S1]"};
      }
      return Ruled{Errc::TimedOut, P::Documented, "T03: ETIMEDOUT, no answer to the SYN [S1]"};
  }
  return std::nullopt;
}

Ruled ConnectSemantics::refused_before_sending(tcp::ConnectError e) const {
  using tcp::ConnectError;
  if (personality == PersonalityId::Linux) {
    return {linux_connect_error(e), P::Measured, "T07, T07b, T22, T25, T26: refused before any segment"};
  }
  switch (e) {
    case ConnectError::NoRoute:
    case ConnectError::UnreachableRoute:
    case ConnectError::ProhibitRoute:
    case ConnectError::BlackholeRoute:
      if (personality == PersonalityId::FreeRtos) {
        return {Errc::NotConnected, P::Assumed,
                "T07: FreeRTOS+TCP has no ENETUNREACH; with nowhere to send, the attempt ends as after "
                "3 failed ARP rounds, -ENOTCONN (at once here)"};
      }
      return {Errc::NetworkUnreachable, P::Documented, "T07: no route to the destination network"};
    case ConnectError::AddressNotAvailable:
      if (personality == PersonalityId::FreeRtos) {
        return {Errc::InvalidArgument, P::DerivedFromSource, "FreeRTOS_bind reports every bind failure as -EINVAL (1g)"};
      }
      return {Errc::AddressNotAvailable, P::Documented, "the local address is not one of this host's"};
    case ConnectError::AddressInUse:
      if (personality == PersonalityId::FreeRtos) {
        return {Errc::InvalidArgument, P::DerivedFromSource, "T25: the implicit bind failed: -EINVAL (1g)"};
      }
      return {Errc::AddressInUse, P::Documented, "T25: this local address and port already reach that peer"};
    case ConnectError::NotUnicast:
      // T22: doc silent everywhere but [S1].
      switch (personality) {
        case PersonalityId::TargetTcp:
          return {Errc::AddressNotAvailable, P::Documented, "T22: TCP to a broadcast or multicast address [S1]"};
        case PersonalityId::FreeBsd:
          return {Errc::PermissionDenied, P::Assumed,
                  "T22: a directed broadcast; ip_output refuses a broadcast without SO_BROADCAST with EACCES "
                  "(2f; assumed for TCP)"};
        default:
          return {Errc::NetworkUnreachable, P::Assumed,
                  "T22: doc silent; refused as TCP never connects to a broadcast or multicast address (assumed)"};
      }
    case ConnectError::TimeWaitInUse:
      if (personality == PersonalityId::FreeRtos) {
        return {Errc::InvalidArgument, P::DerivedFromSource, "T25b: the implicit bind failed: -EINVAL (1g)"};
      }
      return {Errc::AddressInUse, P::Assumed,
              "T25b: doc silent; the old connection in TIME-WAIT is not recycled, as T25 (assumed)"};
    case ConnectError::NoEphemeralPort:
      switch (personality) {
        case PersonalityId::FreeBsd:
          return {Errc::AddressNotAvailable, P::DerivedFromSource, "T26: in_pcb_lport_dest found no free port (2g)"};
        case PersonalityId::Winsock:
          return {Errc::NoBufferSpace, P::Observed, "T26: WSAENOBUFS, as commonly observed (3g)"};
        case PersonalityId::FreeRtos:
          return {Errc::InvalidArgument, P::DerivedFromSource, "T26: the implicit bind failed: -EINVAL (1g)"};
        default:
          return {Errc::AddressInUse, P::Assumed, "T26: [S1] lists EADDRINUSE; the exhaustion code is not given"};
      }
  }
  return {Errc::InvalidArgument, P::Assumed, "unexpected"};
}

}  // namespace netstep::socket
