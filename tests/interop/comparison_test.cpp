// The comparison's verdicts on hand-made runs: same answers pass, another
// errno fails, intervals within 50 ms pass, a missing SYN fails.
#include <catch2/catch.hpp>

#include "comparison.hpp"

using namespace netstep::interop;

namespace {

CallRecord connect_call(std::string name, long ret, std::string error, int number, double t, bool blocking = true) {
  CallRecord c;
  c.name = std::move(name);
  c.ret = ret;
  c.error = std::move(error);
  c.error_number = number;
  c.t = t;
  c.blocking = blocking;
  return c;
}

// A silent host: SYNs at `syn_times` from one port, ETIMEDOUT at `returned`.
ProbeRun silent(std::vector<double> syn_times, double returned) {
  ProbeRun run;
  run.label = "tcp_silent";
  run.wire_captured = true;
  for (double t : syn_times) run.wire.push_back(WireEvent{WireEvent::Kind::Syn, 40000, t});
  run.calls.push_back(connect_call("connect#1", -1, "ETIMEDOUT", 110, returned));
  return run;
}

}  // namespace

TEST_CASE("a late kernel timer within 50 ms per interval agrees with the nominal schedule", "[interop]") {
  const ProbeRun kernel = silent({0, 1.018, 2.042, 3.066, 4.090, 5.114}, 7.132);
  const ProbeRun netstep = silent({0, 1, 2, 3, 4, 5}, 7);
  const Comparison c = compare_runs(kernel, netstep);
  CHECK(c.passed);
  CHECK(c.calls_compared == 1);
  CHECK(c.intervals_compared == 6);  // five gaps between SYNs, and last SYN to the return
}

TEST_CASE("an interval more than 50 ms off, a missing SYN, or another errno fails", "[interop]") {
  const ProbeRun kernel = silent({0, 1.018, 2.042}, 3.07);
  CHECK_FALSE(compare_runs(kernel, silent({0, 1, 2.1}, 3)).passed);
  CHECK_FALSE(compare_runs(kernel, silent({0, 1}, 3)).passed);
  ProbeRun other_error = silent({0, 1, 2}, 3);
  other_error.calls[0] = connect_call("connect#1", -1, "EHOSTUNREACH", 113, 3);
  const Comparison c = compare_runs(kernel, other_error);
  CHECK_FALSE(c.passed);
  CHECK(c.calls_compared == 1);
}

TEST_CASE("poll()'s revents are shown, not compared, and a kernel-only diagnostic is skipped", "[interop]") {
  ProbeRun kernel;
  ProbeRun netstep;
  CallRecord poll;
  poll.name = "poll(POLLOUT)";
  poll.revents = 0x8;
  kernel.calls.push_back(poll);
  poll.revents = 0x1c;
  netstep.calls.push_back(poll);
  CallRecord wait;
  wait.name = "wait(TCP_INFO)";
  kernel.calls.push_back(wait);
  kernel.calls.push_back(connect_call("connect#6", -1, "ECONNABORTED", 103, 0, false));
  netstep.calls.push_back(connect_call("connect#6", -1, "ECONNABORTED", 103, 0, false));
  const Comparison c = compare_runs(kernel, netstep);
  CHECK(c.passed);
  CHECK(c.calls_compared == 1);
  netstep.calls.push_back(connect_call("connect#7", 0, "", 0, 0, false));
  CHECK_FALSE(compare_runs(kernel, netstep).passed);  // a call the kernel did not make
}

TEST_CASE("a blocking connect() that SO_SNDTIMEO ends with EINPROGRESS is timed from the probe's start", "[interop]") {
  ProbeRun kernel = silent({0, 1.014, 2.038}, 0);
  kernel.calls[0] = connect_call("connect#1", -1, "EINPROGRESS", 115, 1.014, false);  // the kernel's side does not say
  ProbeRun netstep = silent({0, 1, 2}, 0);
  netstep.calls[0] = connect_call("connect#1", -1, "EINPROGRESS", 115, 1);
  const Comparison c = compare_runs(kernel, netstep);
  CHECK(c.passed);
  CHECK(c.intervals_compared == 3);
}

TEST_CASE("a frame is timed from the frame before it, not from a return between them", "[interop]") {
  // SIGALRM at exactly 1.5 s between SYNs 2 and 3 of a kernel whose timer
  // is 30 ms late each second: SYN 3 comes 1.030 s after SYN 2, but 0.560 s
  // after the signal where 0.500 s is nominal.
  const auto interrupted = [](std::vector<double> syns) {
    ProbeRun run = silent(std::move(syns), 1.5);
    run.calls[0] = connect_call("connect#1", -1, "EINTR", 4, 1.5);
    return run;
  };
  const ProbeRun kernel = interrupted({0, 1.030, 2.060});
  CHECK(compare_runs(kernel, interrupted({0, 1, 2})).passed);
  CHECK_FALSE(compare_runs(kernel, interrupted({0, 1, 2.09})).passed);  // 1.090 s after SYN 2 against 1.030 s
}

