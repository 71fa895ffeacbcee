#include "socket/socket_api.hpp"

#include <algorithm>

#include "socket/socket_state.hpp"

namespace netstep::socket {

using tcp::Connection;
using tcp::State;

namespace {
constexpr std::uint8_t ip_protocol_tcp = 6;
constexpr std::uint8_t ip_protocol_udp = 17;
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
    case SocketOption::ReceiveErrors: return "IP_RECVERR";
  }
  return "?";
}

SocketApi::SocketApi(tcp::TcpLayer& tcp, udp::UdpLayer& udp, TaskRunner& tasks, PersonalityId personality,
                     SocketApiOptions options)
    : tcp_{tcp},
      udp_{udp},
      tasks_{tasks},
      personality_{Personality::get(personality)},
      semantics_{ConnectSemantics::get(personality)},
      datagrams_{DatagramSemantics::get(personality)},
      transfers_{TransferSemantics::get(personality)},
      options_{options} {
  // T32: the host's TCP and UDP pick ephemeral ports from this system's
  // range (one range for both on each of them: Linux's ip_local_port_range,
  // FreeBSD's portrange sysctls, Windows' dynamic port range, FreeRTOS+TCP's
  // socketAUTO_PORT_ALLOCATION_START_NUMBER).
  if (semantics_.ephemeral_range) {
    tcp_.set_ephemeral_range(*semantics_.ephemeral_range);
    udp_.set_ephemeral_range(*semantics_.ephemeral_range);
  }
  // T08: and its interfaces resolve addresses at this system's pace.
  if (semantics_.arp) {
    Ipv4Layer& ip = tcp_.ip();
    for (std::size_t i = 0; i < ip.interface_count(); ++i) {
      ip.interface(static_cast<std::uint32_t>(i)).neighbours().set_config(*semantics_.arp);
    }
  }
}

