#pragma once
// The kernel probes' call sequences (linux-probes/src/cm_*.c), made on a
// Lab through netstep's socket API, with the same call names, so that the
// two runs can be laid side by side call by call.
#include <string>
#include <vector>

#include "netstep_lab.hpp"
#include "probe_record.hpp"
#include "socket/connect_arguments.hpp"

namespace netstep::interop {

// cm_connect without options: socket(), a blocking connect#1, then
// getsockopt(SO_ERROR)after#1. The run's wire: the SYNs and ARP requests
// towards `destination`.
[[nodiscard]] ProbeRun blocking_connect_probe(Lab& lab, const RunKey& key, Endpoint destination);

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

// One cm_args call: connect() on a fresh TCP socket, or on a descriptor
// that is not open (-1, or 1000 after close(1000)).
struct ArgumentCase {
  enum class Descriptor { FreshSocket, MinusOne, ClosedNumber1000 };
  Descriptor descriptor = Descriptor::FreshSocket;
  socket::ConnectArguments arguments;
};
[[nodiscard]] ProbeRun argument_probe(Lab& lab, const RunKey& key, const ArgumentCase& c);

// cm_ephemeral's TCP part: blocking connects to `first_listener` from new
// sockets until one fails (at most 200), then one to `other_listener`.
[[nodiscard]] std::vector<ProbeRun> ephemeral_probe(Lab& lab, Endpoint first_listener, Endpoint other_listener);

}  // namespace netstep::interop
