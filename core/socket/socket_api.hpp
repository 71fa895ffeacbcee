#pragma once
// SocketApi: the BSD calls over one host's TCP and UDP, as one personality
// answers them (linux, freebsd, winsock, freertos, targettcp): socket,
// bind, listen, accept, connect (blocking in a Task, or non-blocking with
// poll() and SO_ERROR), send/recv, sendto/recvfrom, shutdown, the socket
// options, getsockname/getpeername, poll/select, signals, close.
//
// Every call returns a CallResult: the value the call returns in the
// personality's convention, the canonical error and its spelling, the rule
// that decided it with its provenance, and, when something on the network
// or a timer decided, that cause and its trace event.
//
// What differs between the systems is data (ConnectSemantics,
// connect_semantics.hpp); this class applies it.
//
// Lifetime: made after, and destroyed before, the TCP and UDP layers and
// the task runner it is given. Several tasks may block in connect() on one
// socket: the handshake's outcome wakes them all. Tasks blocked in send()
// or recv() are served oldest first.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event/task.hpp"
#include "socket/connect_arguments.hpp"
#include "socket/connect_semantics.hpp"
#include "socket/errc.hpp"
#include "socket/personality.hpp"
#include "base/bytes.hpp"
#include "socket/datagram_semantics.hpp"
#include "socket/transfer_semantics.hpp"
#include "tcp/tcp_layer.hpp"
#include "trace/trace_bus.hpp"
#include "udp/udp_layer.hpp"

namespace netstep::socket {

inline constexpr int sock_stream = 1;
inline constexpr int sock_dgram = 2;

// poll() events (Linux's values).
inline constexpr short pollin = 0x001;
inline constexpr short pollout = 0x004;
inline constexpr short pollerr = 0x008;
inline constexpr short pollhup = 0x010;
inline constexpr short pollnval = 0x020;

// shutdown()'s `how`.
inline constexpr int shut_rd = 0;
inline constexpr int shut_wr = 1;
inline constexpr int shut_rdwr = 2;

// send()/recv() flags (Linux's values).
inline constexpr int msg_peek = 0x02;      // recv: leave the data queued
inline constexpr int msg_dontwait = 0x40;  // this call only: do not block

// What decided a call's result when it was not the arguments alone.
struct CallCause {
  std::string_view kind;  // "segment", "ICMP error", "timer", "signal", "application"
  std::string_view what;  // "rcv RST,ACK: connection refused", "FREERTOS_SO_RCVTIMEO block time ran out"
  Instant at{};
  std::optional<std::uint64_t> trace_event;  // the event to jump to, when a trace was recorded
};

struct CallResult {
  int value = 0;                   // what the call returns, in the personality's convention
  std::optional<Errc> error;       // nullopt: success
  std::optional<ErrorCode> code;   // the personality's spelling of `error`
  std::string_view rule;           // what decided it: the matrix row and the manual or source
  Provenance provenance = Provenance::Measured;
  ReturnConvention convention = ReturnConvention::MinusOneAndErrno;
  std::optional<CallCause> cause;  // the segment, ICMP error, timer or signal behind it
  [[nodiscard]] bool ok() const { return !error; }
  // "0" or "-1, errno ECONNREFUSED (111)": as the personality shows it.
  [[nodiscard]] std::string describe() const;
  // One sentence for the narrative: the return, what it means, why, and
  // where that comes from ("assumed" when no source says so).
  [[nodiscard]] std::string explain() const;
};

// Socket options the API understands (level and name in one).
enum class SocketOption : std::uint8_t {
  ReuseAddress,            // SO_REUSEADDR: 0 or 1
  Broadcast,               // SO_BROADCAST: 0 or 1
  ReceiveTimeout,          // SO_RCVTIMEO, in milliseconds (0: none)
  SendTimeout,             // SO_SNDTIMEO, in milliseconds (0: none)
  NoDelay,                 // TCP_NODELAY: 0 or 1
  SynCount,                // TCP_SYNCNT (Linux): 1..127
  UserTimeout,             // TCP_USER_TIMEOUT (Linux), in milliseconds (0: off)
  FreeRtosReceiveTimeout,  // FREERTOS_SO_RCVTIMEO, in ticks: also connect()'s block time
  FreeRtosSendTimeout,     // FREERTOS_SO_SNDTIMEO, in ticks
  ReceiveErrors,           // IP_RECVERR (Linux): every ICMP error reaches a UDP socket, connected or not
  Error,                   // SO_ERROR (read only; so_error() is the same read)
};
[[nodiscard]] std::string_view to_string(SocketOption o);

struct SocketApiOptions {
  Tracer tracer;                         // socket calls and their causes go here when a trace is recorded
  bool winsock_1_1_application = false;  // WSAEINVAL instead of WSAEALREADY (winsock)
  bool freertos_rst_wakes_connect = false;  // "patched": upstream PR #1355 (freertos)
};

class SocketApi {
 public:
  SocketApi(tcp::TcpLayer& tcp, udp::UdpLayer& udp, TaskRunner& tasks,
            PersonalityId personality = PersonalityId::Linux, SocketApiOptions options = {});
  SocketApi(const SocketApi&) = delete;
  SocketApi& operator=(const SocketApi&) = delete;
  ~SocketApi();

