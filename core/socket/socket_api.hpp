#pragma once
// SocketApi: the BSD calls over one host's TCP, as one personality answers
// them. This first part covers TCP connect() end to end (blocking in a
// Task, or non-blocking with poll() and SO_ERROR), socket() and close();
// listen/accept, data and UDP come next.
//
// Every call returns a CallResult: the value the call returns in the
// personality's convention, the canonical error and its spelling, and the
// rule that decided it (a matrix row, a manual).
//
// Lifetime: made after, and destroyed before, the TCP layer and the task
// runner it is given. Several tasks may block in connect() on one socket:
// the handshake's outcome wakes them all.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event/task.hpp"
#include "socket/connect_arguments.hpp"
#include "socket/errc.hpp"
#include "socket/personality.hpp"
#include "tcp/tcp_layer.hpp"

namespace netstep::socket {

inline constexpr int sock_stream = 1;
inline constexpr int sock_dgram = 2;

// poll() events (Linux's values).
inline constexpr short pollin = 0x001;
inline constexpr short pollout = 0x004;
inline constexpr short pollerr = 0x008;
inline constexpr short pollhup = 0x010;

struct CallResult {
  int value = 0;                   // what the call returns, in the personality's convention
  std::optional<Errc> error;       // nullopt: success
  std::optional<ErrorCode> code;   // the personality's spelling of `error`
  std::string_view rule;           // what decided it
  Provenance provenance = Provenance::Measured;
  ReturnConvention convention = ReturnConvention::MinusOneAndErrno;
  [[nodiscard]] bool ok() const { return !error; }
  // "0" or "-1, errno ECONNREFUSED (111)": as the personality shows it.
  [[nodiscard]] std::string describe() const;
};

class SocketApi {
 public:
  // Today only the linux personality's semantics are modelled (the numbering
  // of every personality is in personality.hpp): others throw.
  SocketApi(tcp::TcpLayer& tcp, TaskRunner& tasks, PersonalityId personality = PersonalityId::Linux);
  SocketApi(const SocketApi&) = delete;
  SocketApi& operator=(const SocketApi&) = delete;
  ~SocketApi();

  CallResult socket(int domain, int type, int protocol = 0);
  // fcntl(fd, F_SETFL, O_NONBLOCK) and back.
  CallResult set_nonblocking(int fd, bool on);
  // getsockopt(fd, SOL_SOCKET, SO_ERROR): `value` is the pending error's
  // number (0 if none), which reading clears.
  CallResult so_error(int fd);
  // poll() for POLLIN|POLLOUT: the events that hold now.
  [[nodiscard]] short poll(int fd) const;
  CallResult close(int fd);

  // connect(): `co_await api.connect(fd, args)` inside a Task. A
  // non-blocking socket never suspends; a blocking one suspends until the
  // handshake has an outcome.
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
  };
  [[nodiscard]] ConnectCall connect(int fd, const ConnectArguments& arguments) { return {*this, fd, arguments}; }

  [[nodiscard]] const Personality& personality() const { return personality_; }

 private:
  struct Socket;
  class Watch;
  Socket* find(int fd);
  [[nodiscard]] const Socket* find(int fd) const;
  CallResult success(int value, std::string_view rule) const;
  CallResult failure(Errc e, std::string_view rule, Provenance p = Provenance::Measured) const;
  // The first part of connect(): returns a result, or nullopt when a
  // blocking call must wait for the handshake.
  std::optional<CallResult> start_connect(int fd, const ConnectArguments& arguments);
  CallResult finish_connect(int fd);
  void drop_connection(Socket& socket);

  tcp::TcpLayer& tcp_;
  TaskRunner& tasks_;
  const Personality& personality_;
  std::vector<Socket*> table_;  // index = descriptor; 0-2 stay empty (stdin, stdout, stderr)
};

}  // namespace netstep::socket
