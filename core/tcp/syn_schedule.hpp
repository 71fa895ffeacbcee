#pragma once
// When an unanswered SYN is sent again, and when connect() gives up: one
// policy per personality, written as data (STYLE.md practice 11), and one
// pure decision procedure that reads it.
//
//   SynPolicy    what one system does (intervals, give-up rules, what a RST
//                in SYN-SENT does), with where we learned it (Provenance);
//   SynOverrides per-socket options (Linux TCP_SYNCNT, TCP_USER_TIMEOUT);
//   SynSchedule  a policy plus overrides, validated once; the engine asks it
//                after each SYN (how long to wait) and at each expiry
//                (send again, or give up and why).
//
// Times are nominal: a real kernel's timers run a little late (Linux's 64 s
// wait measured up to 1.6 s long, linux-syn-timings.md section 1); that is
// jitter for the GUI to show, not something this policy reproduces.
// This owns no timer and reads no clock: elapsed time is an input.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "base/time.hpp"

namespace netstep::tcp {

// Whose SYN policy. The socket layer will own the full personality table;
// this names only the SYN behaviour each one contributes to it.
enum class SynPersonality : std::uint8_t { Linux, FreeBsd, Winsock, FreeRtos, TargetTcp };

inline constexpr SynPersonality all_syn_personalities[] = {SynPersonality::Linux, SynPersonality::FreeBsd,
                                                           SynPersonality::Winsock, SynPersonality::FreeRtos,
                                                           SynPersonality::TargetTcp};

// The names DESIGN.md uses: "linux", "freebsd", "winsock", "freertos", "targettcp".
[[nodiscard]] std::string_view to_string(SynPersonality p);

// How sure we are of a policy, so the GUI can say "assumed" when it is.
enum class Provenance : std::uint8_t {
  Measured,           // timed on a real system by this project
  Documented,         // the vendor's documentation states it
  DerivedFromSource,  // computed from the constants and code of its source
  Observed,           // others' public measurements, not ours
  Assumed,            // no source found; a plausible stand-in
};
[[nodiscard]] std::string_view to_string(Provenance p);

// What a RST (acceptable, RFC 9293 3.10.7.3) in SYN-SENT does to connect().
enum class SynAfterRst : std::uint8_t {
  Refuse,                    // the attempt ends at once: connection refused
  RetryUntilLastSyn,         // Winsock: the schedule goes on; refused only when the last SYN is refused too
  CloseWithoutWakingCaller,  // FreeRTOS+TCP: socket to CLOSED, a blocked connect() is not woken
};
[[nodiscard]] std::string_view to_string(SynAfterRst r);

// What an ICMP error about our SYN (destination unreachable other than
// "fragmentation needed", time exceeded, parameter problem) does to the
// handshake. RFC 1122 4.2.3.9 calls most of them soft; systems differ.
enum class HandshakeIcmp : std::uint8_t {
  Abort,             // Linux (tcp_v4_err): the attempt ends at once with that error (connect-matrix.md T04, T05)
  SoftThenDrop,      // BSD (tcp_notify): remembered, reported instead of ETIMEDOUT; a later one ends the attempt
                     // once more than 3 SYNs were sent again
  Ignore,            // Winsock by default, FreeRTOS+TCP (it handles only echo): no effect
  SoftWhileLocked,   // Linux when connect() still holds the socket lock as the ICMP for the first SYN arrives
                     // (linux-syn-timings.md 3, "socket locked" mode, T06): that one is kept as a soft error
                     // reported instead of ETIMEDOUT; one about a retransmitted SYN ends the attempt as Abort
  SoftUntilTimeout,  // TargetTCP [S1]: remembered and reported instead of ETIMEDOUT when the attempt times out;
                     // never ends the attempt by itself ("timed out after receiving ... unreachable", T05)
};
[[nodiscard]] std::string_view to_string(HandshakeIcmp h);

// One system's SYN policy. The wait after the n-th SYN (n = 1 for the first):
//   initial_wait                                    while n <= flat_waits
//   min(initial_wait * 2^(n - flat_waits) + backoff_slop, max_wait)  after
// Giving up is decided at timer expiries only, by the first rule that holds:
//   establishment_timeout elapsed since the first SYN (its own timer: the
//     wait before it is shortened so that it fires exactly then);
//   retransmissions sent >= syn_retries + extra_retransmissions;
//   Linux only, once a SYN was retransmitted: elapsed >= the TCP_USER_TIMEOUT
//     if set, else the "model timeout" for syn_retries at model_timeout_base.
struct SynPolicy {
  SynPersonality personality = SynPersonality::Linux;

