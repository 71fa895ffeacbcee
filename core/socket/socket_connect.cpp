#include "socket/socket_state.hpp"

namespace netstep::socket {

using tcp::Connection;
using tcp::State;

// --- connect ------------------------------------------------------------------

tcp::TcpConfig SocketApi::connection_config(const Socket& s) const {
  tcp::TcpConfig config = tcp_.defaults();
  if (config.syn.personality != personality_.id()) config.syn = tcp::syn_policy_for(personality_.id());
  if (options_.freertos_rst_wakes_connect && config.syn.after_rst == tcp::SynAfterRst::CloseWithoutWakingCaller) {
    config.syn.after_rst = tcp::SynAfterRst::Refuse;
  }
  config.syn_overrides = s.syn_overrides;
  config.nodelay = s.nodelay;
  return config;
}

std::optional<Instant> SocketApi::blocking_deadline(const Socket& s) const {
  const auto now = tasks_.loop().now();
  switch (semantics_.blocking_bound) {
    case BlockingBound::SendTimeoutInProgress:
      if (s.send_timeout) return now + *s.send_timeout;
      return std::nullopt;
    case BlockingBound::ReceiveTimeoutTimedOut:
      // No FREERTOS_SO_RCVTIMEO: ipconfigSOCK_DEFAULT_RECEIVE_BLOCK_TIME,
      // portMAX_DELAY as shipped, which never runs out (connect-source.md 1b).
      if (s.receive_timeout) return now + *s.receive_timeout;
      return std::nullopt;
    case BlockingBound::None: return std::nullopt;
  }
  return std::nullopt;
}

// After the argument checks and the socket's own state, in the order each
// system makes them (Linux __inet_stream_connect, FreeBSD kern_connectat and
// tcp_usr_connect, FreeRTOS+TCP FreeRTOS_connect and bMayConnect).
std::optional<CallResult> SocketApi::start_connect(int fd, const ConnectArguments& arguments, bool& started) {
  if (!initialised_ && semantics_.not_initialised) return failure(*semantics_.not_initialised);
  if (Socket* s = find(fd); s != nullptr && !s->stream()) return connect_datagram(*s, arguments);  // never waits
  const ArgumentVerdict verdict = check_connect_arguments(personality_.id(), arguments);
  const bool arguments_wrong = verdict.action == ArgumentVerdict::Action::Fail;
  if (arguments_wrong && semantics_.address_checked_before_descriptor) {
    return failure(*verdict.error, verdict.rule, verdict.provenance);
  }
  Socket* s = find(fd);
  if (s == nullptr && fd >= 0 && fd < first_descriptor && semantics_.bad_descriptor.error != Errc::NotASocket &&
      personality_.id() != PersonalityId::FreeRtos) {
    // T24: 0, 1 and 2 are open, but they are the standard streams, not sockets.
    return failure(Errc::NotASocket, "T24: the descriptor is open but is not a socket (a standard stream)",
                   personality_.id() == PersonalityId::Linux ? Provenance::Measured : Provenance::Documented);
  }
  if (s == nullptr) return failure(semantics_.bad_descriptor);
  if (arguments_wrong) return failure(*verdict.error, verdict.rule, verdict.provenance);
  if (verdict.action == ArgumentVerdict::Action::Disconnect) {
    wake_all(*s);
    if (s->connection != nullptr && s->connection->state() != State::Closed) s->connection->abort();
    const bool had_attempt = s->connection != nullptr;
    drop_connection(*s);
    if (had_attempt && semantics_.failed_attempt_frees_picked_port) s->bound = s->bind_request;
    s->spent = false;
    return success(0, verdict.rule);
  }
  if (s->listener != nullptr) return failure(semantics_.on_listening_socket);
  if (s->spent) {
    return spent_socket_refusal();
  }
  if (Connection* c = s->connection) {
    if (handshake_pending(c->state())) {
      if (!s->nonblocking && semantics_.blocking_call_waits_while_pending) return std::nullopt;  // wait for it
      if (options_.winsock_1_1_application && semantics_.while_pending_winsock_1_1) {
        return failure(*semantics_.while_pending_winsock_1_1);
      }
      return failure(semantics_.while_pending);
    }
    if (connected_or_done(*c)) {
      if (semantics_.zero_once_after_completion && !s->connect_reported) {
        s->connect_reported = true;
        return success(0, "T11: the first call after the handshake completed returns 0, not EISCONN");
      }
      return failure(semantics_.already_connected);
    }
    if (std::optional<CallResult> reported = report_failed_attempt(*s)) return reported;
    drop_connection(*s);  // a new attempt (FreeRTOS+TCP: also after the RST it slept through, 1b)
    if (semantics_.failed_attempt_frees_picked_port) s->bound = s->bind_request;
  }
  started = true;
  return start_attempt(*s, verdict);
}

CallResult SocketApi::spent_socket_refusal() const {
  return failure(Errc::ConnectionRefused,
                 "T14: the attempt failed; a BSD socket then answers ECONNREFUSED (INP_DROPPED): close it",
                 semantics_.after_failure_provenance);
}

// A later connect() on a socket whose attempt failed (T14): the report, or
// nullopt when a new attempt starts.
std::optional<CallResult> SocketApi::report_failed_attempt(Socket& s) {
  Connection& c = *s.connection;
  switch (semantics_.after_failure) {
    case AfterFailure::StickyRefused:
      s.spent = true;
      return spent_socket_refusal();
    case AfterFailure::NewAttempt: return std::nullopt;
    case AfterFailure::ReportThenAbortThenRetry:
      if (!s.error_consumed) {
        s.error_consumed = true;
        const std::optional<Ruled> e = error_of(c);
        CallResult r = connection_failure(*e, c);
        r.rule = "T14: connect() reports the failure SO_ERROR did not";
        return r;
      }
      if (s.error_read_by_so_error && !s.aborted_reported) {
        s.aborted_reported = true;
        return failure(Errc::ConnectionAborted, "T14: SO_ERROR already read the failure: ECONNABORTED once");
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<CallResult> SocketApi::start_attempt(Socket& s, const ArgumentVerdict& verdict) {
  Endpoint destination = verdict.destination;
  // FreeRTOS+TCP (connect-source.md 1e): an unknown family leaves xRemoteIP
  // as it was, 0.0.0.0 on a fresh socket; the SYNs go there and, unanswered,
  // end in -ENOTCONN after its schedule (T18).
  if (verdict.action == ArgumentVerdict::Action::ConnectToPreviousPeer) destination.address = s.last_remote;
  s.last_remote = destination.address;
  s.rewritten_destination.reset();
  if (verdict.destination_rewritten) s.rewritten_destination = verdict;
  const std::optional<Endpoint> local = s.bound;
  const auto connected = tcp_.connect(destination, local, connection_config(s));
  if (!connected) return failure(semantics_.refused_before_sending(connected.error()));
  s.connection = *connected;
  s.connection->set_observer(&s);
  s.bound = s.connection->tuple().local;  // T32: an unbound socket is bound now
  s.connect_reported = s.error_consumed = s.error_read_by_so_error = s.aborted_reported = false;
  if (s.nonblocking) return failure(semantics_.first_nonblocking);
  return std::nullopt;  // the caller waits
}

bool SocketApi::ConnectCall::await_ready() {
  result_ = api_.start_connect(fd_, arguments_, started_attempt_);
  return result_.has_value();  // otherwise a blocking call waits: for its new attempt, or one under way
}

void SocketApi::ConnectCall::await_suspend(Task::Handle task) {
  Socket* s = api_.find(fd_);
  task_ = task.promise().id;
  s->connect_waiters.push_back(this);
  deadline_ = api_.blocking_deadline(*s);
  if (deadline_) api_.tasks_.wake_at(task_, *deadline_);
}

CallResult SocketApi::ConnectCall::await_resume() {
  if (result_) return api_.traced("connect", fd_, *result_);
  return api_.traced("connect", fd_, api_.finish_connect(*this));
}

CallResult SocketApi::finish_connect(ConnectCall& call) {
  Socket* s = find(call.fd_);
  if (s == nullptr) return failure(semantics_.bad_descriptor.error, "T23: the socket was closed while connecting");
  std::erase(s->connect_waiters, &call);
  Connection* c = s->connection;
  if (c == nullptr) {
    return failure(Errc::ConnectionAborted, "T19: another call dissolved the attempt (AF_UNSPEC)", Provenance::Assumed);
  }
  if (call.interrupted_) {
    CallResult r = failure(Errc::Interrupted, "T29: a signal interrupted connect(); the attempt goes on",
                           personality_.id() == PersonalityId::Linux ? Provenance::Measured : Provenance::Documented);
    r.cause = CallCause{"signal", "a signal handler ran", tasks_.loop().now(), std::nullopt};
    return r;
  }
  if (handshake_pending(c->state()) || refusal_left_caller_asleep(*c)) {
    // Only the bound of a timeout option wakes a call before the outcome.
    CallCause cause{"timer", "", tasks_.loop().now(), std::nullopt};
    if (options_.tracer.active()) cause.trace_event = options_.tracer.next_sequence();
    if (semantics_.blocking_bound == BlockingBound::ReceiveTimeoutTimedOut) {
      cause.what = "FREERTOS_SO_RCVTIMEO: the block time ran out";
      options_.tracer.emit(Layer::Socket, TimerFired{"FREERTOS_SO_RCVTIMEO block time"});
      CallResult r = failure(Errc::TimedOut,
                             refusal_left_caller_asleep(*c)
                                 ? "T02: the RST closed the socket without waking connect(), which slept until its "
                                   "block time ran out (FreeRTOS+TCP issue #1301, open PR #1355)"
                                 : "T27: the block time (FREERTOS_SO_RCVTIMEO) ran out; the SYNs go on [S0]",
                             Provenance::DerivedFromSource);
      r.cause = cause;
      return r;
    }
    cause.what = "SO_SNDTIMEO ran out";
    options_.tracer.emit(Layer::Socket, TimerFired{"SO_SNDTIMEO"});
    CallResult r = call.started_attempt_
                       ? failure(Errc::InProgress, "T28: SO_SNDTIMEO ended the wait; the handshake goes on")
                       : failure(Errc::Already, "T28: SO_SNDTIMEO ended a second wait for the same handshake");
    r.cause = cause;
    return r;
  }
  if (connected_or_done(*c)) {
    s->connect_reported = true;
    if (s->rewritten_destination) {
      return success(0, s->rewritten_destination->rule, s->rewritten_destination->provenance);  // T20
    }
    return documented_success(0, "T01: the handshake completed");
  }
  s->error_consumed = true;
  if (semantics_.after_failure == AfterFailure::StickyRefused) s->spent = true;
  return connection_failure(*error_of(*c), *c);
}

}  // namespace netstep::socket
