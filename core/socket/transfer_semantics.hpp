#pragma once
// What each personality's send(), recv() and shutdown() say on a TCP
// socket in the situations a student meets first: nothing connected yet,
// the handshake still going, the connection reset or shut down, a timeout
// option running out. Data, one record per system, with provenance, like
// ConnectSemantics.
//
// Linux's answers were measured on this project's reference machine (Linux
// 6.x, loopback in a network namespace; the probe and its output are in
// docs/sockets.md). The other systems' are read from their sources where
// connect-source.md covers them, and assumed (marked so) where it does not.
#include <optional>

#include "socket/connect_semantics.hpp"

namespace netstep::socket {

struct TransferSemantics {
  PersonalityId personality = PersonalityId::Linux;

  Ruled send_unconnected;   // send() on a TCP socket that never connected (Linux: EPIPE)
  Ruled send_on_listener;   // send() on a listening socket
  Ruled send_after_shutdown;  // after shutdown(SHUT_WR), or once a reset was reported (EPIPE)
  Ruled receive_unconnected;  // recv() on a TCP socket that never connected, or a listener (ENOTCONN)
  Ruled receive_timeout;      // SO_RCVTIMEO ran out with nothing read (Linux EAGAIN, Winsock WSAETIMEDOUT)
  Ruled send_timeout;         // SO_SNDTIMEO ran out with nothing queued
  // FreeRTOS_recv returns 0, not an error, when its block time runs out.
  bool receive_timeout_returns_zero = false;
  // FreeRTOS_recv: once the peer closed (eCLOSE_WAIT) and nothing is
  // buffered, -ENOTCONN instead of POSIX's 0 (end of stream).
  std::optional<Ruled> receive_after_peer_closed;
  // FreeRTOS_send queues data while the handshake is still going.
  bool send_queues_while_connecting = false;
  Ruled shutdown_unconnected;  // shutdown() on a socket that is not connected (ENOTCONN)
  // Linux's inet_shutdown records the shutdown even when it returns
  // ENOTCONN (a later send() says EPIPE); the BSD stacks do not (assumed).
  bool shutdown_unconnected_still_applies = false;
  // FreeRTOS_shutdown shuts both directions whatever `how` says (assumed).
  bool shutdown_is_always_both = false;
  // FreeRTOS_send/recv/shutdown are TCP-only: -EINVAL on a UDP socket
  // (connect-source.md 1f).
  std::optional<Ruled> stream_calls_on_datagram_socket;
  // close() with data the application never read resets the connection
  // (RST, not FIN) so the peer learns its data was lost: Linux tcp_close
  // ("data_was_unread"), RFC 2525 section 2.17; Windows does the same
  // (observed). FreeBSD's tcp_disconnect flushes the data and sends FIN.
  bool close_with_unread_data_resets = false;

  [[nodiscard]] static const TransferSemantics& get(PersonalityId id);
};

}  // namespace netstep::socket
