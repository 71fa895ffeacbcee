// send(), recv() and shutdown(): the awaitable every transfer goes through,
// its wait (timeouts, signals, closing the socket), and the TCP side. The
// UDP side is socket_datagram.cpp.
#include <algorithm>

#include "socket/socket_state.hpp"

namespace netstep::socket {

using tcp::Connection;
using tcp::State;

namespace {

// States in which our FIN is queued or sent: nothing more may be sent.
bool our_side_closed(State s) {
  return s == State::FinWait1 || s == State::FinWait2 || s == State::Closing || s == State::LastAck ||
         s == State::TimeWait;
}

}  // namespace

Errc SocketApi::would_block() const {
  return semantics_.first_nonblocking.error == Errc::WouldBlock ? Errc::WouldBlock : Errc::TryAgain;
}

// --- the calls ----------------------------------------------------------------

SocketApi::TransferCall SocketApi::send(int fd, Bytes data, int flags) {
  TransferCall call{*this, fd, TransferCall::Direction::Send, flags};
  call.data_ = data;
  return call;
}

SocketApi::TransferCall SocketApi::sendto(int fd, Bytes data, const ConnectArguments& to, int flags) {
  TransferCall call{*this, fd, TransferCall::Direction::Send, flags};
  call.data_ = data;
  call.address_ = to;
  return call;
}

SocketApi::TransferCall SocketApi::recv(int fd, MutableBytes buffer, int flags) {
  TransferCall call{*this, fd, TransferCall::Direction::Receive, flags};
  call.buffer_ = buffer;
  return call;
}

SocketApi::TransferCall SocketApi::recvfrom(int fd, MutableBytes buffer, Endpoint* from, int flags) {
  TransferCall call{*this, fd, TransferCall::Direction::Receive, flags};
  call.buffer_ = buffer;
  call.from_ = from;
  return call;
}

std::string_view SocketApi::TransferCall::name() const {
  if (direction_ == Direction::Send) return address_ ? "sendto" : "send";
  return from_ != nullptr ? "recvfrom" : "recv";
}

bool SocketApi::TransferCall::await_ready() {
  result_ = api_.try_transfer(*this, /*final=*/false);
  return result_.has_value();
}

void SocketApi::TransferCall::await_suspend(Task::Handle task) {
  Socket* s = api_.find(fd_);
  task_ = task.promise().id;
  s->transfer_waiters.push_back(this);
  const auto& bound = direction_ == Direction::Send ? s->send_timeout : s->receive_timeout;
  if (bound) api_.tasks_.wake_at(task_, api_.tasks_.loop().now() + *bound);
}

CallResult SocketApi::TransferCall::await_resume() {
  if (!result_) {
    // Woken without a result: a timeout ran out, a signal came, or the
    // socket was closed. One more look, then report what was done.
    Socket* s = socket_closed_ ? nullptr : api_.find(fd_);
    if (s == nullptr) {
      result_ = api_.failure(api_.semantics_.bad_descriptor.error, "the socket was closed during the call");
    } else {
      std::erase(s->transfer_waiters, this);
      if (!interrupted_) result_ = api_.try_transfer(*this, /*final=*/true);
      // Still nothing to do but wait: the wait's end is the answer.
      if (!result_ || result_->error == api_.would_block()) result_ = api_.transfer_cut_short(*s, *this);
    }
  }
  return api_.traced(name(), fd_, *result_);
}

std::optional<CallResult> SocketApi::try_transfer(TransferCall& call, bool final) {
  Socket* s = find(call.fd_);
  if (s == nullptr) return failure(semantics_.bad_descriptor);
  const bool may_wait = !final && !s->nonblocking && (call.flags_ & msg_dontwait) == 0;
  const bool sending = call.direction_ == TransferCall::Direction::Send;
  if (!s->stream()) return sending ? datagram_send(*s, call) : datagram_receive(*s, call, may_wait);
  return sending ? stream_send(*s, call, may_wait) : stream_receive(*s, call, may_wait);
}

CallResult SocketApi::transfer_cut_short(Socket& s, TransferCall& call) {
  const bool sending = call.direction_ == TransferCall::Direction::Send;
  CallCause cause{"timer", sending ? "SO_SNDTIMEO ran out" : "SO_RCVTIMEO ran out", tasks_.loop().now(), std::nullopt};
  if (call.interrupted_) cause = CallCause{"signal", "a signal handler ran", tasks_.loop().now(), std::nullopt};
  // What was sent before the wait ended is the call's result (POSIX).
  if (sending && call.done_ > 0) {
    CallResult r = success(static_cast<int>(call.done_), "send(): part of the data was queued before the wait ended");
    r.cause = cause;
    return r;
  }
  CallResult r = call.interrupted_ ? failure(Errc::Interrupted, "a signal interrupted the call")
                 : sending         ? failure(transfers_.send_timeout)
                 : transfers_.receive_timeout_returns_zero
                     ? success(0, "FreeRTOS_recv: the block time ran out with nothing received: 0", Provenance::DerivedFromSource)
                     : failure(transfers_.receive_timeout);
  if (!call.interrupted_ && !s.stream() && !sending && !transfers_.receive_timeout_returns_zero) {
    r.rule = "SO_RCVTIMEO ran out with no datagram";
  }
  r.cause = cause;
  return r;
}

// --- TCP ------------------------------------------------------------------------

std::optional<CallResult> SocketApi::stream_send(Socket& s, TransferCall& call, bool may_wait) {
  if (s.listener != nullptr) return failure(transfers_.send_on_listener);
  if (s.write_shut) return failure(transfers_.send_after_shutdown);
  Connection* c = s.connection;
  if (c == nullptr) return failure(transfers_.send_unconnected);
  if (failed(s) || c->outcome() == tcp::Outcome::Reset || c->outcome() == tcp::Outcome::Aborted) {
    // The failure once (measured: ECONNRESET), then EPIPE.
    if (!s.error_consumed) {
      s.error_consumed = true;
      if (const std::optional<Ruled> e = error_of(*c)) {
        return connection_failure(*e, *c);
      }
    }
    return failure(transfers_.send_after_shutdown);
  }
  if (c->state() == State::Closed || our_side_closed(c->state())) return failure(transfers_.send_after_shutdown);
  if (handshake_pending(c->state()) && !transfers_.send_queues_while_connecting) {
    if (may_wait) return std::nullopt;  // sk_stream_wait_connect
    return failure(would_block(), "send(): the handshake has not completed and the call may not wait");
  }
  call.done_ += c->send(call.data_.subspan(call.done_));
  if (call.done_ == call.data_.size()) return documented_success(static_cast<int>(call.done_), "send(): the data is queued");
  if (may_wait) return std::nullopt;  // for room in the send buffer
  if (call.done_ > 0) return success(static_cast<int>(call.done_), "send(): as much as the send buffer took");
  if (transfers_.send_queues_while_connecting) return failure(transfers_.send_timeout);  // -ENOSPC
  return failure(would_block(), "send(): the send buffer is full and the call may not wait");
}

std::optional<CallResult> SocketApi::stream_receive(Socket& s, TransferCall& call, bool may_wait) {
  if (s.listener != nullptr || s.connection == nullptr) return failure(transfers_.receive_unconnected);
  if ((call.flags_ & msg_peek) != 0) {
    return failure(Errc::NotSupported, "recv(MSG_PEEK) on a stream socket: not modelled by netstep", Provenance::Assumed);
  }
  Connection& c = *s.connection;
  if (c.readable() > 0 && !s.read_shut) {
    const std::size_t n = c.receive(call.buffer_);
    return documented_success(static_cast<int>(n), "recv(): in-order data");
  }
  if (s.read_shut) return success(0, "recv(): the socket was shut down for reading");
  if (failed(s) || c.outcome() == tcp::Outcome::Reset) {
    if (!s.error_consumed) {
      s.error_consumed = true;
      if (const std::optional<Ruled> e = error_of(c)) {
        return connection_failure(*e, c);
      }
    }
    return success(0, "recv(): the connection is over (its error was already reported)");
  }
  if (c.peer_finished() || c.outcome() == tcp::Outcome::Closed) {
    if (transfers_.receive_after_peer_closed) return failure(*transfers_.receive_after_peer_closed);
    return success(0, "recv(): the peer closed its side (FIN): end of stream");
  }
  if (c.state() == State::Closed) return failure(transfers_.receive_unconnected);
  if (may_wait) return std::nullopt;
  return failure(would_block(), "recv(): nothing to read and the call may not wait");
}

// --- shutdown -----------------------------------------------------------------------

CallResult SocketApi::shutdown(int fd, int how) {
  Socket* s = find(fd);
  if (s == nullptr) return traced("shutdown", fd, failure(semantics_.bad_descriptor));
  if (!s->stream() && transfers_.stream_calls_on_datagram_socket) {
    return traced("shutdown", fd,
                  failure(Errc::NotSupported, "FreeRTOS_shutdown is TCP-only: -EOPNOTSUPP", Provenance::DerivedFromSource));
  }
  if (how != shut_rd && how != shut_wr && how != shut_rdwr) {
    return traced("shutdown", fd, failure(Errc::InvalidArgument, "shutdown(): how is not SHUT_RD, SHUT_WR or SHUT_RDWR"));
  }
  if (transfers_.shutdown_is_always_both) how = shut_rdwr;
  const bool reading = how != shut_wr;
  const bool writing = how != shut_rd;
  const auto apply = [&] {
    s->read_shut = s->read_shut || reading;
    s->write_shut = s->write_shut || writing;
    if (!s->transfer_waiters.empty()) schedule_progress(*s);  // a blocked recv() returns now
  };
  if (!s->stream()) {
    // A UDP socket is "connected" when it has a peer (Linux: TCP_ESTABLISHED).
    if (s->pcb == nullptr || !s->pcb->peer()) {
      if (transfers_.shutdown_unconnected_still_applies) apply();
      return traced("shutdown", fd, failure(transfers_.shutdown_unconnected));
    }
    apply();
    return traced("shutdown", fd, documented_success(0, "shutdown()"));
  }
  Connection* c = s->connection;
  if (s->listener != nullptr) {
    return traced("shutdown", fd, failure(transfers_.shutdown_unconnected));
  }
  if (c == nullptr || c->state() == State::Closed) {
    if (transfers_.shutdown_unconnected_still_applies) apply();
    return traced("shutdown", fd, failure(transfers_.shutdown_unconnected));
  }
  if (handshake_pending(c->state()) && transfers_.shutdown_is_always_both) {
    return traced("shutdown", fd, failure(transfers_.shutdown_unconnected));
  }
  apply();
  // RFC 9293 3.10.4: CLOSE sends a FIN after the queued data; in SYN-SENT
  // the attempt just ends (Linux: tcp_disconnect).
  if (writing && !our_side_closed(c->state())) c->close();
  return traced("shutdown", fd, documented_success(0, "shutdown()"));
}

// --- waking blocked transfers ----------------------------------------------------------

void SocketApi::schedule_progress(Socket& s) {
  if (std::find(progress_due_.begin(), progress_due_.end(), &s) == progress_due_.end()) progress_due_.push_back(&s);
  if (!tasks_.loop().pending(progress_event_)) {
    progress_event_ = tasks_.loop().post_after(Duration::zero(), [this] { make_progress(); });
  }
}

// Each parked call tries again, oldest first; one that finishes wakes its
// task with the result. A call that still cannot finish stays parked.
void SocketApi::make_progress() {
  std::vector<Socket*> due;
  due.swap(progress_due_);
  for (Socket* s : due) {
    std::vector<TransferCall*> waiting = s->transfer_waiters;
    for (TransferCall* call : waiting) {
      std::optional<CallResult> r = try_transfer(*call, /*final=*/false);
      if (!r) continue;
      call->result_ = std::move(r);
      std::erase(s->transfer_waiters, call);
      tasks_.wake(call->task_);
    }
  }
}

}  // namespace netstep::socket
