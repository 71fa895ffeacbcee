#pragma once
// The kernel probes' call sequences (linux-probes/src/cm_*.c), made on a
// Lab through netstep's socket API, with the same call names, so that the
// two runs can be laid side by side call by call.
#include <optional>
#include <string>
#include <vector>

#include "netstep_lab.hpp"
#include "probe_record.hpp"
#include "socket/connect_arguments.hpp"

namespace netstep::interop {

// cm_connect's options that netstep's socket API has (IP_TTL, SO_REUSEADDR,
// SO_BROADCAST, bind and UDP are not used by the runs compared with it).
struct ConnectOptions {
  std::optional<int> send_timeout_ms;     // -s: SO_SNDTIMEO
  std::optional<int> receive_timeout_ms;  // -r: SO_RCVTIMEO
  std::optional<int> syn_count;           // -c: TCP_SYNCNT
  std::optional<int> user_timeout_ms;     // -U: TCP_USER_TIMEOUT
  struct Alarm {
    int after_ms = 0;
    bool sa_restart = false;  // -I (with SA_RESTART) rather than -i
  };
  std::optional<Alarm> alarm;             // -i / -I: SIGALRM during connect#1
  bool follow_up = false;                 // -a
  bool nonblocking_follow_up = false;     // -N
  int poll_limit_seconds = 300;           // -w
};

// cm_connect: socket(), the options, a blocking connect#1, then either
// getsockopt(SO_ERROR)after#1, or (-a, if connect#1 said EINPROGRESS, EINTR
// or EALREADY) connect#2, poll if that is still pending, SO_ERROR twice and
// connect#3(nonblock). The run's wire: the SYNs and ARP requests towards
// `destination`.
[[nodiscard]] ProbeRun connect_probe(Lab& lab, const RunKey& key, Endpoint destination,
                                     const ConnectOptions& options = {});

enum class NonblockMode { SoError, Reconnect };  // cm_nonblock -m soerror | reconnect

// cm_nonblock: connect#1, connect#2(immediate), poll(POLLOUT), then per
// mode SO_ERROR and connect#3..#5, and if a new attempt is under way a
// second poll, SO_ERROR(final) and connect#6.
//
// A call made right after the one that started an attempt races the
// network on the kernel (connect-matrix.md T10: EALREADY, or the outcome
// if the answer was quicker than the next system call). Netstep's cables are
// not the kernel's veth pairs, so it cannot lose or win that race the same
// way by itself: it replays the order the kernel saw, as `kernel`'s call of
// the same name shows it (anything but EALREADY: the answer came first).
[[nodiscard]] ProbeRun nonblocking_probe(Lab& lab, const RunKey& key, Endpoint destination, NonblockMode mode,
                                         int poll_limit_seconds, const ProbeRun* kernel);

// One cm_args call: connect() on a fresh TCP socket (with SO_BROADCAST
// set, if asked), on a listening one, or on a descriptor that is not open
// (-1, or 1000 after close(1000)).
struct ArgumentCase {
  enum class Descriptor { FreshSocket, ListeningSocket, MinusOne, ClosedNumber1000 };
  Descriptor descriptor = Descriptor::FreshSocket;
  socket::ConnectArguments arguments;
  bool broadcast_option = false;
};
[[nodiscard]] ProbeRun argument_probe(Lab& lab, const RunKey& key, const ArgumentCase& c);

// cm_ephemeral's TCP part: blocking connects to `first_listener` from new
// sockets until one fails (at most 200), then one to `other_listener`, then
// bind(127.0.0.1:0) on a new socket.
[[nodiscard]] std::vector<ProbeRun> ephemeral_probe(Lab& lab, Endpoint first_listener, Endpoint other_listener);

// cm_addrinuse's first part, on the client's loopback: two listeners, then
// sockets bound with SO_REUSEADDR to one local port, connecting to the same
// peer and to another; a bind without SO_REUSEADDR; a wildcard twin.
// `occurrence`: which run of the probe (run-all.sh runs it twice).
[[nodiscard]] std::vector<ProbeRun> address_in_use_probe(Lab& lab, int occurrence);

}  // namespace netstep::interop
