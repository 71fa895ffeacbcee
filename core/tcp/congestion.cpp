#include "tcp/congestion.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace netstep::tcp {

namespace {

constexpr std::uint32_t max_window = std::numeric_limits<std::uint32_t>::max();

constexpr std::uint32_t saturating_add(std::uint32_t a, std::uint32_t b) {
  return a > max_window - b ? max_window : a + b;
}

}  // namespace

void NewRenoConfig::validate() const {
  // The MSS option is 16 bits (RFC 9293 section 3.7.1); zero would make
  // every window rule divide by or multiply into nothing.
  if (smss == 0) throw std::invalid_argument("congestion: smss must be at least 1");
  if (smss > 65535) throw std::invalid_argument("congestion: smss must fit the 16-bit MSS option (<= 65535)");
}

std::uint32_t initial_window(std::uint32_t smss, InitialWindow rule) {
  switch (rule) {
    case InitialWindow::Rfc5681:
      // Fewer, larger segments above 1095 and 2190 bytes keep IW near 4 KB.
      if (smss > 2190) return 2 * smss;
      if (smss > 1095) return 3 * smss;
      return 4 * smss;
    case InitialWindow::Iw10:
      // Ten segments, but about 14.6 KB for jumbo sizes and never under two.
      return std::min(10 * smss, std::max(2 * smss, std::uint32_t{14600}));
  }
  return smss;
}

std::string_view to_string(CongestionAction a) {
  switch (a) {
    case CongestionAction::SlowStart: return "slow-start";
    case CongestionAction::CongestionAvoidance: return "congestion-avoidance";
    case CongestionAction::DuplicateAck: return "duplicate-ack";
    case CongestionAction::FastRetransmitSuppressed: return "fast-retransmit-suppressed";
    case CongestionAction::EnterFastRecovery: return "enter-fast-recovery";
    case CongestionAction::WindowInflation: return "window-inflation";
    case CongestionAction::PartialAck: return "partial-ack";
    case CongestionAction::ExitFastRecovery: return "exit-fast-recovery";
    case CongestionAction::LossWindow: return "loss-window";
    case CongestionAction::RestartWindow: return "restart-window";
    case CongestionAction::SynLossWindow: return "syn-loss-window";
  }
  return "?";
}

std::string_view explain(CongestionAction a) {
  switch (a) {
    case CongestionAction::SlowStart:
      return "cwnd is below ssthresh, so each ACK of new data grows it by up to one segment: the window "
             "doubles every round trip (RFC 5681 3.1)";
    case CongestionAction::CongestionAvoidance:
      return "cwnd has reached ssthresh, so it grows by about one segment per round trip (RFC 5681 3.1)";
    case CongestionAction::DuplicateAck:
      return "a duplicate ACK: a later segment arrived but not the next one expected; not yet enough to "
             "call it a loss (RFC 5681 3.2)";
    case CongestionAction::FastRetransmitSuppressed:
      return "third duplicate ACK, but it does not reach the recover point: it may echo segments already "
             "retransmitted, so no second fast retransmit and no second halving (RFC 6582 3.2, 4)";
    case CongestionAction::EnterFastRecovery:
      return "third duplicate ACK: the segment is taken as lost and sent again at once; ssthresh becomes "
             "half the data in flight and cwnd that plus the three segments the duplicates report as "
             "delivered (RFC 5681 3.2, RFC 6582 3.2)";
    case CongestionAction::WindowInflation:
      return "another duplicate ACK during fast recovery: one more segment has left the network, so cwnd "
             "grows by a segment to let a new one in (RFC 5681 3.2 step 4)";
    case CongestionAction::PartialAck:
      return "an ACK of new data that stops short of the recover point: another segment of the same window "
             "was lost, so it is retransmitted now and recovery continues (RFC 6582 3.2 step 3)";
    case CongestionAction::ExitFastRecovery:
      return "an ACK covering everything sent before the loss: recovery is over and cwnd deflates to about "
             "ssthresh (RFC 6582 3.2 step 3)";
    case CongestionAction::LossWindow:
      return "the retransmission timer fired: cwnd drops to one segment and ssthresh to half the data in "
             "flight, and slow start begins again (RFC 5681 3.1)";
    case CongestionAction::RestartWindow:
      return "nothing was sent for longer than the retransmission timeout, so the old cwnd no longer "
             "reflects the network: restart from at most the initial window (RFC 5681 4.1)";
    case CongestionAction::SynLossWindow:
      return "the handshake needed a retransmission, so the first window is a single segment "
             "(RFC 5681 3.1)";
  }
  return "?";
}