  CallResult socket(int domain, int type, int protocol = 0);
  CallResult bind(int fd, Endpoint local);
  CallResult listen(int fd, int backlog);
  // fcntl(fd, F_SETFL, O_NONBLOCK) and back (FreeRTOS+TCP: a block time of 0).
  CallResult set_nonblocking(int fd, bool on);
  CallResult setsockopt(int fd, SocketOption option, int value);
  CallResult getsockopt(int fd, SocketOption option);
  // getsockopt(fd, SOL_SOCKET, SO_ERROR): `value` is the pending error's
  // number (0 if none), which reading clears.
  CallResult so_error(int fd);
  CallResult getsockname(int fd, Endpoint& out) const;
  // The TCP state of a stream socket, as `ss` shows it (RFC 9293 names:
  // LISTEN for a listener, CLOSED before connect() or after a failure);
  // nullopt for a descriptor that is not an open stream socket.
  [[nodiscard]] std::optional<std::string_view> tcp_state(int fd) const;
  CallResult getpeername(int fd, Endpoint& out) const;
  // poll() for POLLIN|POLLOUT: the events that hold now (POLLNVAL for a
  // descriptor that is not open).
  [[nodiscard]] short poll(int fd) const;
  // select(): which of the three sets the descriptor is in. A failed
  // connect is writable on POSIX systems and in the except set on Winsock.
  struct SelectSets {
    bool readable = false;
    bool writable = false;
    bool exceptional = false;
  };
  [[nodiscard]] SelectSets select(int fd) const;

  // poll() with a timeout, in a Task: `co_await api.readiness_change(deadline)`
  // suspends until something a protocol layer reports on any of this API's
  // sockets may have changed what poll() says (a segment, an ICMP error, a
  // timer that ended a connection, a queued connection, a datagram), or
  // until `deadline` (nullopt: no deadline), whichever comes first. The
  // waiter then asks poll() again: a change may leave the events as they
  // were. Woken from a loop event, never from inside a layer.
  class ReadinessWait {
   public:
    [[nodiscard]] bool await_ready() const noexcept { return false; }
    void await_suspend(Task::Handle task);
    void await_resume();

   private:
    friend class SocketApi;
    ReadinessWait(SocketApi& api, std::optional<Instant> deadline) : api_{api}, deadline_{deadline} {}
    SocketApi& api_;
    std::optional<Instant> deadline_;
    TaskId task_{};
  };
  [[nodiscard]] ReadinessWait readiness_change(std::optional<Instant> deadline) { return {*this, deadline}; }
  CallResult close(int fd);
  // shutdown(fd, SHUT_RD / SHUT_WR / SHUT_RDWR). SHUT_WR on a connection
  // sends a FIN after the queued data.
  CallResult shutdown(int fd, int how);

  // A signal arrives for the tasks blocked in connect(), send() or recv() on `fd`, its handler
  // installed with or without SA_RESTART (T29). Returns false if the
  // personality has no signals.
  bool signal(int fd, bool sa_restart);
  // T31: WSAStartup not called yet / TargetTCP not initialised.
  void set_initialised(bool initialised) { initialised_ = initialised; }

  // connect(): `co_await api.connect(fd, args)` inside a Task. A
  // non-blocking socket never suspends; a blocking one suspends until the
  // handshake has an outcome, a timeout option bounds the call, or a signal.
  class ConnectCall {
   public:
    [[nodiscard]] bool await_ready();
    void await_suspend(Task::Handle task);
    [[nodiscard]] CallResult await_resume();