  // --- when SYNs go out ---
  Duration initial_wait = 1s;
  int flat_waits = 1;                   // >= 1: waits that stay at initial_wait
  Duration backoff_slop = Duration::zero();  // added to each doubled wait (FreeBSD's tcp_rexmit_slop)
  Duration max_wait = 120s;

  // --- when it gives up ---
  int syn_retries = 6;            // N: retransmissions allowed; TCP_SYNCNT replaces it where honoured
  int extra_retransmissions = 0;  // added to N in the count rule (Linux: tcp_syn_linear_timeouts)
  std::optional<Duration> model_timeout_base;     // Linux's time rule; nullopt elsewhere
  std::optional<Duration> establishment_timeout;  // FreeBSD TT_KEEP (75 s), Winsock's observed ceiling

  // --- per-socket options this system has ---
  bool honours_tcp_syncnt = false;
  bool honours_tcp_user_timeout = false;

  // --- facts the connect engine reads ---
  SynAfterRst after_rst = SynAfterRst::Refuse;
  // With RetryUntilLastSyn: the next SYN goes this long after a RST instead
  // of when the backoff schedule says (Winsock: 0.5 s, connect-source.md 3b).
  std::optional<Duration> syn_after_rst;
  // FreeRTOS+TCP clears its SYN retry count on every segment that matches
  // the socket, even a RST it rejects, so bogus RSTs prolong the attempt.
  bool any_matching_segment_restarts_count = false;
  HandshakeIcmp icmp_in_handshake = HandshakeIcmp::Abort;
  // With SoftThenDrop: the errors FreeBSD treats as hard in SYN-SENT end
  // the attempt at once (port, protocol and administratively prohibited
  // unreachables as refused, time exceeded; net.inet.tcp.icmp_may_rst,
  // tcp_ctlinput: connect-source.md 2b).
  bool hard_icmp_ends_handshake = false;
  // FreeRTOS+TCP does not check the destination: 0.0.0.0, broadcast and
  // multicast get a SYN like any peer (connect-source.md 1e). Elsewhere
  // 0.0.0.0 means this host and a non-unicast one is refused before any SYN.
  bool syn_to_any_destination = false;
  // FreeRTOS+TCP resolves the peer's MAC before it builds a SYN and counts
  // every ARP miss as an attempt (ucRepCount, connect-source.md 1c): when
  // this host's ARP gives up on the next hop, the attempt ends as if the
  // SYN schedule had run out. Elsewhere that failure is an ICMP error like
  // any other (Linux: EHOSTUNREACH, T08).
  bool arp_failure_ends_attempt = false;
  // Linux (tcp_twsk_unique with twp == NULL, connect-matrix.md T25b): a
  // connect() from a port bind() chose takes over a four-tuple whose old
  // connection is in TIME-WAIT whenever that one used timestamps, whatever
  // tcp_tw_reuse says. The other systems' manuals are silent (T25b).
  bool bound_port_takes_over_time_wait = false;

  // --- where this comes from ---
  Provenance provenance = Provenance::Assumed;
  std::string_view citation;  // file and section of the reference, plus the system version
  std::string_view caveat;    // what is not certain, in one sentence ("" if nothing)

