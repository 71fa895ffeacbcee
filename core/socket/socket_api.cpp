#include "socket/socket_api.hpp"

#include <algorithm>
#include <chrono>

namespace netstep::socket {

using tcp::Connection;
using tcp::State;
using std::chrono::milliseconds;

namespace {
constexpr int first_descriptor = 3;  // 0, 1 and 2 are the standard streams
constexpr std::uint8_t ip_protocol_tcp = 6;

bool handshake_pending(State s) { return s == State::SynSent || s == State::SynReceived; }

// The connection is over in order, or still open past the handshake.
bool connected_or_done(const Connection& c) {
  return (c.state() != State::Closed && !handshake_pending(c.state())) || c.outcome() == tcp::Outcome::Closed;
}

// FreeRTOS+TCP: a RST in eCONNECT_SYN closes the socket without waking
// connect() (connect-source.md 1b); the caller sleeps on as if pending.
bool refusal_left_caller_asleep(const Connection& c) {
  return c.outcome() == tcp::Outcome::Refused && c.config().syn.after_rst == tcp::SynAfterRst::CloseWithoutWakingCaller;
}

CallCause cause_of(const Connection& c) {
  const tcp::EndCause& e = c.end_cause();
  CallCause cause{to_string(e.kind), e.what, e.at, std::nullopt};
  if (e.trace_event != tcp::EndCause::no_event) cause.trace_event = e.trace_event;
  return cause;
}
}  // namespace

std::string_view to_string(SocketOption o) {
  switch (o) {
    case SocketOption::ReuseAddress: return "SO_REUSEADDR";
    case SocketOption::Broadcast: return "SO_BROADCAST";
    case SocketOption::ReceiveTimeout: return "SO_RCVTIMEO";
    case SocketOption::SendTimeout: return "SO_SNDTIMEO";
    case SocketOption::NoDelay: return "TCP_NODELAY";
    case SocketOption::SynCount: return "TCP_SYNCNT";
    case SocketOption::UserTimeout: return "TCP_USER_TIMEOUT";
    case SocketOption::FreeRtosReceiveTimeout: return "FREERTOS_SO_RCVTIMEO";
    case SocketOption::FreeRtosSendTimeout: return "FREERTOS_SO_SNDTIMEO";
    case SocketOption::Error: return "SO_ERROR";
  }
  return "?";
}

// One socket: its options, its connection or listener, and what connect()
// and SO_ERROR have already told the application about it.
struct SocketApi::Socket final : Connection::Observer, tcp::Listener::Observer {
  explicit Socket(TaskRunner& runner) : tasks{runner} {}

  void connection_changed(Connection& c) override {
    if (handshake_pending(c.state()) || refusal_left_caller_asleep(c)) return;
    for (const ConnectCall* call : connect_waiters) tasks.wake(call->task_);  // resumed from loop events
  }
  void connection_queued(tcp::Listener&) override {
    if (accept_waiters.empty()) return;
    tasks.wake(accept_waiters.front());  // one connection, one accept()
    accept_waiters.erase(accept_waiters.begin());
  }

