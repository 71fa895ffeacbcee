// Connection, when a segment arrives: RFC 9293 3.10.7, one function per
// part, checks in the RFC's order; timestamps (RFC 7323), SACK blocks
// (RFC 2018) and delayed ACKs on the way.
#include "tcp/connection.hpp"

#include <algorithm>

#include "tcp/connection_limits.hpp"
#include "wire/icmp.hpp"

namespace netstep::tcp {

using namespace detail;
using wire::TcpFlags;

// --- arrival ----------------------------------------------------------------

void Connection::receive_segment(const wire::TcpRepr& seg) {
  const Handling handling{*this, EndCause::Kind::Segment};  // whatever this segment ends is named after it
  const std::size_t readable_before = readable();
  const std::size_t space_before = send_space();
  if (tracer_.active()) {
    handling_event_ = tracer_.next_sequence();
    const bool knows_irs = state_ != State::SynSent && state_ != State::Closed;
    tracer_.emit(Layer::Tcp, TcpSegment{"received", tuple_.local, tuple_.remote, seg.flags.bits(), seg.seq.value(),
                                        seg.ack.value(),
                                        knows_irs ? static_cast<std::uint32_t>(seg.seq - irs_) : 0u,
                                        static_cast<std::uint32_t>(seg.ack - iss_), seg.payload.size(), seg.window});
  }
  switch (state_) {
    case State::Closed:
    case State::Listen:
      drop("no connection in this state");  // the layer answers CLOSED with RST before it gets here
      break;
    case State::SynSent:
      receive_in_syn_sent(seg);
      break;
    default:
      receive_synchronized(seg);
      break;
  }
  report_variables();
  if (observer_ != nullptr && (readable() != readable_before || send_space() != space_before)) {
    observer_->connection_io(*this);
  }
}

// RFC 9293 3.10.7.3, with RFC 5961 3.2's rule for RST in SYN-SENT.
void Connection::receive_in_syn_sent(const wire::TcpRepr& seg) {
  const bool ack_acceptable = seg.flags.ack_set() && seg.ack > iss_ && seg.ack <= snd_nxt_;
  if (seg.flags.ack_set() && !ack_acceptable) {
    if (seg.flags.rst_set()) return drop("RST with an unacceptable ACK in SYN-SENT");
    send_rst(seg.ack, std::nullopt);
    return drop("ACK outside (ISS, SND.NXT] in SYN-SENT: RST sent");
  }
  if (seg.flags.rst_set()) {
    if (!ack_acceptable) return drop("RST without ACK in SYN-SENT");
    const SynRstDecision decision = syn_schedule_.on_rst(SynProgress{syns_sent_, loop_.now() - first_syn_at_});
    switch (decision.action) {
      case SynRstDecision::Action::Refuse:
        return finish(Outcome::Refused, "rcv RST,ACK: connection refused", "RFC 9293 3.10.7.3");
      case SynRstDecision::Action::KeepWaiting:
        ++refusals_;
        if (decision.next_syn_after) retransmission_timer_.arm_after(*decision.next_syn_after, "tcp SYN after a RST");
        return drop("RST in SYN-SENT: this personality retries until its last SYN");
      case SynRstDecision::Action::CloseWithoutWakingCaller:
        return finish(Outcome::Refused, "rcv RST,ACK: closed without waking connect()", "RFC 9293 3.10.7.3");
    }
  }
  if (!seg.flags.syn_set()) return drop("neither SYN nor RST in SYN-SENT");

  irs_ = seg.seq;
  rcv_nxt_ = seg.seq + 1;
  learn_peer_options(seg);
  snd_wnd_ = seg.window;  // unscaled in a SYN
  max_snd_wnd_ = snd_wnd_;
  snd_wl1_ = seg.seq;
  snd_wl2_ = seg.ack;
  if (ack_acceptable) {
    snd_una_ = seg.ack;
    retransmission_timer_.cancel();
    if (syns_sent_ == 1 && rtt_timed_seq_) rtt_.on_measurement(loop_.now() - rtt_timed_at_);
    rtt_timed_seq_.reset();
    if (syns_sent_ > 1) {
      rtt_.on_handshake_after_syn_timeout();
      congestion_.on_handshake_retransmitted();
    }
    set_state(State::Established, "rcv SYN,ACK / snd ACK", "RFC 9293 3.10.7.3");
    // 3.10.7.3: text or controls with the SYN,ACK go on to the sixth step.
    wire::TcpRepr rest = seg;
    rest.seq = seg.seq + 1;
    rest.flags = TcpFlags{static_cast<std::uint8_t>(seg.flags.bits() & ~TcpFlags::syn)};
    receive_text(rest);
    if (rest.flags.fin_set() && rest.seq + static_cast<std::uint32_t>(seg.payload.size()) == rcv_nxt_) {
      receive_fin(/*ack_may_wait=*/false);  // the handshake's ACK goes at once
    } else {
      send_ack();
    }
    send_pending();
  } else {
    // Simultaneous open: both sides sent SYN.
    set_state(State::SynReceived, "rcv SYN / snd SYN,ACK (simultaneous open)", "RFC 9293 3.10.7.3");
    send_syn(true);
    arm_retransmission();
  }
}

// RFC 9293 3.10.7.4: the states after SYN-SENT, checks in the RFC's order.
void Connection::receive_synchronized(const wire::TcpRepr& seg) {
  // RFC 7323 3.2: once both sides agreed, every segment but a RST carries
  // the option; R1 (5.3): PAWS, before the sequence number is looked at.
  if (timestamps_.enabled() && !seg.timestamps && !seg.flags.rst_set()) {
    return drop("no timestamp on a connection that agreed to use them (RFC 7323 3.2)");
  }
  if (timestamps_.rejects(seg, loop_.now())) {
    send_ack_for_invalid(seg);
    return drop("PAWS: timestamp older than TS.Recent, an old duplicate: ACK sent (RFC 7323 5.3)");
  }
  // Simultaneous open, the crossing SYN,ACK: it completes the open (figure 8).
  if (completes_simultaneous_open(seg)) return receive_simultaneous_syn_ack(seg);
  // First: the sequence number.
  if (!acceptable(seg)) {
    if (seg.flags.rst_set()) return drop("RST outside the receive window");
    send_ack_for_invalid(seg);
    // TIME-WAIT: the peer's FIN again (our ACK was lost): restart 2 MSL.
    if (state_ == State::TimeWait && seg.flags.fin_set()) time_wait_timer_.arm_after(config_.time_wait);
    return drop("sequence number outside the receive window: ACK sent");
  }
  timestamps_.on_acceptable(seg, last_ack_sent_, loop_.now());  // R3 (RFC 7323 4.3)
  last_heard_ = loop_.now();
  keepalive_probes_ = 0;
  persist_probes_ = 0;  // the peer answers: probe on for as long as it does (RFC 1122 4.2.2.17)
  // Second: RST (RFC 5961 3.2).
  if (seg.flags.rst_set()) return receive_rst(seg);
  // Fourth: SYN in a synchronized state (RFC 5961 4.2): challenge ACK.
  if (seg.flags.syn_set()) {
    if (state_ == State::SynReceived && passive_) {
      return finish(Outcome::Reset, "rcv SYN in SYN-RECEIVED (passive): back to the listener", "RFC 9293 3.10.7.4");
    }
    send_ack_for_invalid(seg);
    return drop("SYN in a synchronized state: challenge ACK sent (RFC 5961 4.2)");
  }
  // Fifth: ACK.
  if (!seg.flags.ack_set()) return drop("no ACK bit");
  if (!receive_ack(seg)) return;
  if (state_ == State::Closed) return;
  // Seventh and eighth: text and FIN.
  const bool had_holes = receive_buffer_.has_out_of_order_data();
  const ReceiveBuffer::InsertResult text = receive_text(seg);
  if (seg.flags.fin_set()) {
    const SeqNum fin_seq = seg.seq + static_cast<std::uint32_t>(seg.payload.size());
    if (fin_seq >= rcv_nxt_) pending_fin_ = fin_seq;  // beyond a hole it waits for the hole to fill
  }
  if (pending_fin_ && *pending_fin_ == rcv_nxt_) {
    // One ACK for the data and the FIN: it may wait only if neither needs it now.
    const bool data_wants_ack_now = !seg.payload.empty() && ack_due_now(text, seg.payload.size(), had_holes);
    receive_fin(/*ack_may_wait=*/!had_holes && !data_wants_ack_now);
  } else if (seg.flags.fin_set() && state_ == State::TimeWait) {
    send_ack();  // a retransmitted FIN
    time_wait_timer_.arm_after(config_.time_wait);
  } else if (!seg.payload.empty()) {
    acknowledge_data(text, seg.payload.size(), had_holes);
  }
}

// Simultaneous open (RFC 9293 3.5, figure 8, lines 6 and 7): each side, in
// SYN-RECEIVED, receives the other's SYN,ACK, and the diagram has that
// SYN,ACK take it to ESTABLISHED. Read literally, the first check of
// 3.10.7.4 would reject it (its SEQ is IRS, below RCV.NXT) and answer with
// an ACK, costing a round trip and two segments the diagram does not have.
// Linux (tcp_validate_incoming since 6.11, citing 3.5) lets exactly this
// segment through, and so do we: our own connect() (not a listener's child),
// SYN and ACK, no data, FIN or RST, SEQ = IRS and ACK = SND.NXT (it
// acknowledges our SYN and nothing else).
bool Connection::completes_simultaneous_open(const wire::TcpRepr& seg) const {
  return state_ == State::SynReceived && !passive_ && seg.flags.syn_set() && seg.flags.ack_set() &&
         !seg.flags.rst_set() && !seg.flags.fin_set() && seg.payload.empty() && seg.seq + 1 == rcv_nxt_ &&
         seg.ack == snd_nxt_;
}

void Connection::receive_simultaneous_syn_ack(const wire::TcpRepr& seg) {
  timestamps_.on_acceptable(seg, last_ack_sent_, loop_.now());  // R3 (RFC 7323 4.3)
  last_heard_ = loop_.now();
  snd_wnd_ = seg.window;  // never scaled in a SYN (RFC 7323 2.2)
  max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
  snd_wl1_ = seg.seq;
  snd_wl2_ = seg.ack;
  snd_una_ = seg.ack;
  retransmissions_ = 0;
  retransmission_timer_.cancel();
  rtt_.reset_backoff();
  rtt_timed_seq_.reset();  // our SYN went twice (SYN, then SYN,ACK): Karn, no sample
  set_state(State::Established, "rcv SYN,ACK acking our SYN (simultaneous open)", "RFC 9293 3.5");
  // Nothing to acknowledge: the peer has our SYN,ACK, which acknowledged its
  // SYN. Data queued by send() in SYN-SENT or SYN-RECEIVED goes now.
  send_pending();
}

// The four cases of the acceptability test (3.10.7.4, first check).
bool Connection::acceptable(const wire::TcpRepr& seg) const {
  const auto length = static_cast<std::uint32_t>(seg.payload.size()) + (seg.flags.syn_set() ? 1u : 0u) +
                      (seg.flags.fin_set() ? 1u : 0u);
  const std::uint32_t window = rcv_wnd();
  const SeqNum right = rcv_nxt_ + window;
  const auto in_window = [&](SeqNum s) { return s >= rcv_nxt_ && s < right; };
  if (length == 0) return window == 0 ? seg.seq == rcv_nxt_ : in_window(seg.seq);
  if (window == 0) return false;
  return in_window(seg.seq) || in_window(seg.seq + (length - 1));
}

void Connection::receive_rst(const wire::TcpRepr& seg) {
  if (seg.seq != rcv_nxt_) {
    // In the window but not exact: maybe a blind attack (RFC 5961 3.2).
    send_ack_for_invalid(seg);
    return drop("RST not at RCV.NXT: challenge ACK sent (RFC 5961 3.2)");
  }
  switch (state_) {
    case State::SynReceived:
      if (passive_) return finish(Outcome::Reset, "rcv RST in SYN-RECEIVED (passive): back to the listener", "RFC 9293 3.10.7.4");
      return finish(Outcome::Refused, "rcv RST in SYN-RECEIVED: connection refused", "RFC 9293 3.10.7.4");
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      return finish(Outcome::Closed, "rcv RST while closing", "RFC 9293 3.10.7.4");
    default:
      return finish(Outcome::Reset, "rcv RST: connection reset", "RFC 9293 3.10.7.4");
  }
}

// The fifth check: returns false when the segment must go no further.
bool Connection::receive_ack(const wire::TcpRepr& seg) {
  if (state_ == State::SynReceived) {
    if (!(seg.ack > snd_una_ && seg.ack <= snd_nxt_)) {
      send_rst(seg.ack, std::nullopt);
      drop("unacceptable ACK in SYN-RECEIVED: RST sent");
      return false;
    }
    snd_wnd_ = static_cast<std::uint32_t>(seg.window) << snd_scale_;
    snd_wl1_ = seg.seq;
    snd_wl2_ = seg.ack;
    set_state(State::Established, "rcv ACK of our SYN,ACK", "RFC 9293 3.10.7.4");
  }
  // RFC 5961 5.2: an ACK older than the largest window we ever sent, or of
  // data not yet sent, is answered and dropped.
  const SeqNum oldest = snd_una_ - std::max<std::uint32_t>(max_snd_wnd_, 1);
  if (seg.ack > snd_max_) {
    send_ack_for_invalid(seg);
    drop("ACK of data not yet sent: ACK sent");
    return false;
  }
  if (seg.ack < oldest) {
    send_ack_for_invalid(seg);
    drop("ACK older than the send window allows: ACK sent (RFC 5961 5.2)");
    return false;
  }

  const std::uint32_t window = static_cast<std::uint32_t>(seg.window) << snd_scale_;
  if (sack_ok_ && seg.sack_count > 0) {
    scoreboard_.record(std::span{seg.sack_blocks.data(), seg.sack_count}, snd_una_, snd_max_);
  }
  if (seg.ack > snd_una_) {
    const auto acked = static_cast<std::uint32_t>(seg.ack - snd_una_);
    // Our SYN and FIN take sequence numbers but no buffer space.
    std::uint32_t acked_data = acked;
    if (snd_una_ == iss_) --acked_data;  // the SYN
    if (close_requested_ && seg.ack == data_end() + 1) --acked_data;  // our FIN
    send_buffer_.acknowledge(std::min<std::size_t>(acked_data, send_buffer_.size()));
    snd_una_ = seg.ack;
    if (snd_nxt_ < snd_una_) snd_nxt_ = snd_una_;  // after a go-back, the peer had more than we resent
    retransmissions_ = 0;
    rtt_.reset_backoff();
    scoreboard_.advance(snd_una_);
    if (high_retransmitted_ && *high_retransmitted_ <= snd_una_) high_retransmitted_.reset();
    if (rtt_timed_seq_ && seg.ack > *rtt_timed_seq_) {
      rtt_.on_measurement(loop_.now() - rtt_timed_at_);
      rtt_timed_seq_.reset();
    } else if (!rtt_timed_seq_) {
      // Nothing timed (Karn stopped timing at a retransmission): the echoed
      // timestamp still measures this ACK's round trip (RFC 7323 4.1), if
      // it echoes the retransmission or later. An older echo means the
      // original arrived and its ACK was lost (the retransmission was
      // spurious, RFC 3522): its "round trip" would include the whole
      // timeout and inflate the RTO.
      const auto sample = timestamps_.rtt_sample(seg, loop_.now());
      if (sample && !echoes_before_retransmission(seg)) rtt_.on_measurement(*sample);
    }
    const CongestionUpdate update = congestion_.on_new_ack(NewAck{acked, snd_una_, flight_size()});
    if (update.retransmit_now) retransmit_after_partial_ack();  // RFC 6582 3.2 step 3: the next hole
    if (snd_una_ == snd_max_) {
      retransmission_timer_.cancel();
    } else if (update.restart_retransmit_timer || !retransmission_timer_.armed()) {
      arm_retransmission();  // RFC 6298 5.3 (the Impatient variant keeps it running on later partial ACKs)
    }
  } else if (seg.ack == snd_una_ && seg.payload.empty() && !seg.flags.fin_set() && !seg.flags.syn_set() &&
             window == snd_wnd_ && snd_max_ != snd_una_) {
    // RFC 5681 2: a duplicate ACK (all five conditions).
    const CongestionUpdate update = congestion_.on_duplicate_ack(DuplicateAck{seg.ack, flight_size(), snd_max_});
    if (update.retransmit_now) {
      retransmit_first_unacknowledged();  // fast retransmit
    } else if (congestion_.in_fast_recovery()) {
      retransmit_next_sack_hole();  // each duplicate ACK: one more segment has left the network
    } else if (congestion_.duplicate_acks() <= 2) {
      send_limited_transmit();
    }
  }
  // Window update (3.10.7.4, fifth check): only from a newer segment.
  if (snd_wl1_ < seg.seq || (snd_wl1_ == seg.seq && snd_wl2_ <= seg.ack)) {
    snd_wnd_ = window;
    max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
    snd_wl1_ = seg.seq;
    snd_wl2_ = seg.ack;
  }
  // The window opened while nothing was in flight: the timer running is the
  // persist timer, and data can go now.
  if (snd_wnd_ > 0 && snd_una_ == snd_max_) retransmission_timer_.cancel();

  const bool our_fin_acked = close_requested_ && snd_una_ == data_end() + 1;
  switch (state_) {
    case State::FinWait1:
      if (our_fin_acked) set_state(State::FinWait2, "rcv ACK of our FIN", "RFC 9293 3.10.7.4");
      break;
    case State::Closing:
      if (our_fin_acked) {
        set_state(State::TimeWait, "rcv ACK of our FIN", "RFC 9293 3.10.7.4");
        time_wait_timer_.arm_after(config_.time_wait);
      }
      break;
    case State::LastAck:
      if (our_fin_acked) {
        finish(Outcome::Closed, "rcv ACK of our FIN", "RFC 9293 3.10.7.4");
        return false;
      }
      break;
    case State::TimeWait:
      break;  // a retransmitted FIN is handled with the FIN bit below
    default:
      break;
  }
  send_pending();
  return true;
}

// The seventh check: segment text.
ReceiveBuffer::InsertResult Connection::receive_text(const wire::TcpRepr& seg) {
  if (seg.payload.empty()) return {};
  if (!can_receive(state_)) {
    drop("data after the peer's FIN");
    return {};
  }
  const std::int64_t offset = seg.seq.distance_from(rcv_nxt_);
  const ReceiveBuffer::InsertResult result = receive_buffer_.insert(offset, seg.payload);
  if (result.refused) drop("too many out-of-order ranges: segment dropped");
  rcv_nxt_ += static_cast<std::uint32_t>(result.newly_in_order);
  return result;
}

// When to acknowledge data that arrived (RFC 9293 3.8.6.3, RFC 5681 4.2):
// at once if it arrived out of order, filled a hole or brought nothing new
// (the peer must hear of it), or if more than one full segment is now
// unacknowledged (Linux's reading of "every second full-sized segment");
// otherwise within the delayed-ACK timeout, unless an outgoing segment
// carries the ACK first.
bool Connection::ack_due_now(const ReceiveBuffer::InsertResult& result, std::size_t length, bool had_holes) {
  unacknowledged_bytes_ += result.newly_in_order;
  largest_segment_seen_ = std::max(largest_segment_seen_, length);
  return !config_.delayed_ack || result.out_of_order || had_holes || result.newly_in_order == 0 ||
         unacknowledged_bytes_ > largest_segment_seen_;
}

void Connection::acknowledge_data(const ReceiveBuffer::InsertResult& result, std::size_t length, bool had_holes) {
  if (ack_due_now(result, length, had_holes)) {
    send_ack();
  } else {
    schedule_delayed_ack();
  }
}

void Connection::schedule_delayed_ack() {
  if (!delayed_ack_timer_.armed()) delayed_ack_timer_.arm_after(config_.delayed_ack_timeout);
}

// The eighth check: the peer's FIN, in order.
//
// In ESTABLISHED the FIN's ACK may wait like a data ACK, as on Linux (tcp_fin
// enters "pingpong" mode): an application that closes as soon as it reads
// the end sends its FIN with that ACK, and the close takes three segments,
// not four. Config delayed_fin_ack = false acknowledges at once, as FreeBSD
// and lwIP do. In the closing states the ACK always goes at once: it is the
// last word of the connection.
void Connection::receive_fin(bool ack_may_wait) {
  pending_fin_.reset();
  fin_received_ = true;
  rcv_nxt_ += 1;
  const bool ack_waits = ack_may_wait && config_.delayed_ack && config_.delayed_fin_ack &&
                         (state_ == State::Established || state_ == State::SynReceived);
  if (ack_waits) {
    schedule_delayed_ack();
  } else {
    send_ack();
  }
  switch (state_) {
    case State::SynReceived:
    case State::Established:
      set_state(State::CloseWait, ack_waits ? "rcv FIN / ACK delayed" : "rcv FIN / snd ACK", "RFC 9293 3.10.7.4");
      break;
    case State::FinWait1:
      if (snd_una_ == data_end() + 1) {
        set_state(State::TimeWait, "rcv FIN / snd ACK (our FIN already acknowledged)", "RFC 9293 3.10.7.4");
        time_wait_timer_.arm_after(config_.time_wait);
      } else {
        set_state(State::Closing, "rcv FIN / snd ACK (simultaneous close)", "RFC 9293 3.10.7.4");
      }
      break;
    case State::FinWait2:
      set_state(State::TimeWait, "rcv FIN / snd ACK", "RFC 9293 3.10.7.4");
      time_wait_timer_.arm_after(config_.time_wait);
      break;
    case State::TimeWait:
      time_wait_timer_.arm_after(config_.time_wait);  // restart the 2 MSL wait
      break;
    default:
      break;
  }
}

void Connection::learn_peer_options(const wire::TcpRepr& syn) {
  // RFC 9293 3.7.1: without an MSS option, assume 536.
  send_mss_ = std::min<std::uint16_t>(syn.mss.value_or(536), config_.mss);
  // RFC 7323 2.2: scaling is on only if both SYNs carry the option.
  peer_offered_scale_ = syn.window_scale.has_value();
  if (syn.window_scale && config_.window_scaling) {
    snd_scale_ = std::min<std::uint8_t>(*syn.window_scale, max_window_scale);
    rcv_scale_ = offered_scale_;
  } else {
    snd_scale_ = 0;
    rcv_scale_ = 0;
  }
  // RFC 7323 3.2 and RFC 2018 section 2: each only if both SYNs carry it.
  timestamps_.negotiate(syn, config_.timestamps, loop_.now());
  peer_offered_sack_ = syn.sack_permitted;
  sack_ok_ = config_.sack && syn.sack_permitted;
  effective_mss_ = static_cast<std::uint16_t>(send_mss_ - (timestamps_.enabled() ? timestamps_option_length : 0));
  congestion_ = NewReno{congestion_config(effective_mss_), iss_};
}

}  // namespace netstep::tcp