NewReno::NewReno(const NewRenoConfig& config, SeqNum iss)
    : config_{config},
      cwnd_{initial_window(config.smss, config.initial_window)},
      // "Arbitrarily high" (RFC 5681 3.1): the first slow start ends at the
      // first loss or at the peer's window, not at a guess.
      ssthresh_{max_window},
      recover_{iss} {
  config_.validate();
}

CongestionUpdate NewReno::begin(CongestionAction action) const {
  CongestionUpdate u;
  u.action = action;
  u.cwnd_before = cwnd_;
  u.ssthresh_before = ssthresh_;
  return u;
}

CongestionUpdate& NewReno::finish(CongestionUpdate& u) const {
  u.cwnd = cwnd_;
  u.ssthresh = ssthresh_;
  u.recover = recover_;
  return u;
}

// RFC 5681 eq. 4 (also the fast retransmit rule of 3.2 step 2): half of what
// is in flight, not half of cwnd, since cwnd may be far above what the
// application or the peer's window let us use; never under two segments.
std::uint32_t NewReno::halved(std::uint32_t flight_size) const {
  return std::max(flight_size / 2, 2 * config_.smss);
}

void NewReno::grow_slow_start(std::uint32_t bytes_acked) {
  std::uint32_t limit = config_.smss;  // RFC 5681 eq. 2
  if (config_.growth == WindowGrowth::ByteCounting && !slow_start_after_timeout_) {
    limit = 2 * config_.smss;  // RFC 3465 L = 2*SMSS
  }
  cwnd_ = saturating_add(cwnd_, std::min(bytes_acked, limit));
  if (cwnd_ >= ssthresh_) slow_start_after_timeout_ = false;
}

void NewReno::grow_congestion_avoidance(std::uint32_t bytes_acked) {
  if (config_.growth == WindowGrowth::ByteCounting) {
    bytes_acked_ = saturating_add(bytes_acked_, bytes_acked);
    if (bytes_acked_ >= cwnd_) {
      bytes_acked_ -= cwnd_;
      cwnd_ = saturating_add(cwnd_, config_.smss);
    }
    return;
  }
  // RFC 5681 eq. 3; at least one byte so a huge cwnd still moves.
  const std::uint64_t step = std::uint64_t{config_.smss} * config_.smss / cwnd_;
  cwnd_ = saturating_add(cwnd_, static_cast<std::uint32_t>(std::max<std::uint64_t>(step, 1)));
}

CongestionUpdate NewReno::on_new_ack(const NewAck& ack) {
  duplicate_acks_ = 0;
  timed_out_ = false;  // SND.UNA moved: a later timeout is for a new segment

  if (in_fast_recovery_) {
    if (ack.snd_una >= recover_) {
      // Full ACK. recover holds SND.NXT at entry, so reaching it means
      // everything outstanding at the loss is now acknowledged.
      // RFC 6582 3.2 step 3 offers cwnd = ssthresh or
      // min(ssthresh, max(FlightSize, SMSS) + SMSS). We take the second: the
      // sender has no burst limiter, and when little is still in flight
      // cwnd = ssthresh would let one ACK release up to ssthresh bytes at
      // line rate. This way at most about one segment more than is in
      // flight goes out, and growth resumes from there.
      CongestionUpdate u = begin(CongestionAction::ExitFastRecovery);
      cwnd_ = std::min(ssthresh_, saturating_add(std::max(ack.flight_size, config_.smss), config_.smss));
      in_fast_recovery_ = false;
      bytes_acked_ = 0;
      u.restart_retransmit_timer = true;
      return finish(u);
    }
    // Partial ACK (RFC 6582 3.2 step 3): take out what left the network,
    // give back one segment for the retransmission about to go out.
    CongestionUpdate u = begin(CongestionAction::PartialAck);
    cwnd_ = cwnd_ > ack.bytes_acked ? cwnd_ - ack.bytes_acked : 0;
    if (ack.bytes_acked >= config_.smss) cwnd_ = saturating_add(cwnd_, config_.smss);
    // Our floor, not the RFC's: below one segment nothing new could be sent.
    cwnd_ = std::max(cwnd_, config_.smss);
    u.retransmit_now = true;
    u.restart_retransmit_timer = first_partial_ack_ || config_.partial_ack_timer == PartialAckTimer::SlowButSteady;
    first_partial_ack_ = false;
    return finish(u);
  }

  // Keep recover within reach of SND.UNA (see recover()): once passed, any
  // ACK at or beyond SND.UNA already satisfies "reaches recover".
  if (ack.snd_una > recover_) recover_ = ack.snd_una;

  // Below ssthresh slow start, otherwise congestion avoidance (RFC 5681 3.1
  // leaves the choice at equality open; we avoid).
  CongestionUpdate u = begin(cwnd_ < ssthresh_ ? CongestionAction::SlowStart : CongestionAction::CongestionAvoidance);
  if (u.action == CongestionAction::SlowStart) {
    grow_slow_start(ack.bytes_acked);
  } else {
    slow_start_after_timeout_ = false;
    grow_congestion_avoidance(ack.bytes_acked);
  }
  u.restart_retransmit_timer = true;
  return finish(u);
}

