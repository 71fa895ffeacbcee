#include <algorithm>

#include "socket/socket_state.hpp"

namespace netstep::socket {

using tcp::Connection;
using tcp::State;

// --- addresses ----------------------------------------------------------------

CallResult SocketApi::bind(int fd, Endpoint local) {
  Socket* s = find(fd);
  if (s == nullptr) return traced("bind", fd, failure(semantics_.bad_descriptor));
  return traced("bind", fd, s->stream() ? bind_stream(*s, local) : bind_datagram(*s, local));
}

// UDP ports are the UDP layer's: it picks ephemeral ports (RFC 6056) and
// knows which addresses a datagram socket may bind (broadcast and multicast
// ones too, to receive them).
CallResult SocketApi::bind_datagram(Socket& s, Endpoint local) {
  if (s.pcb != nullptr && s.pcb->bound()) return failure(Errc::InvalidArgument, "bind(): the socket is already bound");
  if (s.pcb != nullptr) {
    // Unbound again by a dissolve (U04): a new PCB takes its place.
    udp_.release(*s.pcb);
    s.pcb = nullptr;
  }
  auto made = udp_.bind(local, udp::BindOptions{.reuse_address = s.reuse_address});
  if (!made) return failure(datagrams_.refusal(made.error()));
  s.pcb = *made;
  s.pcb->set_observer(&s);
  s.pcb->set_broadcast(s.broadcast);
  return documented_success(0, "bind()");
}

CallResult SocketApi::bind_stream(Socket& socket, Endpoint local) {
  CallResult r = bind_stream_as_itself(socket, local);
  // FreeRTOS+TCP: every failure is -EINVAL (T25, connect-source.md 1g).
  if (!r.ok() && semantics_.bind_failure) return failure(*semantics_.bind_failure);
  return r;
}

CallResult SocketApi::bind_stream_as_itself(Socket& socket, Endpoint local) {
  Socket* s = &socket;
  if (s->bound || s->connection != nullptr) return failure(Errc::InvalidArgument, "bind(): the socket is already bound");
  if (local.address != Ipv4Address{} && !tcp_.is_local_address(local.address)) {
    return failure(Errc::AddressNotAvailable, "bind(): the address is not one of this host's");
  }
  const Endpoint requested = local;
  const auto overlaps = [&](Endpoint other) {
    return other.port == local.port &&
           (other.address == local.address || other.address == Ipv4Address{} || local.address == Ipv4Address{});
  };
  if (local.port == Port{}) {
    // An ephemeral port no socket here is bound to (Linux inet_csk_get_port).
    const EphemeralRange range = tcp_.ephemeral_range();
    bool found = false;
    for (std::uint32_t p = range.first; p <= range.last && !found; ++p) {
      local.port = Port{static_cast<std::uint16_t>(p)};
        found = std::none_of(table_.begin(), table_.end(), [&](const Socket* o) {
        return o != nullptr && o->stream() && o->bound && overlaps(*o->bound);
      });
    }
    if (!found) return failure(Errc::AddressInUse, "T26: bind() to port 0 found no free ephemeral port");
  } else {
    for (const Socket* other : table_) {
      if (other == nullptr || other == s || !other->stream() || !other->bound || !overlaps(*other->bound)) continue;
      // SO_REUSEADDR on both lets them share the port unless one listens.
      if (s->reuse_address && other->reuse_address && other->listener == nullptr) continue;
      return failure(Errc::AddressInUse, "T25: another socket is bound to this address and port");
    }
  }
  s->bound = local;
  s->bind_request = requested;
  return documented_success(0, "bind()");
}

// --- listen and accept --------------------------------------------------------

CallResult SocketApi::listen(int fd, int backlog) {
  Socket* s = find(fd);
  if (s == nullptr) return traced("listen", fd, failure(semantics_.bad_descriptor));
  if (!s->stream()) {
    return traced("listen", fd, failure(Errc::NotSupported, "listen(): a datagram socket has no connections to accept"));
  }
  if (s->connection != nullptr) {
    return traced("listen", fd, failure(Errc::InvalidArgument, "listen(): the socket is connected or connecting"));
  }
  if (s->listener != nullptr) return traced("listen", fd, success(0, "listen(): already listening"));
  if (!s->bound) {
    const CallResult b = bind(fd, Endpoint{});  // Linux binds an ephemeral port (inet_autobind)
    if (!b.ok()) return traced("listen", fd, b);
  }
  if (tcp_.find_listener(*s->bound) != nullptr) {
    return traced("listen", fd, failure(Errc::AddressInUse, "listen(): another socket listens on this port"));
  }
  s->listener = &tcp_.listen(*s->bound, backlog, connection_config(*s));
  s->listener->set_observer(s);
  return traced("listen", fd, documented_success(0, "listen()"));
}

bool SocketApi::AcceptCall::await_ready() {
  Socket* s = api_.find(fd_);
  if (s == nullptr) {
    result_ = api_.failure(api_.semantics_.bad_descriptor);
  } else if (!s->stream()) {
    result_ = api_.failure(Errc::NotSupported, "accept(): a datagram socket has no connections to accept");
  } else if (s->listener == nullptr) {
    result_ = api_.failure(Errc::InvalidArgument, "accept(): the socket is not listening");
  } else if (s->listener->pending() == 0 && s->nonblocking) {
    result_ = api_.failure(api_.would_block(),
                           "accept(): nothing to accept and the socket is non-blocking");
  }
  return result_.has_value() || s->listener->pending() > 0;
}

void SocketApi::AcceptCall::await_suspend(Task::Handle task) {
  api_.find(fd_)->accept_waiters.push_back(task.promise().id);
}

CallResult SocketApi::AcceptCall::await_resume() {
  if (result_) return api_.traced("accept", fd_, *result_);
  Socket* s = api_.find(fd_);
  if (s == nullptr || s->listener == nullptr) return api_.traced("accept", fd_, api_.failure(api_.semantics_.bad_descriptor));
  Connection* c = s->listener->accept();
  if (c == nullptr) {
    return api_.traced("accept", fd_,
                       api_.failure(Errc::ConnectionAborted, "accept(): the queued connection closed first",
                                    Provenance::Assumed));
  }
  const int fd = api_.new_descriptor(sock_stream);
  Socket* accepted = api_.find(fd);
  accepted->connection = c;
  accepted->connect_reported = true;
  accepted->bound = c->tuple().local;
  c->set_observer(accepted);
  if (peer_ != nullptr) *peer_ = c->tuple().remote;
  return api_.traced("accept", fd_, api_.documented_success(fd, "accept(): a connection from the accept queue"));
}

}  // namespace netstep::socket
