#pragma once
// Laying a netstep run beside the kernel's run of the same probe.
//
// Calls: each connect() and bind() must return the same value and errno
// (name and number), each getsockopt(SO_ERROR) the same error. poll()'s
// revents are shown, not compared (Linux 6.18 reports POLLERR from the
// error queue while a new attempt is still in SYN_SENT: connect-matrix.md
// surprise 10).
// send, sendto, recv, recvfrom and write (UDP) must return the same too.
// Where netstep's call asks for it (CallRecord::names_compared: cm_udp's
// calls) the names and data the call reports must agree as well: local=,
// peer=, data=, from=, with ephemeral ports (1024 and up, picked at random
// on both sides) compared as "*".
// Calls only the kernel probe makes (wait(TCP_INFO), recvmsg) are shown.
//
// Timing: the frames the client sends for the run (SYNs per attempt, ARP
// requests) must be the same in number, and every interval must agree: the
// kernel's at most 50 ms shorter or 100 ms longer than netstep's (Linux's
// timers never fire early, and fire later on a loaded machine: SO_SNDTIMEO
// 500 ms returned after 551 ms while other work ran). The interval is a
// frame's since the frame before it, the return of a call
// that blocked (a blocking connect(), a poll() that reported POLLOUT)
// since the event before it. Intervals, not times since the start: Linux's
// timers run a little late (each 1 s interval measured 1.002-1.030 s), and
// the lateness adds up (7.13 s for a nominal 7 s); linux-syn-timings.md
// says to model the nominal schedule and treat the lateness as jitter,
// which is what netstep does. A frame is not timed from a return between
// two frames (a signal's, at an exact 1.5 s): that interval would carry
// the lateness of every timer interval since the last frame. For the same
// reason a return that does not agree with the event before it still
// agrees when its time since the probe started does (within the same
// tolerance): a deadline counted from the start (TCP_USER_TIMEOUT 2.5 s
// after two late SYN timers came 0.449 s after the last SYN, 0.5 s nominal).
//
// The kernel's frames come from tcpdump (epoch time), its calls from the
// probe (CLOCK_MONOTONIC since the probe started). The two are aligned on
// the run's first frame, which leaves inside connect#1: a non-blocking
// connect#1 returns microseconds after it, so it is placed at that return;
// a blocking one, at the probe's start (the probe starts its clock just
// before socket(); what lies between, a printf, takes well under 50 ms).
#include <string>
#include <string_view>
#include <vector>

#include "probe_record.hpp"

namespace netstep::interop {

inline constexpr double interval_tolerance_seconds = 0.050;   // either way
inline constexpr double kernel_late_tolerance_seconds = 0.100;  // the kernel's interval the longer one

// Whether a kernel interval agrees with netstep's (see above).
[[nodiscard]] constexpr bool intervals_agree(double kernel_seconds, double netstep_seconds) {
  const double late = kernel_seconds - netstep_seconds;
  return late >= -interval_tolerance_seconds && late <= kernel_late_tolerance_seconds;
}

struct Comparison {
  bool passed = true;
  std::vector<std::string> lines;  // what was compared, one line each, for the report
  std::size_t calls_compared = 0;
  std::size_t intervals_compared = 0;
};

[[nodiscard]] Comparison compare_runs(const ProbeRun& kernel, const ProbeRun& netstep);

// The names and data of a call's report as compared: "local=127.0.0.1:* peer=ENOTCONN".
[[nodiscard]] std::string names_as_compared(std::string_view extra);

// "-1 ECONNREFUSED (111)", "0", "SO_ERROR ETIMEDOUT (110)", "revents 0x1c".
[[nodiscard]] std::string describe_outcome(const CallRecord& call);

}  // namespace netstep::interop