   private:
    friend class SocketApi;
    ConnectCall(SocketApi& api, int fd, ConnectArguments arguments) : api_{api}, fd_{fd}, arguments_{arguments} {}
    SocketApi& api_;
    int fd_;
    ConnectArguments arguments_;
    std::optional<CallResult> result_;
    TaskId task_{};
    std::optional<Instant> deadline_;  // the option that bounds the call runs out then
    bool interrupted_ = false;         // a signal ended the wait
    bool started_attempt_ = false;     // this call sent the first SYN (else it joined one under way)
  };
  [[nodiscard]] ConnectCall connect(int fd, const ConnectArguments& arguments) { return {*this, fd, arguments}; }

  // accept(): `co_await api.accept(fd, &peer)`; `value` is the new
  // descriptor. A non-blocking listener with nothing queued fails at once
  // (EAGAIN / WSAEWOULDBLOCK).
  class AcceptCall {
   public:
    [[nodiscard]] bool await_ready();
    void await_suspend(Task::Handle task);
    [[nodiscard]] CallResult await_resume();

   private:
    friend class SocketApi;
    AcceptCall(SocketApi& api, int fd, Endpoint* peer) : api_{api}, fd_{fd}, peer_{peer} {}
    SocketApi& api_;
    int fd_;
    Endpoint* peer_;
    std::optional<CallResult> result_;
  };
  [[nodiscard]] AcceptCall accept(int fd, Endpoint* peer = nullptr) { return {*this, fd, peer}; }

  // send(), sendto(), recv(), recvfrom(): `co_await api.send(fd, data)`.
  // The value is the number of bytes sent or received (0 from recv(): the
  // peer closed, or an empty datagram). A blocking TCP send() waits until
  // all of `data` is queued; a blocking recv() until something can be read.
  // SO_SNDTIMEO / SO_RCVTIMEO bound the wait; MSG_DONTWAIT makes one call
  // non-blocking. A datagram longer than the buffer is cut to it and the
  // rest is lost, as on every system here.
  class TransferCall {
   public:
    [[nodiscard]] bool await_ready();
    void await_suspend(Task::Handle task);
    [[nodiscard]] CallResult await_resume();

   private:
    friend class SocketApi;
    enum class Direction : std::uint8_t { Send, Receive };
    TransferCall(SocketApi& api, int fd, Direction direction, int flags)
        : api_{api}, fd_{fd}, direction_{direction}, flags_{flags} {}
    [[nodiscard]] std::string_view name() const;
    SocketApi& api_;
    int fd_;
    Direction direction_;
    int flags_;
    Bytes data_;                                // send: what to send
    MutableBytes buffer_;                       // recv: where to put it
    std::optional<ConnectArguments> address_;   // sendto: the destination
    Endpoint* from_ = nullptr;                  // recvfrom: the sender
    std::size_t done_ = 0;                      // send: bytes queued so far
    std::optional<CallResult> result_;
    TaskId task_{};
    bool interrupted_ = false;    // a signal ended the wait
    bool socket_closed_ = false;  // close() ended it (the descriptor may already name a new socket)
  };
  [[nodiscard]] TransferCall send(int fd, Bytes data, int flags = 0);
  [[nodiscard]] TransferCall sendto(int fd, Bytes data, const ConnectArguments& to, int flags = 0);
  [[nodiscard]] TransferCall sendto(int fd, Bytes data, Endpoint to, int flags = 0) {
    return sendto(fd, data, ConnectArguments{.destination = to}, flags);
  }
  [[nodiscard]] TransferCall recv(int fd, MutableBytes buffer, int flags = 0);
  [[nodiscard]] TransferCall recvfrom(int fd, MutableBytes buffer, Endpoint* from, int flags = 0);

  [[nodiscard]] const Personality& personality() const { return personality_; }
  [[nodiscard]] const ConnectSemantics& semantics() const { return semantics_; }
  [[nodiscard]] const DatagramSemantics& datagram_semantics() const { return datagrams_; }
  [[nodiscard]] const TransferSemantics& transfer_semantics() const { return transfers_; }

