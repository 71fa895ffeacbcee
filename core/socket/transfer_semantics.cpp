#include "socket/transfer_semantics.hpp"

namespace netstep::socket {

namespace {

using P = Provenance;

// Measured on Linux 6.x (docs/sockets.md, "What Linux says").
TransferSemantics linux_transfers() {
  TransferSemantics t;
  t.personality = PersonalityId::Linux;
  t.send_unconnected = {Errc::BrokenPipe, P::Measured,
                        "send() on a stream socket that never connected: EPIPE (tcp_sendmsg, sk_stream_wait_connect)"};
  t.send_on_listener = {Errc::BrokenPipe, P::Measured, "send() on a listening socket: EPIPE"};
  t.send_after_shutdown = {Errc::BrokenPipe, P::Measured, "send() after shutdown(SHUT_WR) or a reported reset: EPIPE"};
  t.receive_unconnected = {Errc::NotConnected, P::Measured, "recv() on a socket that is not connected: ENOTCONN"};
  t.receive_timeout = {Errc::TryAgain, P::Measured, "SO_RCVTIMEO ran out with nothing to read: EAGAIN"};
  t.send_timeout = {Errc::TryAgain, P::Measured, "SO_SNDTIMEO ran out with nothing queued: EAGAIN"};
  t.shutdown_unconnected = {Errc::NotConnected, P::Measured,
                            "shutdown() on a socket that is not connected: ENOTCONN, yet the shutdown is recorded "
                            "(inet_shutdown): a later send() says EPIPE"};
  t.shutdown_unconnected_still_applies = true;
  t.close_with_unread_data_resets = true;  // tcp_close: data_was_unread -> tcp_send_active_reset
  return t;
}

// sosend/soreceive (uipc_socket.c) and soshutdown; not in connect-source.md.
TransferSemantics freebsd_transfers() {
  TransferSemantics t;
  t.personality = PersonalityId::FreeBsd;
  t.send_unconnected = {Errc::NotConnected, P::Assumed,
                        "send() on a stream socket that is not connected: ENOTCONN (sosend's PR_CONNREQUIRED check)"};
  t.send_on_listener = {Errc::NotConnected, P::Assumed, "send() on a listening socket: ENOTCONN"};
  t.send_after_shutdown = {Errc::BrokenPipe, P::Assumed, "send() after shutdown(SHUT_WR): EPIPE (SBS_CANTSENDMORE)"};
  t.receive_unconnected = {Errc::NotConnected, P::Assumed, "recv() on a socket that is not connected: ENOTCONN"};
  t.receive_timeout = {Errc::WouldBlock, P::Assumed, "SO_RCVTIMEO ran out: EWOULDBLOCK (EAGAIN, 35)"};
  t.send_timeout = {Errc::WouldBlock, P::Assumed, "SO_SNDTIMEO ran out with nothing queued: EWOULDBLOCK"};
  t.shutdown_unconnected = {Errc::NotConnected, P::Assumed, "shutdown() on a socket that is not connected: ENOTCONN"};
  return t;
}

// Windows Sockets send/recv/shutdown manuals (not seed documents: assumed).
TransferSemantics winsock_transfers() {
  TransferSemantics t;
  t.personality = PersonalityId::Winsock;
  t.send_unconnected = {Errc::NotConnected, P::Assumed, "send() on a socket that is not connected: WSAENOTCONN"};
  t.send_on_listener = {Errc::NotConnected, P::Assumed, "send() on a listening socket: WSAENOTCONN"};
  t.send_after_shutdown = {Errc::BrokenPipe, P::Assumed, "send() after shutdown(SD_SEND): WSAESHUTDOWN"};
  t.receive_unconnected = {Errc::NotConnected, P::Assumed, "recv() on a socket that is not connected: WSAENOTCONN"};
  t.receive_timeout = {Errc::TimedOut, P::Assumed, "SO_RCVTIMEO ran out: WSAETIMEDOUT"};
  t.send_timeout = {Errc::TimedOut, P::Assumed, "SO_SNDTIMEO ran out: WSAETIMEDOUT"};
  t.shutdown_unconnected = {Errc::NotConnected, P::Assumed, "shutdown() on a socket that is not connected: WSAENOTCONN"};
  t.close_with_unread_data_resets = true;  // closesocket() with unread data sends RST (observed)
  return t;
}

// FreeRTOS_Sockets.c FreeRTOS_send, FreeRTOS_recv, FreeRTOS_shutdown,
// prvTCPSendCheck.
TransferSemantics freertos_transfers() {
  TransferSemantics t;
  t.personality = PersonalityId::FreeRtos;
  t.send_unconnected = {Errc::InvalidArgument, P::DerivedFromSource,
                        "FreeRTOS_send on a socket not bound yet: -EINVAL (prvTCPSendCheck, prvValidSocket)"};
  t.send_on_listener = {Errc::NotConnected, P::DerivedFromSource, "FreeRTOS_send: no connection: -ENOTCONN"};
  t.send_after_shutdown = {Errc::NotConnected, P::DerivedFromSource,
                           "FreeRTOS_send after the connection closed: -ENOTCONN (prvTCPSendCheck, eCLOSED)"};
  t.receive_unconnected = {Errc::InvalidArgument, P::DerivedFromSource,
                           "FreeRTOS_recv on a socket not bound yet: -EINVAL (prvValidSocket)"};
  t.receive_timeout = {Errc::WouldBlock, P::DerivedFromSource, "unused: FreeRTOS_recv returns 0 when its block time runs out"};
  t.receive_timeout_returns_zero = true;
  t.receive_after_peer_closed = Ruled{Errc::NotConnected, P::DerivedFromSource,
                                      "FreeRTOS_recv in eCLOSE_WAIT with nothing buffered: -ENOTCONN, not 0"};
  t.send_queues_while_connecting = true;
  t.send_timeout = {Errc::NoSpace, P::DerivedFromSource,
                    "FreeRTOS_send queued nothing before its block time ran out: -ENOSPC"};
  t.shutdown_unconnected = {Errc::NotSupported, P::DerivedFromSource,
                            "FreeRTOS_shutdown outside eESTABLISHED: -EOPNOTSUPP"};
  t.shutdown_is_always_both = true;
  t.stream_calls_on_datagram_socket = Ruled{Errc::InvalidArgument, P::DerivedFromSource,
                                            "FreeRTOS_send/FreeRTOS_recv are TCP-only: -EINVAL (1f); use sendto/recvfrom"};
  return t;
}

// TargetTCP's manuals describe connect() only: BSD-like, assumed.
TransferSemantics targettcp_transfers() {
  TransferSemantics t = freebsd_transfers();
  t.personality = PersonalityId::TargetTcp;
  return t;
}

}  // namespace

const TransferSemantics& TransferSemantics::get(PersonalityId id) {
  static const TransferSemantics all[] = {linux_transfers(), freebsd_transfers(), winsock_transfers(),
                                          freertos_transfers(), targettcp_transfers()};
  return all[static_cast<std::size_t>(id)];
}

}  // namespace netstep::socket