  TaskRunner& tasks;
  bool nonblocking = false;
  std::optional<Endpoint> bound;      // bind(), or the endpoint connect()/listen() picked
  bool reuse_address = false;
  bool broadcast = false;
  bool nodelay = false;
  std::optional<milliseconds> receive_timeout;  // SO_RCVTIMEO (FreeRTOS+TCP: the block time)
  std::optional<milliseconds> send_timeout;     // SO_SNDTIMEO
  tcp::SynOverrides syn_overrides;              // TCP_SYNCNT, TCP_USER_TIMEOUT
  Connection* connection = nullptr;  // held since connect() or accept(), released by close() or a new attempt
  tcp::Listener* listener = nullptr;
  bool connect_reported = false;     // T11: the first connect() after the handshake returns 0 (Linux)
  bool error_consumed = false;       // the failure was reported (by connect() or SO_ERROR)
  bool error_read_by_so_error = false;
  bool aborted_reported = false;     // T14: ECONNABORTED once, then a new attempt (Linux)
  bool spent = false;                // T14: BSD, the attempt failed and the socket answers ECONNREFUSED
  std::vector<ConnectCall*> connect_waiters;  // tasks blocked in connect() on this socket
  std::vector<TaskId> accept_waiters;         // tasks blocked in accept()
};

SocketApi::SocketApi(tcp::TcpLayer& tcp, TaskRunner& tasks, PersonalityId personality, SocketApiOptions options)
    : tcp_{tcp},
      tasks_{tasks},
      personality_{Personality::get(personality)},
      semantics_{ConnectSemantics::get(personality)},
      options_{options} {}

SocketApi::~SocketApi() {
  for (Socket* socket : table_) {
    if (socket == nullptr) continue;
    if (socket->listener != nullptr) tcp_.close(*socket->listener);
    drop_connection(*socket);
    delete socket;
  }
}

// --- results ------------------------------------------------------------------

std::string CallResult::describe() const {
  if (!error) return std::to_string(value);
  if (!code) return std::to_string(value) + " " + std::string{posix_name(*error)};
  FailedReturn r;
  r.value = value;
  r.code = code;
  r.convention = convention;
  return r.describe();
}

std::string CallResult::explain() const {
  std::string text = describe();
  if (error) text += ": " + std::string{meaning(*error)};
  text += ". " + std::string{rule};
  if (cause) text += "; caused by " + std::string{cause->kind} + " \"" + std::string{cause->what} + "\"";
  text += " (" + std::string{to_string(provenance)} + ")";
  return text;
}

CallResult SocketApi::success(int value, std::string_view rule, Provenance p) const {
  CallResult r;
  r.value = value;
  r.rule = rule;
  r.provenance = p;
  r.convention = personality_.convention();
  return r;
}

CallResult SocketApi::failure(Errc e, std::string_view rule, std::optional<Provenance> p) const {
  const FailedReturn spelled = personality_.failure(e);
  CallResult r;
  r.value = spelled.value;
  r.error = e;
  r.code = spelled.code;
  r.rule = rule;
  // Unless the caller says where it comes from: measured on Linux, a
  // stand-in (assumed) on the other systems.
  r.provenance = p.value_or(personality_.id() == PersonalityId::Linux ? Provenance::Measured : Provenance::Assumed);
  r.convention = personality_.convention();
  return r;
}

CallResult SocketApi::connection_failure(const Ruled& ruled, const Connection& c) const {
  CallResult r = failure(ruled);
  r.cause = cause_of(c);
  return r;
}

CallResult SocketApi::traced(std::string_view call, int fd, CallResult r) const {
  if (options_.tracer.active()) {
    const std::string result = r.describe();
    const std::int64_t cause =
        r.cause && r.cause->trace_event ? static_cast<std::int64_t>(*r.cause->trace_event) : -1;
    options_.tracer.emit(Layer::Socket, SocketCall{call, fd, result, r.rule, cause});
  }
  return r;
}

// --- descriptors --------------------------------------------------------------

SocketApi::Socket* SocketApi::find(int fd) {
  if (fd < 0 || static_cast<std::size_t>(fd) >= table_.size()) return nullptr;
  return table_[static_cast<std::size_t>(fd)];
}
const SocketApi::Socket* SocketApi::find(int fd) const {
  if (fd < 0 || static_cast<std::size_t>(fd) >= table_.size()) return nullptr;
  return table_[static_cast<std::size_t>(fd)];
}

CallResult SocketApi::socket(int domain, int type, int protocol) {
  if (!initialised_ && semantics_.not_initialised) return traced("socket", -1, failure(*semantics_.not_initialised));
  if (domain != af_inet) return traced("socket", -1, failure(Errc::FamilyNotSupported, "socket(): only AF_INET"));
  if (type != sock_stream) {
    return traced("socket", -1,
                  failure(Errc::NotSupported, "socket(): SOCK_DGRAM sockets come with the UDP part of the API",
                          Provenance::Assumed));
  }
  if (protocol != 0 && protocol != ip_protocol_tcp) {
    return traced("socket", -1, failure(Errc::ProtocolNotAvailable, "socket(): SOCK_STREAM is TCP (6)"));
  }
  if (table_.size() < first_descriptor) table_.resize(first_descriptor, nullptr);
  std::size_t fd = first_descriptor;
  while (fd < table_.size() && table_[fd] != nullptr) ++fd;  // the lowest free descriptor, as POSIX requires
  if (fd == table_.size()) table_.push_back(nullptr);
  table_[fd] = new Socket{tasks_};
  return traced("socket", static_cast<int>(fd), success(static_cast<int>(fd), "socket(): the lowest unused descriptor"));
}

CallResult SocketApi::set_nonblocking(int fd, bool on) {
  Socket* s = find(fd);
  if (s == nullptr) return failure(semantics_.bad_descriptor);
  s->nonblocking = on;
  if (semantics_.nonblocking_is_zero_block_time) s->receive_timeout = on ? std::optional{milliseconds{0}} : std::nullopt;
  return success(0, semantics_.nonblocking_is_zero_block_time ? "FREERTOS_SO_RCVTIMEO: a block time of 0"
                                                               : "fcntl(F_SETFL, O_NONBLOCK)");
}

CallResult SocketApi::close(int fd) {
  Socket* s = find(fd);
  if (s == nullptr) return traced("close", fd, failure(semantics_.bad_descriptor));
  wake_all(*s);  // blocked callers find the descriptor gone
  if (s->listener != nullptr) tcp_.close(*s->listener);
  drop_connection(*s);
  delete s;
  table_[static_cast<std::size_t>(fd)] = nullptr;
  return traced("close", fd, success(0, "close()"));
}

void SocketApi::wake_all(Socket& s) {
  for (const ConnectCall* call : s.connect_waiters) tasks_.wake(call->task_);
  for (const TaskId task : s.accept_waiters) tasks_.wake(task);
  s.connect_waiters.clear();
  s.accept_waiters.clear();
}

void SocketApi::drop_connection(Socket& s) {
  if (s.connection == nullptr) return;
  s.connection->set_observer(nullptr);
  s.connection->close();  // an orderly close; in SYN-SENT the attempt just ends (RFC 9293 3.10.4)
  tcp_.release(*s.connection);
  s.connection = nullptr;
  s.connect_reported = s.error_consumed = s.error_read_by_so_error = s.aborted_reported = false;
}

// --- addresses ----------------------------------------------------------------

CallResult SocketApi::bind(int fd, Endpoint local) {
  Socket* s = find(fd);
  if (s == nullptr) return traced("bind", fd, failure(semantics_.bad_descriptor));
  if (s->bound || s->connection != nullptr) {
    return traced("bind", fd, failure(Errc::InvalidArgument, "bind(): the socket is already bound"));
  }
  if (local.address != Ipv4Address{} && !tcp_.is_local_address(local.address)) {
    return traced("bind", fd, failure(Errc::AddressNotAvailable, "bind(): the address is not one of this host's"));
  }
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
      found = std::none_of(table_.begin(), table_.end(),
                           [&](const Socket* o) { return o != nullptr && o->bound && overlaps(*o->bound); });
    }
    if (!found) {
      return traced("bind", fd, failure(Errc::AddressInUse, "T26: bind() to port 0 found no free ephemeral port"));
    }
  } else {
    for (const Socket* other : table_) {
      if (other == nullptr || other == s || !other->bound || !overlaps(*other->bound)) continue;
      // SO_REUSEADDR on both lets them share the port unless one listens.
      if (s->reuse_address && other->reuse_address && other->listener == nullptr) continue;
      return traced("bind", fd, failure(Errc::AddressInUse, "T25: another socket is bound to this address and port"));
    }
  }
  s->bound = local;
  return traced("bind", fd, success(0, "bind()"));
}

