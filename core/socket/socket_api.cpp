#include "socket/socket_api.hpp"

#include <memory>
#include <stdexcept>

#include "socket/linux_errors.hpp"

namespace netstep::socket {

using tcp::Connection;
using tcp::State;

namespace {
constexpr int first_descriptor = 3;  // 0, 1 and 2 are the standard streams

bool handshake_pending(State s) { return s == State::SynSent || s == State::SynReceived; }
}  // namespace

// One socket: its options, its connection, and what connect() and SO_ERROR
// have already told the application about it.
struct SocketApi::Socket final : Connection::Observer {
  explicit Socket(TaskRunner& runner) : tasks{runner} {}
  void connection_changed(Connection& c) override {
    if (waiters.empty() || handshake_pending(c.state())) return;
    for (const ThisTask& w : waiters) tasks.wake(w.id);  // resumed from loop events, not from inside TCP
    waiters.clear();
  }

  TaskRunner& tasks;
  bool nonblocking = false;
  Connection* connection = nullptr;  // held since connect(), released by close() or a new attempt
  bool connect_reported = false;     // T11: the first connect() after the handshake returns 0
  bool error_consumed = false;       // the failure was reported (by connect() or SO_ERROR)
  bool error_read_by_so_error = false;
  bool aborted_reported = false;     // T14: ECONNABORTED once, then a new attempt
  std::vector<ThisTask> waiters;  // tasks blocked in connect() on this socket
};

SocketApi::SocketApi(tcp::TcpLayer& tcp, TaskRunner& tasks, PersonalityId personality)
    : tcp_{tcp}, tasks_{tasks}, personality_{Personality::get(personality)} {
  if (personality != PersonalityId::Linux) {
    throw std::invalid_argument("socket API: only the linux personality's semantics are modelled so far");
  }
}

SocketApi::~SocketApi() {
  for (Socket* socket : table_) {
    if (socket == nullptr) continue;
    drop_connection(*socket);
    delete socket;
  }
}

std::string CallResult::describe() const {
  if (!error) return std::to_string(value);
  if (!code) return std::to_string(value) + " " + std::string{posix_name(*error)};
  FailedReturn r;
  r.value = value;
  r.code = code;
  r.convention = convention;
  return r.describe();
}

CallResult SocketApi::success(int value, std::string_view rule) const {
  CallResult r;
  r.value = value;
  r.rule = rule;
  return r;
}

CallResult SocketApi::failure(Errc e, std::string_view rule, Provenance p) const {
  const FailedReturn spelled = personality_.failure(e);
  CallResult r;
  r.value = spelled.value;
  r.error = e;
  r.code = spelled.code;
  r.rule = rule;
  r.provenance = p;
  r.convention = personality_.convention();
  return r;
}

SocketApi::Socket* SocketApi::find(int fd) {
  if (fd < 0 || static_cast<std::size_t>(fd) >= table_.size()) return nullptr;
  return table_[static_cast<std::size_t>(fd)];
}
const SocketApi::Socket* SocketApi::find(int fd) const {
  if (fd < 0 || static_cast<std::size_t>(fd) >= table_.size()) return nullptr;
  return table_[static_cast<std::size_t>(fd)];
}

CallResult SocketApi::socket(int domain, int type, int protocol) {
  if (domain != af_inet) return failure(Errc::FamilyNotSupported, "socket(): only AF_INET");
  if (type != sock_stream) {
    throw std::invalid_argument("socket API: SOCK_DGRAM sockets come with the UDP part of the API");
  }
  if (protocol != 0 && protocol != 6) return failure(Errc::ProtocolNotAvailable, "socket(): SOCK_STREAM is TCP (6)");
  if (table_.size() < first_descriptor) table_.resize(first_descriptor, nullptr);
  std::size_t fd = first_descriptor;
  while (fd < table_.size() && table_[fd] != nullptr) ++fd;  // the lowest free descriptor, as POSIX requires
  if (fd == table_.size()) table_.push_back(nullptr);
  table_[fd] = new Socket{tasks_};
  return success(static_cast<int>(fd), "socket(): the lowest unused descriptor");
}

CallResult SocketApi::set_nonblocking(int fd, bool on) {
  Socket* s = find(fd);
  if (s == nullptr) return failure(Errc::BadDescriptor, "fcntl(): not an open descriptor");
  s->nonblocking = on;
  return success(0, "fcntl(F_SETFL, O_NONBLOCK)");
}

CallResult SocketApi::so_error(int fd) {
  Socket* s = find(fd);
  if (s == nullptr) return failure(Errc::BadDescriptor, "getsockopt(): not an open descriptor");
  CallResult r = success(0, "T13: SO_ERROR is 0: no error pending");
  if (s->connection == nullptr || s->error_consumed || s->connection->state() != State::Closed) return r;
  const std::optional<Errc> e = linux_connection_error(s->connection->outcome(), s->connection->soft_error());
  if (!e) return r;
  s->error_consumed = true;
  s->error_read_by_so_error = true;
  const auto code = personality_.code(*e);
  r.value = code && code->number ? *code->number : 0;
  r.code = code;
  r.rule = "T13: SO_ERROR returns the connection's error once, then 0";
  return r;
}

short SocketApi::poll(int fd) const {
  const Socket* s = find(fd);
  if (s == nullptr) return 0x020;  // POLLNVAL
  if (s->connection == nullptr) return pollout | pollhup;  // an unconnected stream socket (Linux)
  const State state = s->connection->state();
  if (handshake_pending(state)) return 0;
  if (state != State::Closed) return static_cast<short>(pollout | (s->connection->readable() > 0 ? pollin : 0));
  const bool failed = linux_connection_error(s->connection->outcome(), s->connection->soft_error()).has_value();
  // T13: a failed connect reads POLLOUT|POLLERR|POLLHUP until SO_ERROR is read.
  return static_cast<short>(pollout | pollhup | (failed && !s->error_consumed ? pollerr : 0));
}

CallResult SocketApi::close(int fd) {
  Socket* s = find(fd);
  if (s == nullptr) return failure(Errc::BadDescriptor, "close(): not an open descriptor");
  drop_connection(*s);
  delete s;
  table_[static_cast<std::size_t>(fd)] = nullptr;
  return success(0, "close()");
}

void SocketApi::drop_connection(Socket& s) {
  if (s.connection == nullptr) return;
  s.connection->set_observer(nullptr);
  s.connection->close();  // an orderly close; in SYN-SENT the attempt just ends (RFC 9293 3.10.4)
  tcp_.release(*s.connection);
  s.connection = nullptr;
  s.connect_reported = s.error_consumed = s.error_read_by_so_error = s.aborted_reported = false;
}

// Linux's __inet_stream_connect, in its order, after the argument checks.
std::optional<CallResult> SocketApi::start_connect(int fd, const ConnectArguments& arguments) {
  Socket* s = find(fd);
  if (s == nullptr) return failure(Errc::BadDescriptor, "T23: not an open descriptor");
  const ArgumentVerdict verdict = check_connect_arguments(personality_.id(), arguments);
  switch (verdict.action) {
    case ArgumentVerdict::Action::Fail: return failure(*verdict.error, verdict.rule, verdict.provenance);
    case ArgumentVerdict::Action::Disconnect:
      if (s->connection != nullptr && s->connection->state() != State::Closed) s->connection->abort();
      drop_connection(*s);
      return success(0, verdict.rule);
    case ArgumentVerdict::Action::ConnectToPreviousPeer:
    case ArgumentVerdict::Action::Connect: break;
  }
  if (Connection* c = s->connection) {
    const State state = c->state();
    if (handshake_pending(state)) {
      if (s->nonblocking) return failure(Errc::Already, "T10: a connect() is already under way");
      return std::nullopt;  // a blocking call waits for the same handshake
    }
    if (state != State::Closed || c->outcome() == tcp::Outcome::Closed) {
      if (!s->connect_reported) {
        s->connect_reported = true;
        return success(0, "T11: the first call after the handshake completed returns 0, not EISCONN");
      }
      return failure(Errc::IsConnected, "T12: already connected");
    }
    // The last attempt failed.
    if (!s->error_consumed) {
      s->error_consumed = true;
      const std::optional<Errc> e = linux_connection_error(c->outcome(), c->soft_error());
      return failure(e.value_or(Errc::TimedOut), "T14: connect() reports the failure SO_ERROR did not");
    }
    if (s->error_read_by_so_error && !s->aborted_reported) {
      s->aborted_reported = true;
      return failure(Errc::ConnectionAborted, "T14: SO_ERROR already read the failure: ECONNABORTED once");
    }
    drop_connection(*s);  // T14: the next call starts a new attempt
  }
  const auto connected = tcp_.connect(verdict.destination);
  if (!connected) {
    return failure(linux_connect_error(connected.error()), "T07, T07b, T22, T25, T26: refused before any segment");
  }
  s->connection = *connected;
  s->connection->set_observer(s);
  if (s->nonblocking) return failure(Errc::InProgress, "T09: the SYN is sent, the handshake goes on");
  return std::nullopt;
}

CallResult SocketApi::finish_connect(int fd) {
  Socket* s = find(fd);
  if (s == nullptr || s->connection == nullptr) return failure(Errc::BadDescriptor, "T23: closed while connecting");
  Connection& c = *s->connection;
  if (c.state() != State::Closed || c.outcome() == tcp::Outcome::Closed) {
    s->connect_reported = true;
    return success(0, "T01: the handshake completed");
  }
  s->error_consumed = true;
  const std::optional<Errc> e = linux_connection_error(c.outcome(), c.soft_error());
  return failure(e.value_or(Errc::TimedOut), "T02-T05, T08: how the handshake ended");
}

bool SocketApi::ConnectCall::await_ready() {
  result_ = api_.start_connect(fd_, arguments_);
  return result_.has_value();
}

void SocketApi::ConnectCall::await_suspend(Task::Handle task) {
  Socket* s = api_.find(fd_);
  s->waiters.push_back(ThisTask{task.promise().runner, task.promise().id});
}

CallResult SocketApi::ConnectCall::await_resume() {
  if (result_) return *result_;
  return api_.finish_connect(fd_);
}

}  // namespace netstep::socket