namespace netstep::tcp {

namespace {
// The ICMP errors a TCP reports (Linux tcp_v4_err, BSD tcp_notify alike):
// "fragmentation needed" belongs to path MTU discovery, and source quench
// and redirects are not errors.
// FreeBSD's hard errors in SYN-SENT (icmp_errmap: ECONNREFUSED or a
// time-exceeded EHOSTUNREACH, dropped at once by tcp_ctlinput).
bool bsd_hard(const SoftError& e) {
  if (e.type == wire::icmp_type::time_exceeded) return true;
  if (e.type != wire::icmp_type::destination_unreachable) return false;
  return e.code == 2 || e.code == 3 || e.code == 9 || e.code == 10 || e.code == 13;
}

bool reportable(const SoftError& e) {
  if (e.type == wire::icmp_type::destination_unreachable) return e.code <= 15 && e.code != 4;
  return e.type == wire::icmp_type::time_exceeded || e.type == wire::icmp_type::parameter_problem;
}
}  // namespace

void Connection::icmp_error(const SoftError& error) {
  if (!reportable(error)) return;
  const Handling handling{*this, EndCause::Kind::IcmpError};
  // A passive half-open connection is the listener's business: it times out.
  const bool our_handshake = state_ == State::SynSent || (state_ == State::SynReceived && !passive_);
  if (!our_handshake) {
    soft_error_ = error;
    return;
  }
  // Our own host's report: ARP gave up on the next hop (T08).
  if (error.reporter == tuple_.local.address && syn_schedule_.policy().arp_failure_ends_attempt) {
    soft_error_ = error;
    return finish(Outcome::TimedOut, "ARP gave up on the next hop: each miss counted as a SYN attempt (FreeRTOS+TCP)",
                  "connect-source.md 1c");
  }
  switch (syn_schedule_.policy().icmp_in_handshake) {
    case HandshakeIcmp::Ignore:
      return;
    case HandshakeIcmp::SoftWhileLocked:
      soft_error_ = error;
      if (syns_sent_ <= 1) return;  // tcp_v4_err with the socket owned by the user: sk_err_soft only
      return finish(Outcome::Unreachable, "ICMP error about a retransmitted SYN: the attempt ends (tcp_v4_err)",
                    "RFC 1122 4.2.3.9");
    case HandshakeIcmp::SoftUntilTimeout:
      soft_error_ = error;  // the timeout reports it instead of ETIMEDOUT
      return;
    case HandshakeIcmp::Abort:
      soft_error_ = error;
      return finish(Outcome::Unreachable, "ICMP error about our SYN: the attempt ends, as on Linux (tcp_v4_err)",
                    "RFC 1122 4.2.3.9");
    case HandshakeIcmp::SoftThenDrop: {
      if (syn_schedule_.policy().hard_icmp_ends_handshake && bsd_hard(error)) {
        soft_error_ = error;
        return finish(Outcome::Unreachable, "ICMP refusal or time exceeded about our SYN: the attempt ends (BSD)",
                      "RFC 1122 4.2.3.9");
      }
      // tcp_notify(): dropped only if an error is already stored and more
      // than 3 retransmissions were made (t_rxtshift > 3).
      const bool drop_now = soft_error_.has_value() && syns_sent_ > 4;
      soft_error_ = error;
      if (drop_now) {
        finish(Outcome::Unreachable, "ICMP error again after 3 retransmissions: the attempt ends (BSD tcp_notify)",
               "RFC 1122 4.2.3.9");
      }
      return;
    }
  }
}

}  // namespace netstep::tcp