CallResult SocketApi::getsockname(int fd, Endpoint& out) const {
  const Socket* s = find(fd);
  if (s == nullptr) return failure(semantics_.bad_descriptor);
  out = s->connection != nullptr ? s->connection->tuple().local : s->bound.value_or(Endpoint{});
  return success(0, "T32: getsockname(): the local address and port, 0.0.0.0:0 before any bind");
}

CallResult SocketApi::getpeername(int fd, Endpoint& out) const {
  const Socket* s = find(fd);
  if (s == nullptr) return failure(semantics_.bad_descriptor);
  if (s->connection == nullptr || s->connection->state() == State::Closed || handshake_pending(s->connection->state())) {
    return failure(Errc::NotConnected, "getpeername(): not connected");
  }
  out = s->connection->tuple().remote;
  return success(0, "getpeername()");
}

// --- options ------------------------------------------------------------------

CallResult SocketApi::setsockopt(int fd, SocketOption option, int value) {
  Socket* s = find(fd);
  if (s == nullptr) return traced("setsockopt", fd, failure(semantics_.bad_descriptor));
  const auto invalid = [&] { return traced("setsockopt", fd, failure(Errc::InvalidArgument, "setsockopt(): value out of range")); };
  const auto unknown = [&] {
    return traced("setsockopt", fd, failure(Errc::ProtocolNotAvailable, "setsockopt(): this system has no such option"));
  };
  const tcp::SynPolicy policy = connection_config(*s).syn;
  const bool freertos = semantics_.tick_rate_hz > 0;
  switch (option) {
    case SocketOption::ReuseAddress: s->reuse_address = value != 0; break;
    case SocketOption::Broadcast: s->broadcast = value != 0; break;
    case SocketOption::NoDelay:
      s->nodelay = value != 0;
      if (s->connection != nullptr) s->connection->set_nodelay(s->nodelay);
      break;
    case SocketOption::ReceiveTimeout:
    case SocketOption::SendTimeout: {
      if (value < 0) return invalid();
      auto& field = option == SocketOption::ReceiveTimeout ? s->receive_timeout : s->send_timeout;
      field = value == 0 && !freertos ? std::nullopt : std::optional{milliseconds{value}};
      if (freertos && option == SocketOption::ReceiveTimeout) s->nonblocking = value == 0;  // its block time
      break;
    }
    case SocketOption::FreeRtosReceiveTimeout:
    case SocketOption::FreeRtosSendTimeout: {
      if (!freertos) return unknown();
      if (value < 0) return invalid();
      const milliseconds block{static_cast<std::int64_t>(value) * 1000 / semantics_.tick_rate_hz};
      (option == SocketOption::FreeRtosReceiveTimeout ? s->receive_timeout : s->send_timeout) = block;
      if (option == SocketOption::FreeRtosReceiveTimeout) s->nonblocking = value == 0;
      break;
    }
    case SocketOption::SynCount:
      if (!policy.honours_tcp_syncnt) return unknown();
      if (value < 1 || value > 127) return invalid();
      s->syn_overrides.tcp_syncnt = value;
      break;
    case SocketOption::UserTimeout:
      if (!policy.honours_tcp_user_timeout) return unknown();
      if (value < 0) return invalid();
      s->syn_overrides.tcp_user_timeout = value == 0 ? std::nullopt : std::optional{milliseconds{value}};
      break;
    case SocketOption::Error: return unknown();  // read only (Linux: ENOPROTOOPT)
  }
  return traced("setsockopt", fd, success(0, to_string(option)));
}

