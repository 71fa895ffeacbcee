#pragma once
// TCP congestion control: RFC 5681 (slow start, congestion avoidance, fast
// retransmit, fast recovery) with the NewReno fast recovery of RFC 6582.
//
// A pure state machine. The sender feeds it what it saw (an ACK of new data,
// a duplicate ACK, a retransmission timeout, an idle restart) and gets back a
// CongestionUpdate saying what happened: which rule applied, cwnd and
// ssthresh before and after, and whether to retransmit or restart the timer
// now. It sends nothing, reads no clock and owns no timer, so every decision
// can be traced and unit-tested on its own.
//
// Units: windows are bytes. cwnd saturates at 2^32-1; the peer's window
// (at most 2^30 with window scaling) always limits first.
#include <cstdint>
#include <string_view>

#include "base/seq_num.hpp"

namespace netstep::tcp {

// The first window, before any ACK of data (RFC 5681 section 3.1).
enum class InitialWindow : std::uint8_t {
  // RFC 5681 (same as RFC 3390): 4 segments up to SMSS 1095, 3 up to 2190,
  // 2 above. About 4 KB whatever the segment size.
  Rfc5681,
  // RFC 6928: min(10*SMSS, max(2*SMSS, 14600)). Linux's default since 3.0.
  Iw10,
};

// How an ACK of new data grows cwnd outside fast recovery.
enum class WindowGrowth : std::uint8_t {
  // The textbook equations. Slow start (RFC 5681 eq. 2): cwnd += min(N, SMSS).
  // Congestion avoidance (eq. 3): cwnd += max(1, SMSS*SMSS/cwnd) per ACK,
  // which is about one SMSS per round trip while every segment is acked, but
  // less when the receiver delays or thins its ACKs.
  PerAck,
  // Appropriate Byte Counting (RFC 3465): growth follows the bytes acked,
  // not the number of ACKs. Slow start: cwnd += min(N, L) with L = 2*SMSS
  // (L = 1*SMSS in the slow start right after a timeout, RFC 3465 section
  // 2.3). Congestion avoidance: count acked bytes and add one SMSS each time
  // a whole cwnd's worth has been acked (RFC 3465 section 2.1, the method
  // RFC 5681 section 3.1 recommends), so delayed ACKs do not slow it down.
  ByteCounting,
};

// When a partial ACK restarts the retransmission timer (RFC 6582 section 6).
enum class PartialAckTimer : std::uint8_t {
  // Only the first partial ACK of a recovery restarts it (RFC 6582 section
  // 3.2, step 3). With many losses in one window the timer then fires and
  // slow start repairs the rest faster than one hole per round trip.
  Impatient,
  // Every partial ACK restarts it: recovery may take one round trip per lost
  // segment, but never falls back to a timeout while it makes progress.
  SlowButSteady,
};

struct NewRenoConfig {
  std::uint32_t smss = 536;  // sender maximum segment size (RFC 9293's IPv4 default)
  InitialWindow initial_window = InitialWindow::Rfc5681;
  WindowGrowth growth = WindowGrowth::PerAck;
  PartialAckTimer partial_ack_timer = PartialAckTimer::Impatient;

  // Throws std::invalid_argument naming the first impossible value.
  void validate() const;
};

// The first window for a segment size under a rule (RFC 5681 3.1, RFC 6928 2).
[[nodiscard]] std::uint32_t initial_window(std::uint32_t smss, InitialWindow rule);

// Which rule an input triggered. Each is one line in the trace.
enum class CongestionAction : std::uint8_t {
  SlowStart,                 // new ACK, cwnd < ssthresh: grow by up to a segment (or L)
  CongestionAvoidance,       // new ACK, cwnd >= ssthresh: grow by about a segment per RTT
  DuplicateAck,              // first or second duplicate (or any after a suppressed third): no change
  FastRetransmitSuppressed,  // third duplicate that does not cover recover (RFC 6582 section 4)
  EnterFastRecovery,         // third duplicate: halve, retransmit, inflate by 3 segments
  WindowInflation,           // a further duplicate in recovery: one more segment has left the network
  PartialAck,                // new ACK below recover: retransmit the next hole, deflate
  ExitFastRecovery,          // new ACK at or beyond recover: deflate to about ssthresh and leave
  LossWindow,                // retransmission timeout: cwnd = 1 segment, ssthresh halved
  RestartWindow,             // idle for more than an RTO: back to at most the initial window
  SynLossWindow,             // our SYN or the peer's SYN-ACK was retransmitted: first window 1 segment
};

// "slow-start", "enter-fast-recovery", ... for traces.
[[nodiscard]] std::string_view to_string(CongestionAction a);
// One sentence, with the RFC section, for the narrative and the debugger.
[[nodiscard]] std::string_view explain(CongestionAction a);

struct CongestionUpdate {
  CongestionAction action = CongestionAction::DuplicateAck;
  std::uint32_t cwnd_before = 0;
  std::uint32_t cwnd = 0;
  std::uint32_t ssthresh_before = 0;
  std::uint32_t ssthresh = 0;
  SeqNum recover;  // after this input
  // Send the first unacknowledged segment again now, whatever cwnd allows
  // (fast retransmit, or the next hole after a partial ACK).
  bool retransmit_now = false;
  // Restart the retransmission timer (RFC 6298 section 5.3) for this new
  // ACK. False for duplicates and timeouts, and for the later partial ACKs
  // of the Impatient variant, which leave the timer running on purpose.
  bool restart_retransmit_timer = false;