TEST_CASE("netstep's extra last SYN due at the instant its attempt ended is a tie, not a difference", "[interop]") {
  // T08 at the router: the ICMP host unreachable after 3 s of ARP, and the 4th SYN due at 3 s.
  ProbeRun kernel = silent({0, 1.031, 2.055}, 3.09);
  kernel.calls[0] = connect_call("connect#1", -1, "EHOSTUNREACH", 113, 3.09);
  ProbeRun tie = silent({0, 1, 2, 3}, 3.0004);
  tie.calls[0] = connect_call("connect#1", -1, "EHOSTUNREACH", 113, 3.0004);
  CHECK(compare_runs(kernel, tie).passed);
  ProbeRun late = silent({0, 1, 2, 3}, 3.5);  // the attempt ended half a second after that SYN: a real difference
  late.calls[0] = connect_call("connect#1", -1, "EHOSTUNREACH", 113, 3.5);
  CHECK_FALSE(compare_runs(kernel, late).passed);
}

TEST_CASE("a UDP call's names and data agree with ephemeral ports compared as any port", "[interop]") {
  CallRecord theirs = connect_call("recvfrom", 5, "", 0, 0.1, false);
  theirs.extra = "data=fromA from=127.0.0.2:36437";
  CallRecord mine = theirs;
  mine.extra = "data=fromA from=127.0.0.2:51234";
  mine.names_compared = true;
  ProbeRun kernel;
  kernel.calls.push_back(theirs);
  ProbeRun netstep;
  netstep.calls.push_back(mine);
  CHECK(compare_runs(kernel, netstep).passed);

  netstep.calls.front().extra = "data=fromB from=127.0.0.3:51234";
  CHECK_FALSE(compare_runs(kernel, netstep).passed);
  CHECK(names_as_compared("local=0.0.0.0:0 peer=255.255.255.255:9 sig_at=-1") == "local=0.0.0.0:0 peer=255.255.255.255:9");
  CHECK(names_as_compared("local=127.0.0.1:49320 peer=ENOTCONN") == "local=127.0.0.1:* peer=ENOTCONN");
}

TEST_CASE("the kernel's second SYN after an ICMP that came while connect() held the lock is its T06 race", "[interop]") {
  // nb_icmp_host_unreach, second attempt on the same socket: the router's
  // ICMP for SYN 1 arrived inside connect#4, so the kernel sent SYN 2 after
  // its initial RTO and the ICMP for that one ended the attempt.
  const auto two_attempts = [](std::vector<double> second_attempt) {
    ProbeRun run;
    run.wire_captured = true;
    run.wire.push_back(WireEvent{WireEvent::Kind::Syn, 40000, 0});
    for (double t : second_attempt) run.wire.push_back(WireEvent{WireEvent::Kind::Syn, 40001, t});
    run.calls.push_back(connect_call("connect#1", -1, "EINPROGRESS", 115, 0, false));
    CallRecord so_error;
    so_error.name = "getsockopt(SO_ERROR)(final)";
    so_error.so_error = "EHOSTUNREACH";
    so_error.so_error_number = 113;
    run.calls.push_back(so_error);
    return run;
  };
  const ProbeRun kernel = two_attempts({0.001, 1.012});
  const Comparison c = compare_runs(kernel, two_attempts({0.0}));
  CHECK(c.passed);
  CHECK(c.intervals_compared == 0);
  CHECK_FALSE(compare_runs(kernel, two_attempts({0.0, 1.0, 3.0})).passed);   // netstep sent more: a real difference
  CHECK_FALSE(compare_runs(two_attempts({0.001, 1.5}), two_attempts({0.0})).passed);  // not the initial RTO
  ProbeRun timed_out = kernel;
  timed_out.calls[1].so_error = "ETIMEDOUT";  // no ICMP ended the run: not the race
  timed_out.calls[1].so_error_number = 110;
  ProbeRun netstep_timed_out = two_attempts({0.0});
  netstep_timed_out.calls[1] = timed_out.calls[1];
  CHECK_FALSE(compare_runs(timed_out, netstep_timed_out).passed);
}

TEST_CASE("a kernel interval may run up to 100 ms long but only 50 ms short", "[interop]") {
  // SO_SNDTIMEO 500 ms on a busy machine: the kernel's connect() returned after 551 ms.
  const auto timed_out_after = [](double returned) {
    ProbeRun run = silent({0}, returned);
    run.calls[0] = connect_call("connect#1", -1, "EINPROGRESS", 115, returned);
    return run;
  };
  const ProbeRun netstep = timed_out_after(0.5);
  CHECK(compare_runs(timed_out_after(0.551), netstep).passed);
  CHECK(compare_runs(timed_out_after(0.599), netstep).passed);
  CHECK_FALSE(compare_runs(timed_out_after(0.601), netstep).passed);  // over 100 ms late
  CHECK_FALSE(compare_runs(timed_out_after(0.449), netstep).passed);  // over 50 ms early
  CHECK(intervals_agree(1.09, 1.0));
  CHECK_FALSE(intervals_agree(1.0, 1.06));
}

TEST_CASE("a return at a deadline from the start agrees on the clock since the start", "[interop]") {
  // TCP_USER_TIMEOUT 2.5 s: the kernel's SYN timers ran 60 ms late, so the
  // return came 0.449 s after SYN 3 (0.5 s nominal) but 2.509 s after the start.
  ProbeRun kernel = silent({0, 1.032, 2.060}, 2.509);
  const ProbeRun netstep = silent({0, 1, 2}, 2.5);
  CHECK(compare_runs(kernel, netstep).passed);
  kernel = silent({0, 1.032, 2.060}, 2.300);  // early on both clocks: a real difference
  CHECK_FALSE(compare_runs(kernel, netstep).passed);
}