CallResult SocketApi::getsockopt(int fd, SocketOption option) {
  if (option == SocketOption::Error) return so_error(fd);
  Socket* s = find(fd);
  if (s == nullptr) return failure(semantics_.bad_descriptor);
  const auto in_ms = [](const std::optional<milliseconds>& t) { return t ? static_cast<int>(t->count()) : 0; };
  switch (option) {
    case SocketOption::ReuseAddress: return success(s->reuse_address ? 1 : 0, "SO_REUSEADDR");
    case SocketOption::Broadcast: return success(s->broadcast ? 1 : 0, "SO_BROADCAST");
    case SocketOption::NoDelay: return success(s->nodelay ? 1 : 0, "TCP_NODELAY");
    case SocketOption::ReceiveTimeout: return success(in_ms(s->receive_timeout), "SO_RCVTIMEO");
    case SocketOption::SendTimeout: return success(in_ms(s->send_timeout), "SO_SNDTIMEO");
    case SocketOption::SynCount:
      return success(s->syn_overrides.tcp_syncnt.value_or(connection_config(*s).syn.syn_retries), "TCP_SYNCNT");
    case SocketOption::UserTimeout: return success(in_ms(s->syn_overrides.tcp_user_timeout), "TCP_USER_TIMEOUT");
    case SocketOption::FreeRtosReceiveTimeout:
    case SocketOption::FreeRtosSendTimeout:
    case SocketOption::Error: break;
  }
  return failure(Errc::ProtocolNotAvailable, "getsockopt(): not readable on this system");
}