  // Throws std::invalid_argument naming the first impossible field.
  void validate() const;
};

// Linux's two sysctls (net.ipv4.*). Defaults are Linux 6.5+'s.
struct LinuxSynSysctls {
  int tcp_syn_retries = 6;          // 1..127 (the kernel's MAX_TCP_SYNCNT)
  int tcp_syn_linear_timeouts = 4;  // 0 gives the classic schedule of kernels before 6.5
  void validate() const;
};

// Winsock's knobs (netsh InitialRto / MaxSynRetransmissions, or per socket
// SIO_TCP_INITIAL_RTO and TCP_MAXRT). Defaults: what Windows ships, observed.
struct WinsockSynSettings {
  Duration initial_rto = 1s;
  int max_syn_retransmissions = 4;                 // 1..8 (10 was rejected in the observation)
  std::optional<Duration> connect_ceiling = 21s;   // observed total with the shipped settings
  void validate() const;
};

[[nodiscard]] SynPolicy linux_syn_policy(LinuxSynSysctls sysctls = {});
[[nodiscard]] SynPolicy freebsd_syn_policy();
[[nodiscard]] SynPolicy winsock_syn_policy(WinsockSynSettings settings = {});
[[nodiscard]] SynPolicy freertos_syn_policy();
[[nodiscard]] SynPolicy targettcp_syn_policy();
// The default policy of each personality.
[[nodiscard]] SynPolicy syn_policy_for(SynPersonality p);

// Per-socket options. Setting one the policy does not honour is an error.
struct SynOverrides {
  std::optional<int> tcp_syncnt;                              // Linux TCP_SYNCNT: 1..127
  std::optional<std::chrono::milliseconds> tcp_user_timeout;  // Linux TCP_USER_TIMEOUT: >= 0, 0 = off
};

// Where an attempt stands when the engine asks.
struct SynProgress {
  int syns_sent = 1;                      // SYNs on the wire so far, the first included
  Duration since_first_syn = Duration{};  // now minus the time the first SYN was sent
};

// Which timer a wait belongs to (for the trace and the GUI).
enum class SynTimer : std::uint8_t {
  Retransmission,          // the SYN's retransmission timer
  ClampedToUserTimeout,    // Linux: the retransmission timer, cut short to the end of TCP_USER_TIMEOUT
  EstablishmentTimeout,    // the connection-establishment deadline fires first
};
[[nodiscard]] std::string_view to_string(SynTimer t);

struct SynWait {
  Duration wait;
  SynTimer timer;
};

// Which rule ended the attempt.
enum class SynGiveUpRule : std::uint8_t {
  RetransmissionBudget,  // retransmissions >= syn_retries + extra_retransmissions
  ModelTimeout,          // Linux: elapsed >= the model timeout for N retries
  UserTimeout,           // Linux: elapsed >= TCP_USER_TIMEOUT
  EstablishmentTimeout,  // elapsed >= establishment_timeout
};
[[nodiscard]] std::string_view to_string(SynGiveUpRule r);

// The canonical result a policy hands back; the personality maps it to a
// return code (ETIMEDOUT, WSAETIMEDOUT, FreeRTOS's -ENOTCONN, ...).
enum class SynOutcome : std::uint8_t { TimedOut, Refused };
[[nodiscard]] std::string_view to_string(SynOutcome o);

struct SynExpiryDecision {
  enum class Action : std::uint8_t { Retransmit, GiveUp } action;
  SynGiveUpRule rule;  // meaningful when action == GiveUp
  SynOutcome outcome;  // meaningful when action == GiveUp

  [[nodiscard]] bool gives_up() const { return action == Action::GiveUp; }
};

struct SynRstDecision {
  enum class Action : std::uint8_t {
    Refuse,                    // fail connect() now with SynOutcome::Refused
    KeepWaiting,               // ignore for now; the timer sends the next SYN
    CloseWithoutWakingCaller,  // socket to CLOSED; a blocked caller sleeps on
  } action;
  // KeepWaiting: send the next SYN after this long rather than when the
  // running timer says (nullopt: leave the timer as it is).
  std::optional<Duration> next_syn_after;
};

class SynSchedule {
 public:
  // Validates both (std::invalid_argument naming the field).
  explicit SynSchedule(SynPolicy policy, SynOverrides overrides = {});

  // A SYN was just sent (progress counts it): how long until the timer fires.
  [[nodiscard]] SynWait after_syn_sent(SynProgress progress) const;
  // The timer fired: send another SYN, or give up.
  [[nodiscard]] SynExpiryDecision on_timer_expiry(SynProgress progress) const;
  // An acceptable RST arrived in SYN-SENT.
  [[nodiscard]] SynRstDecision on_rst(SynProgress progress) const;

  // Retransmissions allowed (N + L for Linux), after overrides.
  [[nodiscard]] int retransmission_budget() const;
  // The time rule in force (user timeout or model timeout), if any.
  [[nodiscard]] std::optional<Duration> time_limit() const;
  [[nodiscard]] const SynPolicy& policy() const { return policy_; }
  [[nodiscard]] const SynOverrides& overrides() const { return overrides_; }

 private:
  [[nodiscard]] int effective_retries() const;
  [[nodiscard]] Duration backoff_wait(int nth_syn) const;

  SynPolicy policy_;
  SynOverrides overrides_;
};

// Linux's tcp_model_timeout(): how long N exponential retransmissions take
// from base, with each wait capped at cap: (2^(N+1) - 1) * base while the
// doubling stays under cap, then cap per further retry.
[[nodiscard]] Duration linux_model_timeout(int retries, Duration base, Duration cap);

}  // namespace netstep::tcp