CongestionUpdate NewReno::on_duplicate_ack(const DuplicateAck& ack) {
  duplicate_acks_ = saturating_add(duplicate_acks_, 1);

  if (in_fast_recovery_) {
    // RFC 5681 3.2 step 4: each further duplicate means a segment was
    // delivered, so one more may be sent.
    CongestionUpdate u = begin(CongestionAction::WindowInflation);
    cwnd_ = saturating_add(cwnd_, config_.smss);
    return finish(u);
  }

  if (duplicate_acks_ != 3) {
    // The first two (RFC 5681 3.2 step 1; the sender may use Limited
    // Transmit, RFC 3042, without touching cwnd), or any after a suppressed
    // third.
    CongestionUpdate u = begin(CongestionAction::DuplicateAck);
    return finish(u);
  }

  // RFC 6582 3.2 step 2: the ACK must reach recover (SND.NXT at the last
  // recovery or timeout). Otherwise these duplicates may be the echo of a
  // go-back-N retransmission after a timeout, and a second fast retransmit
  // would halve ssthresh again for the same loss (RFC 6582 section 4).
  if (ack.ack < recover_) {
    CongestionUpdate u = begin(CongestionAction::FastRetransmitSuppressed);
    return finish(u);
  }

  // RFC 5681 3.2 steps 2-3.
  CongestionUpdate u = begin(CongestionAction::EnterFastRecovery);
  ssthresh_ = halved(ack.flight_size);
  cwnd_ = saturating_add(ssthresh_, 3 * config_.smss);
  recover_ = ack.snd_nxt;
  in_fast_recovery_ = true;
  first_partial_ack_ = true;
  bytes_acked_ = 0;
  u.retransmit_now = true;
  return finish(u);
}

CongestionUpdate NewReno::on_retransmission_timeout(std::uint32_t flight_size, SeqNum snd_nxt) {
  CongestionUpdate u = begin(CongestionAction::LossWindow);
  // RFC 5681 3.1: halve only for the first timeout of a segment; when the
  // same segment times out again (exponential backoff), FlightSize is just
  // the one retransmitted segment and halving it would be meaningless.
  if (!timed_out_) ssthresh_ = halved(flight_size);
  cwnd_ = config_.smss;  // the loss window, LW = 1 segment
  // RFC 6582 3.2 step 4: leave recovery, remember how far we had sent.
  recover_ = snd_nxt;
  in_fast_recovery_ = false;
  duplicate_acks_ = 0;
  bytes_acked_ = 0;  // RFC 3465 2.1
  timed_out_ = true;
  slow_start_after_timeout_ = true;
  return finish(u);
}

CongestionUpdate NewReno::on_idle_restart() {
  // RFC 5681 4.1: RW = min(IW, cwnd).
  CongestionUpdate u = begin(CongestionAction::RestartWindow);
  cwnd_ = std::min(cwnd_, initial_window(config_.smss, config_.initial_window));
  bytes_acked_ = 0;
  return finish(u);
}

CongestionUpdate NewReno::on_handshake_retransmitted() {
  CongestionUpdate u = begin(CongestionAction::SynLossWindow);
  cwnd_ = config_.smss;
  return finish(u);
}

}  // namespace netstep::tcp
