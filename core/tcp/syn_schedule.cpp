#include "tcp/syn_schedule.hpp"

#include <algorithm>

namespace netstep::tcp {

namespace {

// Linux bounds TCP_SYNCNT and tcp_syn_retries by MAX_TCP_SYNCNT.
constexpr int k_linux_max_syncnt = 127;

// base * 2^exponent, saturating at cap (exponent >= 0, base > 0).
Duration doubled(Duration base, int exponent, Duration cap) {
  Duration d = base;
  for (int i = 0; i < exponent && d < cap; ++i) d = d > cap / 2 ? cap : d * 2;
  return d;
}

}  // namespace

std::string_view to_string(SynPersonality p) {
  switch (p) {
    case SynPersonality::Linux: return "linux";
    case SynPersonality::FreeBsd: return "freebsd";
    case SynPersonality::Winsock: return "winsock";
    case SynPersonality::FreeRtos: return "freertos";
    case SynPersonality::TargetTcp: return "targettcp";
  }
  return "?";
}

std::string_view to_string(Provenance p) {
  switch (p) {
    case Provenance::Measured: return "measured";
    case Provenance::Documented: return "documented";
    case Provenance::DerivedFromSource: return "derived from source";
    case Provenance::Observed: return "observed";
    case Provenance::Assumed: return "assumed";
  }
  return "?";
}

std::string_view to_string(SynAfterRst r) {
  switch (r) {
    case SynAfterRst::Refuse: return "refuse at once";
    case SynAfterRst::RetryUntilLastSyn: return "keep sending SYNs; refuse when the last one is refused";
    case SynAfterRst::CloseWithoutWakingCaller: return "close without waking the caller";
  }
  return "?";
}

std::string_view to_string(HandshakeIcmp h) {
  switch (h) {
    case HandshakeIcmp::Abort: return "end the attempt at once";
    case HandshakeIcmp::SoftThenDrop: return "remember it; end the attempt on another after 3 retransmissions";
    case HandshakeIcmp::Ignore: return "ignore it";
    case HandshakeIcmp::SoftWhileLocked: return "remember the first SYN's; end the attempt on a later one";
    case HandshakeIcmp::SoftUntilTimeout: return "remember it; report it when the attempt times out";
  }
  return "?";
}

std::string_view to_string(SynTimer t) {
  switch (t) {
    case SynTimer::Retransmission: return "retransmission timer";
    case SynTimer::ClampedToUserTimeout: return "retransmission timer, clamped to TCP_USER_TIMEOUT";
    case SynTimer::EstablishmentTimeout: return "connection-establishment timer";
  }
  return "?";
}

std::string_view to_string(SynGiveUpRule r) {
  switch (r) {
    case SynGiveUpRule::RetransmissionBudget: return "retransmission budget spent";
    case SynGiveUpRule::ModelTimeout: return "time for the allowed retries has passed";
    case SynGiveUpRule::UserTimeout: return "TCP_USER_TIMEOUT has passed";
    case SynGiveUpRule::EstablishmentTimeout: return "connection-establishment timeout";
  }
  return "?";
}

std::string_view to_string(SynOutcome o) {
  switch (o) {
    case SynOutcome::TimedOut: return "timed out";
    case SynOutcome::Refused: return "refused";
  }
  return "?";
}

void SynPolicy::validate() const {
  if (initial_wait <= Duration::zero()) throw std::invalid_argument("syn policy: initial_wait must be positive");
  if (flat_waits < 1) throw std::invalid_argument("syn policy: flat_waits must be at least 1");
  if (backoff_slop < Duration::zero()) throw std::invalid_argument("syn policy: backoff_slop must not be negative");
  if (max_wait < initial_wait) throw std::invalid_argument("syn policy: max_wait must be at least initial_wait");
  if (syn_retries < 0) throw std::invalid_argument("syn policy: syn_retries must not be negative");
  if (extra_retransmissions < 0) throw std::invalid_argument("syn policy: extra_retransmissions must not be negative");
  if (model_timeout_base && *model_timeout_base <= Duration::zero())
    throw std::invalid_argument("syn policy: model_timeout_base must be positive");
  if (establishment_timeout && *establishment_timeout <= Duration::zero())
    throw std::invalid_argument("syn policy: establishment_timeout must be positive");
  if (syn_after_rst && (*syn_after_rst <= Duration::zero() || after_rst != SynAfterRst::RetryUntilLastSyn))
    throw std::invalid_argument("syn policy: syn_after_rst must be positive, and only with RetryUntilLastSyn");
  if (citation.empty()) throw std::invalid_argument("syn policy: citation must say where the policy comes from");
}

void LinuxSynSysctls::validate() const {
  if (tcp_syn_retries < 1 || tcp_syn_retries > k_linux_max_syncnt)
    throw std::invalid_argument("linux sysctls: tcp_syn_retries must be 1..127");
  if (tcp_syn_linear_timeouts < 0 || tcp_syn_linear_timeouts > k_linux_max_syncnt)
    throw std::invalid_argument("linux sysctls: tcp_syn_linear_timeouts must be 0..127");
}

void WinsockSynSettings::validate() const {
  if (initial_rto <= Duration::zero()) throw std::invalid_argument("winsock settings: initial_rto must be positive");
  if (max_syn_retransmissions < 0 || max_syn_retransmissions > 8)
    throw std::invalid_argument("winsock settings: max_syn_retransmissions must be 0..8");
  if (connect_ceiling && *connect_ceiling <= Duration::zero())
    throw std::invalid_argument("winsock settings: connect_ceiling must be positive");
}

// linux-syn-timings.md section 1, "Model that reproduces every row": the
// first L+1 waits are TCP_TIMEOUT_INIT (1 s) because tcp_retransmit_timer()
// does not back off while total_rto <= L in SYN-SENT; then they double up to
// TCP_RTO_MAX (120 s). tcp_write_timeout() allows N + L retransmissions in
// SYN-SENT and also stops once the model timeout for N has passed.
SynPolicy linux_syn_policy(LinuxSynSysctls sysctls) {
  sysctls.validate();
  SynPolicy p;
  p.personality = SynPersonality::Linux;
  p.initial_wait = 1s;
  p.flat_waits = sysctls.tcp_syn_linear_timeouts + 1;
  p.max_wait = 120s;
  p.syn_retries = sysctls.tcp_syn_retries;
  p.extra_retransmissions = sysctls.tcp_syn_linear_timeouts;
  p.model_timeout_base = 1s;
  p.honours_tcp_syncnt = true;
  p.honours_tcp_user_timeout = true;
  p.after_rst = SynAfterRst::Refuse;
  p.icmp_in_handshake = HandshakeIcmp::Abort;  // connect-matrix.md T04, T05 (measured)
  p.bound_port_takes_over_time_wait = true;     // connect-matrix.md T25b (measured)
  p.provenance = Provenance::Measured;
  p.citation = "linux-syn-timings.md section 1 (model that reproduces every row) and section 2 (TCP_SYNCNT, "
               "TCP_USER_TIMEOUT), measured on Linux 6.18.44 x86_64 HZ=250";
  p.caveat = "nominal times; measured waits of 2 s and more ran up to 1.6 s late. The user-timeout clamp and the "
             "model timeout beyond 6 retries follow our reading of net/ipv4/tcp_timer.c, not a measurement";
  return p;
}

// connect-source.md section 2c. The first wait is tcp_rexmit_initial as set
// by tcp_newtcpcb(), with no slop; each expiry then sets
// rexmt = tcp_rexmit_initial * tcp_backoff[t_rxtshift], and TCPT_RANGESET
// adds tcp_rexmit_slop (200 ms) and caps at TCPTV_REXMTMAX (64 s). The TT_KEEP
// timer (75 s) ends the attempt; TCP_MAXRXTSHIFT (12) would only matter with
// keepinit disabled.
SynPolicy freebsd_syn_policy() {
  SynPolicy p;
  p.personality = SynPersonality::FreeBsd;
  p.initial_wait = 1s;
  p.flat_waits = 1;
  p.backoff_slop = 200ms;
  p.max_wait = 64s;
  p.syn_retries = 12;
  p.establishment_timeout = 75s;
  p.after_rst = SynAfterRst::Refuse;
  p.icmp_in_handshake = HandshakeIcmp::SoftThenDrop;  // connect-matrix.md T04 [non-seed: BSD tcp_notify()]
  p.hard_icmp_ends_handshake = true;
  p.provenance = Provenance::DerivedFromSource;
  p.citation = "connect-source.md section 2c: tcp_timer.c tcp_timer_rexmt, tcp_timer.h TCPT_RANGESET, tcp_usrreq.c "
               "TP_KEEPINIT, FreeBSD main c. 2024";
  p.caveat = "SYN times derived from the constants; only the 75 s total is corroborated (macOS, measured by others)";
  return p;
}

// connect-source.md section 3c: first wait 1 s, doubling to a 60 s cap,
// MaxSynRetransmissions 4, and a 21 s ceiling observed with those defaults.
// Section 3b: a RST does not end the attempt; a refused connect takes about
// 2.0 s (measured by others, 2002-2011 ms over 12 runs), which the four
// retransmissions give if each follows its RST by 0.5 s.
SynPolicy winsock_syn_policy(WinsockSynSettings settings) {
  settings.validate();
  SynPolicy p;
  p.personality = SynPersonality::Winsock;
  p.initial_wait = settings.initial_rto;
  p.flat_waits = 1;
  p.max_wait = std::max(Duration{60s}, settings.initial_rto);
  p.syn_retries = settings.max_syn_retransmissions;
  p.establishment_timeout = settings.connect_ceiling;
  p.after_rst = SynAfterRst::RetryUntilLastSyn;
  p.syn_after_rst = 500ms;
  p.icmp_in_handshake = HandshakeIcmp::Ignore;  // connect-matrix.md: ICMP ignored by default
  p.provenance = Provenance::Observed;
  p.citation = "connect-source.md sections 3b-3c: 21 s total observed on Windows runners (SciQLop/speasy PR #344), "
               "SYN times derived from nmap issue #2113";
  p.caveat = "SYN times are derived, not measured; the 21 s ceiling is not what doubling alone gives (31 s); "
             "the 0.5 s between a RST and the next SYN is derived from the 2.0 s refusal";
  return p;
}

// connect-source.md section 1c: timer 3000 << (ucRepCount - 1) ms while
// ucRepCount < 3, else 11000 ms; the third expiry gives up. Writing it as
// "3 s doubling, capped at 11 s" gives the same waits for every count,
// because 3000 << 2 = 12000 already exceeds 11000.
SynPolicy freertos_syn_policy() {
  SynPolicy p;
  p.personality = SynPersonality::FreeRtos;
  p.initial_wait = 3s;
  p.flat_waits = 1;
  p.max_wait = 11s;
  p.syn_retries = 2;
  p.after_rst = SynAfterRst::CloseWithoutWakingCaller;
  p.icmp_in_handshake = HandshakeIcmp::Ignore;  // connect-source.md 1a: FreeRTOS_ICMP.c handles only echo
  p.any_matching_segment_restarts_count = true;
  p.syn_to_any_destination = true;  // connect-source.md 1e: 0.0.0.0, broadcast, multicast are not checked
  p.arp_failure_ends_attempt = true;  // connect-source.md 1c: each ARP miss counts as a SYN attempt
  p.provenance = Provenance::DerivedFromSource;
  p.citation = "connect-source.md sections 1b-1c: FreeRTOS_TCP_IP.c:620-641 and 850-865, "
               "FreeRTOS_TCP_Transmission.c:131-140, FreeRTOS-Plus-TCP 27a96812";
  p.caveat = "times count from the first SYN, which the IP task sends on its next tick after connect()";
  return p;
}

// connect-source.md section 4: nothing public says; BSD-like is a guess.
SynPolicy targettcp_syn_policy() {
  SynPolicy p = freebsd_syn_policy();
  p.personality = SynPersonality::TargetTcp;
  // [S1]: EHOSTUNREACH "timed out after receiving a destination unreachable
  // ICMP message" (connect-source.md 4): every ICMP error is soft and is
  // reported only at the timeout; FreeBSD's early drops are not documented.
  p.icmp_in_handshake = HandshakeIcmp::SoftUntilTimeout;
  p.hard_icmp_ends_handshake = false;
  p.provenance = Provenance::Assumed;
  p.citation = "connect-source.md section 4: no public source; a BSD-like 75 s is assumed";
  p.caveat = "interval, count and knobs are unknown; FreeBSD's are borrowed";
  return p;
}

SynPolicy syn_policy_for(SynPersonality p) {
  switch (p) {
    case SynPersonality::Linux: return linux_syn_policy();
    case SynPersonality::FreeBsd: return freebsd_syn_policy();
    case SynPersonality::Winsock: return winsock_syn_policy();
    case SynPersonality::FreeRtos: return freertos_syn_policy();
    case SynPersonality::TargetTcp: return targettcp_syn_policy();
  }
  throw std::invalid_argument("syn policy: unknown personality");
}

// tcp_model_timeout() in net/ipv4/tcp_timer.c (from our knowledge of the
// source): the doubling stops growing once base * 2^k reaches cap, at
// k = floor(log2(cap / base)); each retry beyond that adds cap.
Duration linux_model_timeout(int retries, Duration base, Duration cap) {
  if (retries < 0 || base <= Duration::zero() || cap < base)
    throw std::invalid_argument("model timeout: needs retries >= 0 and 0 < base <= cap");
  int threshold = 0;
  const std::int64_t ratio = cap / base;  // integer division, as the kernel's TCP_RTO_MAX / rto_base
  while (threshold < 60 && (std::int64_t{2} << threshold) <= ratio) ++threshold;
  if (retries <= threshold) return base * ((std::int64_t{2} << retries) - 1);
  return base * ((std::int64_t{2} << threshold) - 1) + cap * (retries - threshold);
}

SynSchedule::SynSchedule(SynPolicy policy, SynOverrides overrides) : policy_(policy), overrides_(overrides) {
  policy_.validate();
  if (overrides_.tcp_syncnt) {
    if (!policy_.honours_tcp_syncnt)
      throw std::invalid_argument("syn overrides: tcp_syncnt is a Linux socket option this policy does not have");
    if (*overrides_.tcp_syncnt < 1 || *overrides_.tcp_syncnt > k_linux_max_syncnt)
      throw std::invalid_argument("syn overrides: tcp_syncnt must be 1..127");
  }
  if (overrides_.tcp_user_timeout) {
    if (!policy_.honours_tcp_user_timeout)
      throw std::invalid_argument("syn overrides: tcp_user_timeout is a Linux socket option this policy does not have");
    if (*overrides_.tcp_user_timeout < std::chrono::milliseconds::zero())
      throw std::invalid_argument("syn overrides: tcp_user_timeout must not be negative");
    // 0 means "use the default", as in Linux.
    if (*overrides_.tcp_user_timeout == std::chrono::milliseconds::zero()) overrides_.tcp_user_timeout.reset();
  }
}

int SynSchedule::effective_retries() const { return overrides_.tcp_syncnt.value_or(policy_.syn_retries); }

int SynSchedule::retransmission_budget() const { return effective_retries() + policy_.extra_retransmissions; }

std::optional<Duration> SynSchedule::time_limit() const {
  if (overrides_.tcp_user_timeout) return Duration{*overrides_.tcp_user_timeout};
  if (policy_.model_timeout_base)
    return linux_model_timeout(effective_retries(), *policy_.model_timeout_base, policy_.max_wait);
  return std::nullopt;
}

Duration SynSchedule::backoff_wait(int nth_syn) const {
  if (nth_syn <= policy_.flat_waits) return policy_.initial_wait;
  const Duration grown = doubled(policy_.initial_wait, nth_syn - policy_.flat_waits, policy_.max_wait);
  return std::min(grown + policy_.backoff_slop, policy_.max_wait);
}

namespace {

void check(SynProgress p) {
  if (p.syns_sent < 1) throw std::invalid_argument("syn progress: at least one SYN must have been sent");
  if (p.since_first_syn < Duration::zero()) throw std::invalid_argument("syn progress: elapsed time is negative");
}

}  // namespace

SynWait SynSchedule::after_syn_sent(SynProgress progress) const {
  check(progress);
  SynWait w{backoff_wait(progress.syns_sent), SynTimer::Retransmission};
  // Linux re-arms the timer after a retransmission with no more than the
  // user time left (tcp_clamp_rto_to_user_timeout); the timer armed by
  // tcp_connect() for the first SYN is not clamped. When no time is left the
  // kernel fires after one jiffy; nominally that is now.
  if (overrides_.tcp_user_timeout && progress.syns_sent >= 2) {
    const Duration left = std::max(Duration{*overrides_.tcp_user_timeout} - progress.since_first_syn, Duration{});
    if (left < w.wait) w = {left, SynTimer::ClampedToUserTimeout};
  }
  // A separate establishment timer (FreeBSD TT_KEEP) was armed at connect();
  // when it comes first, the engine's single timer must fire then.
  if (policy_.establishment_timeout) {
    const Duration left = std::max(*policy_.establishment_timeout - progress.since_first_syn, Duration{});
    if (left < w.wait) w = {left, SynTimer::EstablishmentTimeout};
  }
  return w;
}

SynExpiryDecision SynSchedule::on_timer_expiry(SynProgress progress) const {
  check(progress);
  using Action = SynExpiryDecision::Action;
  const auto give_up = [](SynGiveUpRule rule) { return SynExpiryDecision{Action::GiveUp, rule, SynOutcome::TimedOut}; };
  const int retransmissions = progress.syns_sent - 1;

  if (policy_.establishment_timeout && progress.since_first_syn >= *policy_.establishment_timeout)
    return give_up(SynGiveUpRule::EstablishmentTimeout);
  // tcp_write_timeout(): the count first ...
  if (retransmissions >= retransmission_budget()) return give_up(SynGiveUpRule::RetransmissionBudget);
  // ... then the time, which retransmits_timed_out() only checks once a
  // retransmission has been sent.
  if (retransmissions >= 1) {
    if (const auto limit = time_limit(); limit && progress.since_first_syn >= *limit)
      return give_up(overrides_.tcp_user_timeout ? SynGiveUpRule::UserTimeout : SynGiveUpRule::ModelTimeout);
  }
  return {Action::Retransmit, SynGiveUpRule::RetransmissionBudget, SynOutcome::TimedOut};
}

SynRstDecision SynSchedule::on_rst(SynProgress progress) const {
  check(progress);
  using Action = SynRstDecision::Action;
  switch (policy_.after_rst) {
    case SynAfterRst::Refuse: return {Action::Refuse, std::nullopt};
    case SynAfterRst::CloseWithoutWakingCaller: return {Action::CloseWithoutWakingCaller, std::nullopt};
    case SynAfterRst::RetryUntilLastSyn:
      // Refused once the SYN just refused was the last the budget allows
      // (nmap #2113's reading); otherwise the next one goes out after the
      // policy's pause, or when the timer says.
      if (progress.syns_sent - 1 >= retransmission_budget()) return {Action::Refuse, std::nullopt};
      return {Action::KeepWaiting, policy_.syn_after_rst};
  }
  return {Action::Refuse, std::nullopt};
}

}  // namespace netstep::tcp
