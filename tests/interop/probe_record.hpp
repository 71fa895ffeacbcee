#pragma once
// What one probe run reports, in one shape for both sides of the
// differential test: the kernel's probes (../shared/reference/linux-probes,
// parsed from their RESULT lines and tcpdump captures) and netstep's mirror
// of the same probe on the simulated network.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netstep::interop {

// One call, as a RESULT line reports it:
//   RESULT <label> call=<name> ret=<n> errno=<NAME>(<num>) t=<seconds> [extra]
struct CallRecord {
  std::string name;                     // "connect#1", "getsockopt(SO_ERROR)#1", "poll(POLLOUT)"
  long ret = 0;
  std::string error;                    // errno's name when ret < 0 ("ECONNREFUSED"), else empty
  int error_number = 0;
  std::optional<std::string> so_error;  // getsockopt(SO_ERROR): the value's name, "0" for none
  int so_error_number = 0;
  std::optional<int> revents;           // poll()
  double t = 0;                         // seconds since the probe started
  std::string extra;                    // the rest of the line ("local=198.51.100.2:59170 peer=ENOTCONN ...")
  bool blocking = false;                // netstep: the call could wait (a blocking connect, poll)
  std::string note;                     // netstep: how the call was made, when that needs saying
  std::string rule;                     // netstep: the rule that decided the result
  // netstep: compare the names and data the call reports too (local=,
  // peer=, data=, from=; see comparison.hpp), spelled in the kernel's addresses.
  bool names_compared = false;
};

// Transfer: send, sendto, recv, recvfrom, write; Names: getpeername (cm_udp
// reports the socket's names with it).
enum class CallKind : std::uint8_t { Connect, Bind, SoError, Poll, Transfer, Names, Other };
// By the name's prefix: "connect#3(no SO_ERROR read)" is a connect().
[[nodiscard]] CallKind kind_of_call(std::string_view name);

// A frame the client put on its wire (tcpdump on the client's interface;
// netstep: a frame_sent event of the client's interface).
struct WireEvent {
  enum class Kind : std::uint8_t { Syn, ArpRequest };
  Kind kind = Kind::Syn;
  std::uint16_t source_port = 0;  // a SYN's: one attempt of connect() keeps its port
  double t = 0;                   // seconds (see ProbeRun::wire)
};

// A label's run: the probe's calls for that label, in order, from the NOTE
// that starts it to the next one. Some labels run more than once (the same
// probe in another mode): `occurrence` counts them from 1.
struct ProbeRun {
  std::string label;
  int occurrence = 1;
  std::string results_file;  // the kernel's out/ file ("02_nonblocking.txt"); empty for netstep
  std::string description;   // the NOTE's text, or netstep's account of its stand-in
  std::vector<CallRecord> calls;
  // The frames of this run's attempts towards its destination (SYNs from
  // its local ports, ARP requests for its address). Kernel: seconds since
  // the run's first frame (the capture's clock is not the probe's; see
  // comparison.cpp). Netstep: seconds since the probe started.
  std::vector<WireEvent> wire;
  bool wire_captured = false;  // false: no capture covers this run (loopback probes)
};

// Which run of which label.
struct RunKey {
  std::string label;
  int occurrence = 1;
  [[nodiscard]] std::string describe() const;  // "nb_refused_after_1s (run 2)"
  friend bool operator==(const RunKey&, const RunKey&) = default;
};

}  // namespace netstep::interop