SocketApi::~SocketApi() {
  tasks_.loop().cancel(progress_event_);
  for (Socket* socket : table_) {
    if (socket == nullptr) continue;
    if (socket->listener != nullptr) tcp_.close(*socket->listener);
    drop_connection(*socket);
    if (socket->pcb != nullptr) udp_.release(*socket->pcb);
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

CallResult SocketApi::success(int value, std::string_view rule, std::optional<Provenance> p) const {
  CallResult r;
  r.value = value;
  r.rule = rule;
  r.provenance = p.value_or(personality_.id() == PersonalityId::Linux ? Provenance::Measured : Provenance::Assumed);
  r.convention = personality_.convention();
  return r;
}

CallResult SocketApi::documented_success(int value, std::string_view rule) const {
  return success(value, rule, personality_.id() == PersonalityId::Linux ? Provenance::Measured : Provenance::Documented);
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
  if (type != sock_stream && type != sock_dgram) {
    return traced("socket", -1, failure(Errc::NotSupported, "socket(): SOCK_STREAM or SOCK_DGRAM only", Provenance::Assumed));
  }
  const std::uint8_t expected = type == sock_stream ? ip_protocol_tcp : ip_protocol_udp;
  if (protocol != 0 && protocol != expected) {
    return traced("socket", -1,
                  failure(Errc::ProtocolNotAvailable, "socket(): SOCK_STREAM is TCP (6), SOCK_DGRAM is UDP (17)"));
  }
  const int fd = new_descriptor(type);
  return traced("socket", fd, documented_success(fd, "socket(): the lowest unused descriptor"));
}

int SocketApi::new_descriptor(int type) {
  if (table_.size() < first_descriptor) table_.resize(first_descriptor, nullptr);
  std::size_t fd = first_descriptor;
  while (fd < table_.size() && table_[fd] != nullptr) ++fd;  // the lowest free descriptor, as POSIX requires
  if (fd == table_.size()) table_.push_back(nullptr);
  table_[fd] = new Socket{*this, type};
  return static_cast<int>(fd);
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
  for (TransferCall* call : s->transfer_waiters) call->socket_closed_ = true;
  wake_all(*s);  // blocked callers find the descriptor gone
  if (s->listener != nullptr) tcp_.close(*s->listener);
  drop_connection(*s);
  if (s->pcb != nullptr) udp_.release(*s->pcb);
  std::erase(progress_due_, s);
  delete s;
  table_[static_cast<std::size_t>(fd)] = nullptr;
  return traced("close", fd, documented_success(0, "close()"));
}

void SocketApi::wake_all(Socket& s) {
  for (const ConnectCall* call : s.connect_waiters) tasks_.wake(call->task_);
  for (const TaskId task : s.accept_waiters) tasks_.wake(task);
  for (const TransferCall* call : s.transfer_waiters) tasks_.wake(call->task_);
  s.connect_waiters.clear();
  s.accept_waiters.clear();
  s.transfer_waiters.clear();
}

void SocketApi::drop_connection(Socket& s) {
  if (s.connection == nullptr) return;
  s.connection->set_observer(nullptr);
  if (transfers_.close_with_unread_data_resets && s.connection->readable() > 0) {
    s.connection->abort();  // RST: the peer must not think its data arrived (RFC 2525 2.17)
  } else {
    s.connection->close();  // an orderly close; in SYN-SENT the attempt just ends (RFC 9293 3.10.4)
  }
  tcp_.release(*s.connection);
  s.connection = nullptr;
  s.connect_reported = s.error_consumed = s.error_read_by_so_error = s.aborted_reported = false;
}

// --- addresses ----------------------------------------------------------------

std::optional<std::string_view> SocketApi::tcp_state(int fd) const {
  const Socket* s = find(fd);
  if (s == nullptr || !s->stream()) return std::nullopt;
  if (s->listener != nullptr) return "LISTEN";
  if (s->connection != nullptr) return tcp::to_string(s->connection->state());
  return "CLOSED";
}

CallResult SocketApi::getsockname(int fd, Endpoint& out) const {
  const Socket* s = find(fd);
  if (s == nullptr) return failure(semantics_.bad_descriptor);
  if (s->pcb != nullptr) {
    out = s->pcb->local();
  } else {
    out = s->connection != nullptr ? s->connection->tuple().local : s->bound.value_or(Endpoint{});
  }
  return success(0, "T32: getsockname(): the local address and port, 0.0.0.0:0 before any bind");
}

CallResult SocketApi::getpeername(int fd, Endpoint& out) const {
  const Socket* s = find(fd);
  if (s == nullptr) return failure(semantics_.bad_descriptor);
  if (!s->stream()) {
    // U04, U05, U12 (Linux, measured): a peer on port 0 is not a peer for getpeername().
    if (s->pcb == nullptr || !s->pcb->peer() || s->pcb->peer()->port.is_zero()) {
      return failure(Errc::NotConnected, "U04, U12: getpeername(): no peer (or a peer on port 0)");
    }
    out = *s->pcb->peer();
    return success(0, "getpeername(): the default peer");
  }
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
    case SocketOption::Broadcast:
      if (!s->stream() && datagrams_.broadcast_check == BroadcastCheck::Never) return unknown();
      s->broadcast = value != 0;
      if (s->pcb != nullptr) s->pcb->set_broadcast(s->broadcast);
      break;
    case SocketOption::ReceiveErrors:
      if (datagrams_.error_report != UdpErrorReport::LinuxHardOnConnected) return unknown();  // IP_RECVERR is Linux's
      s->receive_errors = value != 0;
      break;
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
  return traced("setsockopt", fd, documented_success(0, to_string(option)));
}

CallResult SocketApi::getsockopt(int fd, SocketOption option) {
  if (option == SocketOption::Error) return so_error(fd);
  Socket* s = find(fd);
  if (s == nullptr) return failure(semantics_.bad_descriptor);
  const auto in_ms = [](const std::optional<milliseconds>& t) { return t ? static_cast<int>(t->count()) : 0; };
  switch (option) {
    case SocketOption::ReuseAddress: return success(s->reuse_address ? 1 : 0, "SO_REUSEADDR");
    case SocketOption::Broadcast: return success(s->broadcast ? 1 : 0, "SO_BROADCAST");
    case SocketOption::ReceiveErrors: return success(s->receive_errors ? 1 : 0, "IP_RECVERR");
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
  if (!s->stream()) {
    CallResult r = take_udp_error(*s, /*for_receive=*/false);
    if (r.ok()) return traced("getsockopt", fd, success(0, "U10: SO_ERROR is 0: no error pending"));
    CallResult read = success(r.code && r.code->number ? *r.code->number : 0, "U10: SO_ERROR returns the ICMP error once, then 0");
    read.code = r.code;
    read.provenance = r.provenance;
    read.cause = r.cause;
    return traced("getsockopt", fd, read);
  }
  CallResult r = success(0, "T13: SO_ERROR is 0: no error pending");
  if (!failed(*s) || s->error_consumed) return traced("getsockopt", fd, r);
  const std::optional<Ruled> e = error_of(*s->connection);
  s->error_consumed = true;
  s->error_read_by_so_error = true;
  const auto code = personality_.code(e->error);
  r.value = code && code->number ? *code->number : 0;
  r.code = code;
  r.provenance = semantics_.so_error_provenance.value_or(e->provenance);
  r.rule = "T13: SO_ERROR returns the connection's error once, then 0";
  r.cause = cause_of(*s->connection);
  return traced("getsockopt", fd, r);
}

std::optional<Ruled> SocketApi::error_of(const Connection& c) const {
  const bool from_this_host = c.soft_error() && c.soft_error()->reporter == c.tuple().local.address;
  return semantics_.connection_error(c.outcome(), c.soft_error(), from_this_host);
}

bool SocketApi::failed(const Socket& s) const {
  const Connection* c = s.connection;
  return c != nullptr && c->state() == State::Closed && error_of(*c);
}

}  // namespace netstep::socket
