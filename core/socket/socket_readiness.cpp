#include "socket/socket_state.hpp"

namespace netstep::socket {

using tcp::Connection;
using tcp::State;

// --- readiness ----------------------------------------------------------------

// Linux's datagram_poll and tcp_poll (measured: docs/sockets.md): a
// shutdown for reading makes a socket readable (recv() returns at once),
// a shutdown both ways also hangs it up.
short SocketApi::poll(int fd) const {
  const Socket* s = find(fd);
  if (s == nullptr) return pollnval;
  const short shut = static_cast<short>((s->read_shut ? pollin : 0) | (s->read_shut && s->write_shut ? pollhup : 0));
  if (!s->stream()) {
    const bool readable = s->pcb != nullptr && s->pcb->readable();
    const bool error = reportable_udp_error(*s, /*for_receive=*/false).has_value();
    return static_cast<short>(pollout | shut | (readable ? pollin : 0) | (error ? pollerr : 0));
  }
  if (s->listener != nullptr) return s->listener->pending() > 0 ? pollin : 0;
  if (s->connection == nullptr) return pollout | pollhup;  // an unconnected stream socket (Linux)
  const Connection& c = *s->connection;
  if (handshake_pending(c.state())) return 0;
  if (connected_or_done(c)) {
    const bool readable = c.readable() > 0 || c.peer_finished();
    return static_cast<short>(pollout | shut | (readable ? pollin : 0));
  }
  // T13 (Linux, measured): POLLOUT|POLLERR|POLLHUP until SO_ERROR is read;
  // Winsock's WSAPoll reports POLLERR|POLLHUP too (Windows 10 2004 on).
  // BSD-derived stacks are only writable and hung up (assumed).
  const bool error_flag = personality_.id() == PersonalityId::Linux ? !s->error_consumed
                                                                     : personality_.id() == PersonalityId::Winsock;
  // A reset of an open connection also leaves it readable (recv() returns
  // the error, then 0): measured 0x1d on Linux.
  const short reset = c.outcome() == tcp::Outcome::Reset ? pollin : 0;
  return static_cast<short>(pollout | pollhup | reset | (failed(*s) && error_flag ? pollerr : 0));
}

// --- waiting for readiness (poll() with a timeout) ---------------------------------

void SocketApi::ReadinessWait::await_suspend(Task::Handle task) {
  task_ = task.promise().id;
  api_.readiness_waiters_.push_back(task_);
  if (deadline_) api_.tasks_.wake_at(task_, *deadline_);
}

void SocketApi::ReadinessWait::await_resume() {
  std::erase_if(api_.readiness_waiters_, [&](const TaskId& t) {
    return t.index == task_.index && t.generation == task_.generation;
  });
}

// TaskRunner::wake() resumes from a zero-delay loop event and replaces a
// planned wake_at(), so a layer is never re-entered and the first of
// "changed" and "deadline" wins.
void SocketApi::readiness_may_have_changed() {
  for (const TaskId task : readiness_waiters_) tasks_.wake(task);
}

SocketApi::SelectSets SocketApi::select(int fd) const {
  const Socket* s = find(fd);
  if (s == nullptr) return {};
  if (!s->stream()) {
    const bool readable = (s->pcb != nullptr && s->pcb->readable()) || s->read_shut ||
                          reportable_udp_error(*s, /*for_receive=*/true).has_value();
    return {readable, true, false};
  }
  if (s->listener != nullptr) return {s->listener->pending() > 0, false, false};
  if (s->connection == nullptr) return {false, true, false};
  const Connection& c = *s->connection;
  if (handshake_pending(c.state())) return {};
  if (connected_or_done(c)) return {c.readable() > 0 || c.peer_finished() || s->read_shut, true, false};
  // A failed connect: POSIX marks it readable and writable (the error is
  // read with SO_ERROR); Winsock puts it in the except set [S4]; FreeRTOS+TCP
  // reports eSELECT_EXCEPT for a closed socket (connect-source.md 1b).
  if (personality_.id() == PersonalityId::Winsock || personality_.id() == PersonalityId::FreeRtos) {
    return {false, false, true};
  }
  return {true, true, false};
}
// --- signals ------------------------------------------------------------------

bool SocketApi::signal(int fd, bool sa_restart) {
  if (semantics_.signals == SignalEffect::NotApplicable) return false;
  Socket* s = find(fd);
  if (s == nullptr) return true;
  // Linux restarts a call under SA_RESTART, unless a timeout option bounds
  // it (T29, measured for connect(); signal(7) for send() and recv());
  // FreeBSD turns ERESTART into EINTR (2a).
  const auto restarts = [&](const std::optional<milliseconds>& bound) {
    return sa_restart && semantics_.signals == SignalEffect::InterruptsUnlessRestart && !bound;
  };
  for (ConnectCall* call : s->connect_waiters) {
    if (restarts(s->send_timeout)) continue;
    call->interrupted_ = true;
    tasks_.wake(call->task_);
  }
  for (TransferCall* call : s->transfer_waiters) {
    const bool sending = call->direction_ == TransferCall::Direction::Send;
    if (restarts(sending ? s->send_timeout : s->receive_timeout)) continue;
    call->interrupted_ = true;
    tasks_.wake(call->task_);
  }
  return true;
}

}  // namespace netstep::socket