  [[nodiscard]] bool window_changed() const { return cwnd != cwnd_before || ssthresh != ssthresh_before; }
};

// An ACK that moved SND.UNA forward.
struct NewAck {
  std::uint32_t bytes_acked = 0;  // N: how far SND.UNA moved
  SeqNum snd_una;                 // SND.UNA after this ACK
  std::uint32_t flight_size = 0;  // SND.NXT - SND.UNA after this ACK
};

// An ACK the sender has classed as a duplicate. RFC 5681 section 2: an ACK
// is a duplicate when (a) we have data outstanding, (b) it carries no data,
// (c) neither SYN nor FIN is set, (d) its acknowledgment number equals the
// highest one received so far (SND.UNA), and (e) its advertised window equals
// the one in the previous ACK. An ACK failing any of these is neither new nor
// duplicate for congestion control (a window update, say) and is not
// reported. The sender decides; this class trusts it.
struct DuplicateAck {
  SeqNum ack;                     // its acknowledgment number (= SND.UNA)
  std::uint32_t flight_size = 0;  // SND.NXT - SND.UNA
  SeqNum snd_nxt;                 // becomes recover if this one starts a fast retransmit
};

class NewReno {
 public:
  // iss is our initial send sequence number: recover starts there (RFC 6582
  // section 3.2 step 1), so the first third duplicate always qualifies.
  // Validates the config (std::invalid_argument).
  NewReno(const NewRenoConfig& config, SeqNum iss);

  [[nodiscard]] std::uint32_t cwnd() const { return cwnd_; }
  [[nodiscard]] std::uint32_t ssthresh() const { return ssthresh_; }
  [[nodiscard]] bool in_fast_recovery() const { return in_fast_recovery_; }
  // SND.NXT when the last fast recovery began or the last timeout fired.
  // Once SND.UNA passes it, it follows SND.UNA, so it never drifts 2^31 away
  // and its comparisons stay meaningful (equivalent for every test RFC 6582
  // makes: they only ask whether an ACK reaches it).
  [[nodiscard]] SeqNum recover() const { return recover_; }
  [[nodiscard]] std::uint32_t duplicate_acks() const { return duplicate_acks_; }
  [[nodiscard]] std::uint32_t smss() const { return config_.smss; }
  [[nodiscard]] const NewRenoConfig& config() const { return config_; }

  // RFC 5681 sections 3.1 and 3.2 steps 5-6, RFC 6582 section 3.2 step 3.
  CongestionUpdate on_new_ack(const NewAck& ack);
  // RFC 5681 section 3.2 steps 1-4, RFC 6582 section 3.2 step 2.
  CongestionUpdate on_duplicate_ack(const DuplicateAck& ack);
  // RFC 5681 section 3.1 eq. 4 and the loss window; RFC 6582 section 3.2
  // step 4. flight_size is what was outstanding when the timer fired (before
  // the sender rewinds SND.NXT to retransmit).
  CongestionUpdate on_retransmission_timeout(std::uint32_t flight_size, SeqNum snd_nxt);
  // RFC 5681 section 4.1: the sender has sent nothing for more than an RTO.
  CongestionUpdate on_idle_restart();
  // RFC 5681 section 3.1: call once, before sending data, if the handshake
  // needed a retransmitted SYN or SYN-ACK.
  CongestionUpdate on_handshake_retransmitted();

 private:
  CongestionUpdate begin(CongestionAction action) const;
  CongestionUpdate& finish(CongestionUpdate& update) const;
  void grow_slow_start(std::uint32_t bytes_acked);
  void grow_congestion_avoidance(std::uint32_t bytes_acked);
  [[nodiscard]] std::uint32_t halved(std::uint32_t flight_size) const;

  NewRenoConfig config_;
  std::uint32_t cwnd_;
  std::uint32_t ssthresh_;
  SeqNum recover_;
  std::uint32_t duplicate_acks_ = 0;
  std::uint32_t bytes_acked_ = 0;  // RFC 3465 congestion avoidance counter
  bool in_fast_recovery_ = false;
  bool first_partial_ack_ = false;  // the next partial ACK is the first of this recovery
  bool timed_out_ = false;          // a timeout fired and no new ACK has come since
  bool slow_start_after_timeout_ = false;
};

}  // namespace netstep::tcp