CallResult SocketApi::so_error(int fd) {
  Socket* s = find(fd);
  if (s == nullptr) return traced("getsockopt", fd, failure(semantics_.bad_descriptor));
  if (!semantics_.has_so_error) {
    return traced("getsockopt", fd,
                  failure(Errc::ProtocolNotAvailable,
                          "T13: FreeRTOS+TCP has no getsockopt(); FreeRTOS_connstatus() tells whether it connected",
                          Provenance::DerivedFromSource));
  }
  CallResult r = success(0, "T13: SO_ERROR is 0: no error pending");
  if (!failed(*s) || s->error_consumed) return traced("getsockopt", fd, r);
  const std::optional<Ruled> e = semantics_.connection_error(s->connection->outcome(), s->connection->soft_error());
  s->error_consumed = true;
  s->error_read_by_so_error = true;
  const auto code = personality_.code(e->error);
  r.value = code && code->number ? *code->number : 0;
  r.code = code;
  r.provenance = e->provenance;
  r.rule = "T13: SO_ERROR returns the connection's error once, then 0";
  r.cause = cause_of(*s->connection);
  return traced("getsockopt", fd, r);
}

bool SocketApi::failed(const Socket& s) const {
  const Connection* c = s.connection;
  return c != nullptr && c->state() == State::Closed && semantics_.connection_error(c->outcome(), c->soft_error());
}

// --- readiness ----------------------------------------------------------------

short SocketApi::poll(int fd) const {
  const Socket* s = find(fd);
  if (s == nullptr) return pollnval;
  if (s->listener != nullptr) return s->listener->pending() > 0 ? pollin : 0;
  if (s->connection == nullptr) return pollout | pollhup;  // an unconnected stream socket (Linux)
  const Connection& c = *s->connection;
  if (handshake_pending(c.state())) return 0;
  if (connected_or_done(c)) return static_cast<short>(pollout | (c.readable() > 0 ? pollin : 0));
  // T13 (Linux, measured): POLLOUT|POLLERR|POLLHUP until SO_ERROR is read;
  // Winsock's WSAPoll reports POLLERR|POLLHUP too (Windows 10 2004 on).
  // BSD-derived stacks are only writable and hung up (assumed).
  const bool error_flag = personality_.id() == PersonalityId::Linux ? !s->error_consumed
                                                                     : personality_.id() == PersonalityId::Winsock;
  return static_cast<short>(pollout | pollhup | (failed(*s) && error_flag ? pollerr : 0));
}