 private:
  struct Socket;
  Socket* find(int fd);
  [[nodiscard]] const Socket* find(int fd) const;
  // The lowest unused descriptor, now holding a new socket of `type`
  // (socket(), and accept() without tracing a socket() call of its own).
  int new_descriptor(int type);
  // Unless the caller says where it comes from: measured on Linux, assumed
  // elsewhere (a success no source describes is a stand-in too).
  CallResult success(int value, std::string_view rule, std::optional<Provenance> p = std::nullopt) const;
  // A success every system's manual documents (socket() returns a
  // descriptor, bind() 0, send() the bytes queued ...): measured on Linux,
  // documented elsewhere.
  CallResult documented_success(int value, std::string_view rule) const;
  CallResult failure(Errc e, std::string_view rule, std::optional<Provenance> p = std::nullopt) const;
  CallResult failure(const Ruled& r) const { return failure(r.error, r.rule, r.provenance); }
  CallResult connection_failure(const Ruled& r, const tcp::Connection& c) const;
  CallResult traced(std::string_view call, int fd, CallResult r) const;
  // The first part of connect(): returns a result, or nullopt when a
  // blocking call must wait.
  std::optional<CallResult> start_connect(int fd, const ConnectArguments& arguments, bool& started);
  std::optional<CallResult> start_attempt(Socket& s, const ArgumentVerdict& verdict);
  std::optional<CallResult> report_failed_attempt(Socket& s);
  // BSD: every connect() on a socket whose attempt failed (T14).
  [[nodiscard]] CallResult spent_socket_refusal() const;
  CallResult finish_connect(ConnectCall& call);
  [[nodiscard]] std::optional<Instant> blocking_deadline(const Socket& s) const;
  [[nodiscard]] tcp::TcpConfig connection_config(const Socket& s) const;
  [[nodiscard]] bool failed(const Socket& s) const;
  // The error a failed connection reports (ConnectSemantics::connection_error,
  // told whether the ICMP error kept was this host's own: a failed ARP).
  [[nodiscard]] std::optional<Ruled> error_of(const tcp::Connection& c) const;
  void drop_connection(Socket& socket);
  void wake_all(Socket& socket);
  // Something on a socket changed: every task in readiness_change() looks again.
  void readiness_may_have_changed();

  // bind() for each kind of socket (socket_bind.cpp).
  CallResult bind_stream(Socket& s, Endpoint local);
  CallResult bind_stream_as_itself(Socket& s, Endpoint local);  // each failure as its own errno
  CallResult bind_datagram(Socket& s, Endpoint local);
  // UDP connect(), which never waits (socket_datagram.cpp).
  CallResult connect_datagram(Socket& s, const ConnectArguments& arguments);
  void dissolve(Socket& s, bool release_auto_port);
  // The socket's PCB, made (bound to an ephemeral port) if it has none.
  CallResult ensure_pcb(Socket& s);
  [[nodiscard]] std::optional<Ruled> reportable_udp_error(const Socket& s, bool for_receive) const;
  CallResult take_udp_error(Socket& s, bool for_receive);
  [[nodiscard]] Errc would_block() const;

  // send() and recv(): a result, or nullopt when a blocking call must wait
  // (socket_transfer.cpp, socket_datagram.cpp). `final`: the wait is over
  // (timeout, signal): report what was done instead of waiting.
  std::optional<CallResult> try_transfer(TransferCall& call, bool final);
  std::optional<CallResult> stream_send(Socket& s, TransferCall& call, bool may_wait);
  std::optional<CallResult> stream_receive(Socket& s, TransferCall& call, bool may_wait);
  std::optional<CallResult> datagram_send(Socket& s, TransferCall& call);
  std::optional<CallResult> datagram_receive(Socket& s, TransferCall& call, bool may_wait);
  // A blocked call's wait ended without its condition (timeout, signal).
  CallResult transfer_cut_short(Socket& s, TransferCall& call);
  // A protocol layer said something changed on `s`: look at its blocked
  // send()/recv() calls from a zero-delay loop event.
  void schedule_progress(Socket& s);
  void make_progress();

  tcp::TcpLayer& tcp_;
  udp::UdpLayer& udp_;
  TaskRunner& tasks_;
  const Personality& personality_;
  const ConnectSemantics& semantics_;
  const DatagramSemantics& datagrams_;
  const TransferSemantics& transfers_;
  SocketApiOptions options_;
  std::vector<Socket*> progress_due_;  // sockets whose blocked transfers must be looked at again
  EventLoop::EventId progress_event_{};
  bool initialised_ = true;
  std::vector<TaskId> readiness_waiters_;  // tasks in readiness_change()
  std::vector<Socket*> table_;  // index = descriptor; 0-2 stay empty (stdin, stdout, stderr)
};

}  // namespace netstep::socket
