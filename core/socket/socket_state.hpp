#pragma once
// The state SocketApi keeps per descriptor, shared by the files that
// implement its calls (socket_api.cpp, socket_bind.cpp, socket_connect.cpp,
// socket_transfer.cpp, socket_datagram.cpp, socket_readiness.cpp). Not a
// public header: callers see descriptors and CallResults only.
#include <chrono>
#include <optional>
#include <vector>

#include "socket/socket_api.hpp"
#include "tcp/connection.hpp"
#include "tcp/listener.hpp"
#include "udp/udp_pcb.hpp"

namespace netstep::socket {

using std::chrono::milliseconds;

inline constexpr int first_descriptor = 3;  // 0, 1 and 2 are the standard streams

[[nodiscard]] inline bool handshake_pending(tcp::State s) {
  return s == tcp::State::SynSent || s == tcp::State::SynReceived;
}

// The connection is over in order, or still open past the handshake.
[[nodiscard]] inline bool connected_or_done(const tcp::Connection& c) {
  return (c.state() != tcp::State::Closed && !handshake_pending(c.state())) || c.outcome() == tcp::Outcome::Closed;
}

// FreeRTOS+TCP: a RST in eCONNECT_SYN closes the socket without waking
// connect() (connect-source.md 1b); the caller sleeps on as if pending.
[[nodiscard]] inline bool refusal_left_caller_asleep(const tcp::Connection& c) {
  return c.outcome() == tcp::Outcome::Refused && c.config().syn.after_rst == tcp::SynAfterRst::CloseWithoutWakingCaller;
}

// The segment, ICMP error, timer or call that ended a connection.
[[nodiscard]] inline CallCause cause_of(const tcp::Connection& c) {
  const tcp::EndCause& e = c.end_cause();
  CallCause cause{to_string(e.kind), e.what, e.at, std::nullopt};
  if (e.trace_event != tcp::EndCause::no_event) cause.trace_event = e.trace_event;
  return cause;
}

// One socket: its options, its connection, listener or UDP PCB, what
// connect() and SO_ERROR have already told the application, and the tasks
// blocked in a call on it.
//
// Blocked send() and recv() calls are parked in `transfer_waiters`. The
// observer callbacks below come from inside a protocol layer, which must not
// be re-entered, so they only ask the API to look at the socket again from a
// zero-delay loop event (SocketApi::schedule_progress); there each parked
// call tries again, and the ones that can finish wake their tasks.
struct SocketApi::Socket final : tcp::Connection::Observer, tcp::Listener::Observer, udp::UdpPcb::Observer {
  Socket(SocketApi& owner, int socket_type) : api{owner}, type{socket_type} {}

  // --- TCP ---
  void connection_changed(tcp::Connection& c) override {
    api.readiness_may_have_changed();
    if (!transfer_waiters.empty()) api.schedule_progress(*this);
    if (handshake_pending(c.state()) || refusal_left_caller_asleep(c)) return;
    for (const ConnectCall* call : connect_waiters) api.tasks_.wake(call->task_);  // resumed from loop events
  }
  void connection_io(tcp::Connection&) override {
    api.readiness_may_have_changed();
    if (!transfer_waiters.empty()) api.schedule_progress(*this);
  }
  void connection_queued(tcp::Listener&) override {
    api.readiness_may_have_changed();
    if (accept_waiters.empty()) return;
    api.tasks_.wake(accept_waiters.front());  // one connection, one accept()
    accept_waiters.erase(accept_waiters.begin());
  }
  // --- UDP ---
  void udp_readable(udp::UdpPcb&) override {
    api.readiness_may_have_changed();
    if (!transfer_waiters.empty()) api.schedule_progress(*this);
  }
  void udp_error(udp::UdpPcb&) override {
    api.readiness_may_have_changed();
    if (!transfer_waiters.empty()) api.schedule_progress(*this);
  }

  [[nodiscard]] bool stream() const { return type == sock_stream; }

  SocketApi& api;
  int type;  // sock_stream or sock_dgram
  bool nonblocking = false;
  std::optional<Endpoint> bound;  // bind(), or the endpoint connect()/listen() picked (TCP)
  std::optional<Endpoint> bind_request;  // what bind() was asked for (port 0: any), kept after a failure (T14)
  bool reuse_address = false;
  bool broadcast = false;
  bool nodelay = false;
  bool receive_errors = false;                  // IP_RECVERR (Linux, UDP)
  std::optional<milliseconds> receive_timeout;  // SO_RCVTIMEO (FreeRTOS+TCP: the block time)
  std::optional<milliseconds> send_timeout;     // SO_SNDTIMEO
  tcp::SynOverrides syn_overrides;              // TCP_SYNCNT, TCP_USER_TIMEOUT
  bool read_shut = false;                       // shutdown(SHUT_RD)
  bool write_shut = false;                      // shutdown(SHUT_WR)

  // TCP
  tcp::Connection* connection = nullptr;  // held since connect() or accept(), released by close() or a new attempt
  tcp::Listener* listener = nullptr;
  bool connect_reported = false;     // T11: the first connect() after the handshake returns 0 (Linux)
  bool error_consumed = false;       // the failure was reported (by connect(), a transfer or SO_ERROR)
  bool error_read_by_so_error = false;
  bool aborted_reported = false;     // T14: ECONNABORTED once, then a new attempt (Linux)
  bool spent = false;                // T14: BSD, the attempt failed and the socket answers ECONNREFUSED
  Ipv4Address last_remote;           // the last attempt's peer address (FreeRTOS+TCP's xRemoteIP, T18)
  std::optional<ArgumentVerdict> rewritten_destination;  // T20: the attempt goes elsewhere; its success says why

  // UDP
  udp::UdpPcb* pcb = nullptr;   // made by bind(), or by the first connect()/sendto() (autobind)
  bool dissolved = false;       // Winsock: the association was dissolved; send()/recv() say WSAENOTCONN
  bool send_checks_broadcast = false;  // FreeBSD: a connected send to a broadcast peer needs SO_BROADCAST then

  std::vector<ConnectCall*> connect_waiters;    // tasks blocked in connect() on this socket
  std::vector<TaskId> accept_waiters;           // tasks blocked in accept()
  std::vector<TransferCall*> transfer_waiters;  // tasks blocked in send() or recv(), oldest first
};

}  // namespace netstep::socket