SocketApi::SelectSets SocketApi::select(int fd) const {
  const Socket* s = find(fd);
  if (s == nullptr) return {};
  if (s->listener != nullptr) return {s->listener->pending() > 0, false, false};
  if (s->connection == nullptr) return {false, true, false};
  const Connection& c = *s->connection;
  if (handshake_pending(c.state())) return {};
  if (connected_or_done(c)) return {c.readable() > 0 || c.peer_finished(), true, false};
  // A failed connect: POSIX marks it readable and writable (the error is
  // read with SO_ERROR); Winsock puts it in the except set [S4]; FreeRTOS+TCP
  // reports eSELECT_EXCEPT for a closed socket (connect-source.md 1b).
  if (personality_.id() == PersonalityId::Winsock || personality_.id() == PersonalityId::FreeRtos) {
    return {false, false, true};
  }
  return {true, true, false};
}

// --- listen and accept --------------------------------------------------------

CallResult SocketApi::listen(int fd, int backlog) {
  Socket* s = find(fd);
  if (s == nullptr) return traced("listen", fd, failure(semantics_.bad_descriptor));
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
  return traced("listen", fd, success(0, "listen()"));
}

bool SocketApi::AcceptCall::await_ready() {
  Socket* s = api_.find(fd_);
  if (s == nullptr) {
    result_ = api_.failure(api_.semantics_.bad_descriptor);
  } else if (s->listener == nullptr) {
    result_ = api_.failure(Errc::InvalidArgument, "accept(): the socket is not listening");
  } else if (s->listener->pending() == 0 && s->nonblocking) {
    result_ = api_.failure(api_.semantics_.first_nonblocking.error == Errc::WouldBlock ? Errc::WouldBlock : Errc::TryAgain,
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
  const CallResult made = api_.socket(af_inet, sock_stream);
  Socket* accepted = api_.find(made.value);
  accepted->connection = c;
  accepted->connect_reported = true;
  accepted->bound = c->tuple().local;
  c->set_observer(accepted);
  if (peer_ != nullptr) *peer_ = c->tuple().remote;
  return api_.traced("accept", fd_, api_.success(made.value, "accept(): a connection from the accept queue"));
}

// --- signals ------------------------------------------------------------------

bool SocketApi::signal(int fd, bool sa_restart) {
  if (semantics_.signals == SignalEffect::NotApplicable) return false;
  Socket* s = find(fd);
  if (s == nullptr) return true;
  for (ConnectCall* call : s->connect_waiters) {
    // Linux restarts a connect() under SA_RESTART, unless SO_SNDTIMEO bounds
    // it (T29, measured); FreeBSD turns ERESTART into EINTR (2a).
    const bool restarts = sa_restart && semantics_.signals == SignalEffect::InterruptsUnlessRestart && !s->send_timeout;
    if (restarts) continue;
    call->interrupted_ = true;
    tasks_.wake(call->task_);
  }
  return true;
}

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
    drop_connection(*s);
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
        const std::optional<Ruled> e = semantics_.connection_error(c.outcome(), c.soft_error());
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
  if (verdict.action == ArgumentVerdict::Action::ConnectToPreviousPeer) {
    return failure(Errc::NotConnected,
                   "T18: FreeRTOS+TCP ignores an unknown family and sends the SYN to the previous peer, 0.0.0.0 on a "
                   "fresh socket, which never answers: -ENOTCONN after its SYNs (reported at once here)",
                   Provenance::Assumed);
  }
  const std::optional<Endpoint> local = s.bound;
  const auto connected = tcp_.connect(verdict.destination, local, connection_config(s));
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
    return success(0, "T01: the handshake completed");
  }
  s->error_consumed = true;
  if (semantics_.after_failure == AfterFailure::StickyRefused) s->spent = true;
  return connection_failure(*semantics_.connection_error(c->outcome(), c->soft_error()), *c);
}

}  // namespace netstep::socket
